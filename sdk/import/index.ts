// De-duplicating import of contacts and companies (`crm.contacts.import`), and the pieces it is
// built from, for callers who need them on their own (normalising phones in a form, say).
export { runImport, type ImportCollection } from './run.js'
export { MemoryImportJournal, type ImportJournal, type JournalEntry } from './journal.js'
export { normaliseEmail, normaliseName, normalisePhone, type CountryCode } from './normalize.js'
export type * from './types.js'
