// Public, browser-safe entry of the amoCRM emulator (`crmkit/amocrm/testing`).
// Node helpers (msw/node setupServer) live in `./node.js` (`crmkit/amocrm/testing/node`).
export { createAmoCrmEmulator, type AmoCrmEmulator, type AmoCrmEmulatorOptions } from './emulator.js'
export { createHandlers, type EmulatorStats, type RequestLogEntry, type HandlerContext, type EmulatorState, type PagingQuirks } from './handlers.js'
export { seedAccount, DEFAULT_ANCHOR_DATE, DEFAULT_SIZE, HTML_SAMPLES, TRACKING_CODES, type SeedOptions, type SeedSize } from './seed.js'
export {
  AmoDb, Links, Table, FIELD_TYPES,
  type Account, type Catalog, type CatalogElement, type Company, type Contact, type ContactLink, type EntityType, type EnumDef,
  type FieldDef, type FieldScope, type FieldType, type FieldValue, type FieldValueItem, type Lead, type LossReason, type Pipeline,
  type Status, type Tag, type User, type AmoDbSnapshot,
} from './db.js'
export { AuthService, SESSION_COOKIE, type AuthKind, type Caller, type OAuthClientConfig, type TokenPair } from './auth.js'
export { trackAccountBlocks, unexpectedAccountBlocks, type AccountBlockRecord } from './block-registry.js'
export { RateLimiter, NGINX_403_HTML, NGINX_429_HTML, type RateLimitOptions } from './limits.js'
export { parseBracketQuery, buildCriteria, selectPage, type QueryObject, type QueryValue, type ListCriteria } from './filters.js'
export { writeEntities, type ItemErrors, type ValidationError } from './writes.js'
export { createRandom, deriveSeed, type Random } from '../../../sdk/testing/random.js'
export { CHAOS_FAULTS, type Chaos, type ChaosFault, type ChaosOptions, type ChaosStats } from '../../../sdk/testing/chaos.js'
