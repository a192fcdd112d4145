import type { ImportTraits } from '../../sdk/adapter.js'

/**
 * Bitrix24 `fm` values (phones, e-mails) sent without ids are added to the record's list, not put in
 * its place (research bitrix24 §2.4). A contact's `%name` search sees the first name only, so a full
 * name is not found that way; a company's title is.
 */
export const CONTACT_IMPORT_TRAITS: ImportTraits = { searchFinds: [], multiValues: 'append' }
export const COMPANY_IMPORT_TRAITS: ImportTraits = { searchFinds: ['name'], multiValues: 'append' }
