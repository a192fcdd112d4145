// Node-only helpers (file system, HTTP servers); the browser entry `crmkit` never imports these.
export { FileTokenStore } from './file-token-store.js'
export { serveHandlers } from './serve-handlers.js'
export { FileImportJournal } from './import-journal.js'
