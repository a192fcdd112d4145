import type { ImportTraits } from '../../sdk/adapter.js'

/** amoCRM's `query` searches every field of contacts and companies, phones, e-mails and custom fields included. */
export const CONTACT_IMPORT_TRAITS: ImportTraits = { searchFinds: ['name', 'phone', 'email', 'custom'], multiValues: 'replace' }
export const COMPANY_IMPORT_TRAITS: ImportTraits = CONTACT_IMPORT_TRAITS
