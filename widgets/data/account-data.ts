import type { Campaign, Crm, Deal, Lead, SpendEntry } from '../../sdk/index.js'
import { CACHE_FORMAT, discardScope, mergeIntoChunks, openCacheDb, readChunks, readMeta, toChunks, writeChunks, type CacheDb, type CachedCollection, type CollectionMeta } from './cache-db.js'

/** Everything the attribution tab and card need from one account (records without custom fields, see `slim`). */
export interface AccountData {
  deals: Deal[]
  leads: Lead[]
  campaigns: Campaign[]
  spend: SpendEntry[]
}

export interface LoadProgress {
  /** `cache`: reading the local copy; `download`: paging through the CRM. */
  phase: 'cache' | 'download'
  /** Records read or downloaded so far. */
  loaded: number
  /** Known only when reading the cache (the CRMs' list APIs do not all report totals). */
  total: number | null
}

export interface LoadOptions {
  /** Cache key within the CRM: the account (amoCRM subdomain, Bitrix24 portal, Creatio site). */
  account: string
  signal?: AbortSignal
  onProgress?(p: LoadProgress): void
  /** Default `globalThis.indexedDB`; `null` (or none available) loads from the CRM every time. */
  indexedDB?: IDBFactory | null
  /** Records changed this long before the newest cached `updatedAt` are fetched again (commit order, second-rounded clocks). Default 10 min. */
  safetyMarginMs?: number
  /**
   * Deletions do not show up in "changed since" queries, so a collection is downloaded in full
   * again (replacing the cache) when its last full download is older than this. Default 7 days.
   */
  reconcileAfterMs?: number
  now?: () => number
}

export type LoadMode = 'full' | 'incremental' | 'no-cache'

export interface LoadResult {
  data: AccountData
  /** How each collection was loaded. */
  modes: Partial<Record<CachedCollection, LoadMode>>
  /** Records taken from the cache and downloaded from the CRM. */
  fromCache: number
  downloaded: number
  /** Why the cache was thrown away, if it was ('format', 'unreadable'). */
  discarded: string | null
}

const MINUTE = 60_000
const DAY = 86_400_000

type AnyRecord = { id: string; createdAt: Date; updatedAt: Date }

/** Cheap check that a cached row is a record we wrote (structured clone keeps Dates as Dates). */
const looksValid = (r: unknown): r is AnyRecord =>
  typeof r === 'object' && r !== null && typeof (r as AnyRecord).id === 'string' && (r as AnyRecord).createdAt instanceof Date && (r as AnyRecord).updatedAt instanceof Date

const newest = (records: readonly AnyRecord[]): number | null => {
  let max: number | null = null
  for (const r of records) {
    const t = r.updatedAt.getTime()
    if (max === null || t > max) max = t
  }
  return max
}

function defaultFactory(): IDBFactory | null {
  try {
    return typeof indexedDB === 'undefined' ? null : indexedDB
  } catch {
    return null // some sandboxed iframes throw on mere access
  }
}

/**
 * Loads an account's deals, leads, campaigns and spend. The first time it pages through the CRM
 * (within the client's rate limit) and stores the records in IndexedDB; afterwards it reads the
 * cache and asks the CRM only for records changed since the newest cached one (minus a safety
 * margin), merging by id. Deleted records are dropped by the periodic full reconcile.
 */
export async function loadAccountData(crm: Crm, options: LoadOptions): Promise<LoadResult> {
  const now = options.now ?? Date.now
  const margin = options.safetyMarginMs ?? 10 * MINUTE
  const reconcileAfter = options.reconcileAfterMs ?? 7 * DAY
  const scope = `${crm.crm}:${options.account}`
  const factory = options.indexedDB === undefined ? defaultFactory() : options.indexedDB
  let db: CacheDb | null = null
  if (factory) {
    try {
      db = await openCacheDb(factory)
    } catch {
      db = null // storage disabled or full: work without a cache rather than fail
    }
  }
  let discarded: string | null = null
  let meta = db ? await readMeta(db, scope) : undefined
  if (db && meta && meta.format !== CACHE_FORMAT) {
    await discardScope(db, scope)
    discarded = 'format'
    meta = undefined
  }

  let cachedTotal = 0
  for (const m of Object.values(meta?.collections ?? {})) cachedTotal += m?.count ?? 0
  let read = 0
  let downloaded = 0
  const report = (phase: LoadProgress['phase']) =>
    options.onProgress?.(phase === 'cache' ? { phase, loaded: read, total: cachedTotal } : { phase, loaded: downloaded, total: null })

  const modes: LoadResult['modes'] = {}
  const call = options.signal ? { signal: options.signal } : {}

  async function download<T extends AnyRecord>(collection: CachedCollection, since: Date | undefined): Promise<T[]> {
    const c = crm[collection] as unknown as Crm['deals']
    const out: T[] = []
    for await (const page of c.list(since ? { updatedSince: since } : {}, call).pages()) {
      for (const r of page as unknown as T[]) out.push(slim(r))
      downloaded += page.length
      report('download')
    }
    return out
  }

  async function load<T extends AnyRecord>(collection: CachedCollection): Promise<T[]> {
    const m: CollectionMeta | undefined = meta?.collections[collection]
    const incremental = crm.capabilities.collections[collection].query.includes('updatedSince')
    if (db && m && incremental && now() - m.fullAt < reconcileAfter) {
      const chunks = (await readChunks(db, scope, collection).catch(() => {
        throw new CorruptCache()
      })) as T[][]
      const count = chunks.reduce((a, c) => a + c.length, 0)
      if (count !== m.count || !chunks.every((c) => c.every(looksValid))) throw new CorruptCache()
      read += count
      report('cache')
      const since = m.syncedTo === null ? undefined : new Date(m.syncedTo - margin)
      const changed = await download<T>(collection, since)
      const dirty = mergeIntoChunks(chunks, changed)
      const merged = chunks.flat()
      const tops = [m.syncedTo, newest(changed)].filter((x): x is number => x !== null)
      await writeChunks(db, scope, collection, dirty, { syncedTo: tops.length ? Math.max(...tops) : null, fullAt: m.fullAt, count: merged.length }, 'upsert')
      modes[collection] = 'incremental'
      return merged
    }
    const started = now()
    const all = await download<T>(collection, undefined)
    if (db) await writeChunks(db, scope, collection, toChunks(all), { syncedTo: newest(all), fullAt: started, count: all.length }, 'replace')
    modes[collection] = db ? 'full' : 'no-cache'
    return all
  }

  // Campaigns and spend may not be set up in the CRM yet (crm.setup()): then there are none.
  const optional = <T>(p: Promise<T[]>) => p.catch((e: unknown) => (e instanceof CorruptCache || options.signal?.aborted ? Promise.reject(e) : ([] as T[])))

  const run = () =>
    Promise.all([
      load<Deal>('deals'),
      crm.capabilities.leadIsDeal ? Promise.resolve(null) : load<Lead>('leads'),
      optional(load<Campaign>('campaigns')),
      optional(load<SpendEntry>('spend')),
    ])

  try {
    let result: Awaited<ReturnType<typeof run>>
    try {
      result = await run()
    } catch (e) {
      if (!(e instanceof CorruptCache) || !db) throw e
      // Unreadable rows (another version's shape, a half-written store): start afresh.
      await discardScope(db, scope)
      discarded = 'unreadable'
      meta = undefined
      read = 0
      result = await run()
    }
    const [deals, leads, campaigns, spend] = result
    return {
      data: { deals, leads: leads ?? deals.map(leadOfDeal), campaigns, spend },
      modes,
      fromCache: read,
      downloaded,
      discarded,
    }
  } finally {
    db?.close()
  }
}

class CorruptCache extends Error {}

/**
 * Custom fields (UTM marks are already mapped into `source`) and raw payloads are not used by
 * the attribution and would triple what is stored and cloned, so loaded records carry
 * `customFields: {}` — the same whether they came from the CRM or the cache.
 */
function slim<T extends AnyRecord>(r: T): T {
  const { raw: _raw, ...rest } = r as T & { raw?: unknown; customFields?: unknown }
  return 'customFields' in rest ? ({ ...rest, customFields: {} } as unknown as T) : (rest as unknown as T)
}

/** amoCRM: the lead is the deal record itself (same id), its status follows the deal's outcome. */
export function leadOfDeal(d: Deal): Lead {
  return { ...d, status: d.outcome === 'won' ? 'converted' : d.outcome === 'lost' ? 'junk' : 'open', dealId: d.id }
}
