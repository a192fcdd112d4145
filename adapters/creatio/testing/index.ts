// Public, browser-safe entry of the Creatio emulator (`crmkit/creatio/testing`).
// Node helpers (msw/node setupServer) live in `./node.js` (`crmkit/creatio/testing/node`).
export {
  createCreatioEmulator,
  MAX_ROWS,
  MAX_BATCH,
  type CreatioEmulator,
  type CreatioEmulatorOptions,
  type EmulatorStats,
  type RequestLogEntry,
} from './emulator.js'
export { CreatioDb, errorEnvelope, type CreatioDbSnapshot } from './db.js'
export { ODataError, parseFilter, compileFilter, type Node as FilterNode, type EvalEnv } from './filter.js'
export { buildSchema, metadataXml, defaultValue, ZERO_GUID, EMPTY_DATE, type ColumnDef, type ColType, type SiteSchema, type SiteVariant } from './schema.js'
export {
  seedSite,
  DEFAULT_SIZE,
  DEFAULT_ANCHOR_DATE,
  LEAD_MEDIUMS,
  LEAD_SOURCES,
  OPPORTUNITY_STAGES,
  QUALIFY_STATUSES,
  type SeedOptions,
  type SeedSize,
  type Tables,
} from './seed.js'
export { createRandom, deriveSeed, type Random } from '../../../sdk/testing/random.js'
export { CHAOS_FAULTS, type Chaos, type ChaosFault, type ChaosOptions, type ChaosStats } from '../../../sdk/testing/chaos.js'
