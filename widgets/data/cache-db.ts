import { wrap, type DBSchema, type IDBPDatabase } from 'idb'

/**
 * The widgets' local copy of CRM records in IndexedDB (via `idb`, a 1 KB promise wrapper). One
 * database per origin; every row carries its scope (CRM + account), so accounts never mix.
 */
export const CACHE_DB_NAME = 'crmkit-cache'
/** IndexedDB schema version: an upgrade drops every store, so an old layout is never read. */
export const CACHE_DB_VERSION = 1
/** Format of the stored records (the common model's shape). A scope written under another format is discarded. */
export const CACHE_FORMAT = 1 // records without custom fields, in chunks

export type CachedCollection = 'deals' | 'leads' | 'campaigns' | 'spend'

export interface CollectionMeta {
  /** Newest `updatedAt` (CRM clock, epoch ms) among the stored records; null when there are none. */
  syncedTo: number | null
  /** When the collection was last downloaded in full (local clock, epoch ms). */
  fullAt: number
  count: number
}

export interface ScopeMeta {
  scope: string
  format: number
  collections: Partial<Record<CachedCollection, CollectionMeta>>
}

/**
 * Records are stored in chunks of up to CHUNK_SIZE: a 100,000-deal account is 100 rows, not
 * 100,000, which makes reading and writing it an order of magnitude faster (each IndexedDB
 * request has a fixed cost). An incremental sync rewrites only the chunks it touched.
 */
export const CHUNK_SIZE = 1_000

export interface CachedChunk {
  scope: string
  collection: CachedCollection
  /** Chunk number, zero-padded so keys sort in order. */
  id: string
  records: unknown[]
}
interface CacheSchema extends DBSchema {
  records: { key: [string, string, string]; value: CachedChunk }
  meta: { key: string; value: ScopeMeta }
}

export type CacheDb = IDBPDatabase<CacheSchema>

export async function openCacheDb(factory: IDBFactory, name = CACHE_DB_NAME): Promise<CacheDb> {
  // idb's openDB() only knows the global factory; wrap() takes ours (tests and Node pass fake-indexeddb).
  const request = factory.open(name, CACHE_DB_VERSION)
  request.onupgradeneeded = () => {
    const db = request.result
    for (const store of [...db.objectStoreNames]) db.deleteObjectStore(store)
    db.createObjectStore('records', { keyPath: ['scope', 'collection', 'id'] })
    db.createObjectStore('meta', { keyPath: 'scope' })
  }
  const db = (await wrap(request)) as unknown as CacheDb
  // A newer widget version in another tab wants to upgrade: let it.
  db.addEventListener('versionchange', () => db.close())
  return db
}

/** All keys of one collection of a scope: arrays sort after strings, so `[s, c, []]` bounds `[s, c, *]`. */
const range = (scope: string, collection: CachedCollection) => IDBKeyRange.bound([scope, collection], [scope, collection, []])

const chunkId = (n: number) => String(n).padStart(6, '0')

/** The stored chunks of a collection, in order (chunk n at index n). */
export async function readChunks(db: CacheDb, scope: string, collection: CachedCollection): Promise<unknown[][]> {
  const rows = await db.getAll('records', range(scope, collection))
  return rows.map((r, i) => {
    if (r.id !== chunkId(i) || !Array.isArray(r.records)) throw new TypeError(`cache chunk ${i} of ${collection} is unreadable`)
    return r.records
  })
}

/**
 * Writes chunks of a collection and its meta in one transaction: all of them after clearing the
 * collection (full download) or only the changed ones (incremental).
 */
export async function writeChunks(
  db: CacheDb,
  scope: string,
  collection: CachedCollection,
  chunks: ReadonlyMap<number, unknown[]>,
  meta: CollectionMeta,
  mode: 'replace' | 'upsert',
): Promise<void> {
  const tx = db.transaction(['records', 'meta'], 'readwrite')
  const store = tx.objectStore('records')
  if (mode === 'replace') void store.delete(range(scope, collection))
  for (const [n, records] of chunks) void store.put({ scope, collection, id: chunkId(n), records })
  const metas = tx.objectStore('meta')
  const current = (await metas.get(scope)) ?? { scope, format: CACHE_FORMAT, collections: {} }
  await metas.put({ ...current, format: CACHE_FORMAT, collections: { ...current.collections, [collection]: meta } })
  await tx.done
}

/** Cuts records into chunks 0…n for a full write. */
export function toChunks<T>(records: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (let i = 0; i < records.length; i += CHUNK_SIZE) out.set(i / CHUNK_SIZE, records.slice(i, i + CHUNK_SIZE))
  return out
}

/**
 * Merges changed records into the stored chunks by id (in place): a known id is replaced where it
 * is, a new one is appended to the last chunk with room. Returns the chunks to write back.
 */
export function mergeIntoChunks<T extends { id: string }>(chunks: T[][], changed: readonly T[]): Map<number, T[]> {
  const where = new Map<string, [number, number]>()
  chunks.forEach((c, n) => c.forEach((r, i) => where.set(r.id, [n, i])))
  const dirty = new Map<number, T[]>()
  for (const r of changed) {
    const at = where.get(r.id)
    if (at) {
      chunks[at[0]]![at[1]] = r
      dirty.set(at[0], chunks[at[0]]!)
      continue
    }
    let n = chunks.length - 1
    if (n < 0 || chunks[n]!.length >= CHUNK_SIZE) chunks.push([]), (n = chunks.length - 1)
    chunks[n]!.push(r)
    where.set(r.id, [n, chunks[n]!.length - 1])
    dirty.set(n, chunks[n]!)
  }
  return dirty
}

export function readMeta(db: CacheDb, scope: string): Promise<ScopeMeta | undefined> {
  return db.get('meta', scope)
}

/** Drops everything stored for a scope (old format, unreadable rows). */
export async function discardScope(db: CacheDb, scope: string): Promise<void> {
  const tx = db.transaction(['records', 'meta'], 'readwrite')
  void tx.objectStore('records').delete(IDBKeyRange.bound([scope], [scope, []]))
  void tx.objectStore('meta').delete(scope)
  await tx.done
}
