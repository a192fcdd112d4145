import type { ImportTraits } from '../../sdk/adapter.js'

/** Creatio searches the name column only, and keeps three phone columns (MobilePhone, Phone, HomePhone) and one Email. */
export const CONTACT_IMPORT_TRAITS: ImportTraits = { searchFinds: ['name'], multiValues: 'replace', capacity: { phones: 3, emails: 1 } }
export const COMPANY_IMPORT_TRAITS: ImportTraits = { searchFinds: ['name'], multiValues: 'replace' }
