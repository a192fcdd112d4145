// Public, browser-safe entry of the Bitrix24 emulator (`crmkit/bitrix24/testing`).
// Node helpers (msw/node setupServer) live in `./node.js` (`crmkit/bitrix24/testing/node`).
export {
  createBitrix24Emulator,
  type Bitrix24Emulator,
  type Bitrix24EmulatorOptions,
  type EmulatorStats,
  type RequestLogEntry,
  type TokenResponse,
} from './emulator.js'
export { Bitrix24Db, ENTITY, portalDate, semanticLetter, type Item, type StatusRow, type Category, type UserRow, type UserField, type SpaType, type PlacementRow, type AppState, type Bitrix24DbSnapshot } from './db.js'
export { seedPortal, DEFAULT_SIZE, DEFAULT_ANCHOR_DATE, CLICK_ID_FIELDS, type SeedOptions, type SeedSize } from './seed.js'
export { LeakyBucket, OperatingBudget, type LeakyBucketOptions, type OperatingOptions } from './limits.js'
export { METHODS, PAGE, ufCamel, type MethodContext, type MethodResult } from './methods.js'
export { compileFilter, matches, parseFilterKey, sortRows, type Condition, type Operator } from './filters.js'
export { createRandom, deriveSeed, type Random } from '../../../sdk/testing/random.js'
export { CHAOS_FAULTS, type Chaos, type ChaosFault, type ChaosOptions, type ChaosStats } from '../../../sdk/testing/chaos.js'
