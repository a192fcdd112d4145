// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCrm, money, type Crm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { loadAccountData } from '../../widgets/data/account-data.js'
import { CACHE_FORMAT, CHUNK_SIZE, mergeIntoChunks, openCacheDb, toChunks } from '../../widgets/data/cache-db.js'

let emu: AmoCrmEmulatorServer
let crm: Crm
let idb: IDBFactory

beforeEach(() => {
  emu = setupAmoCrmEmulator({ seed: 3, size: { deals: 600, contacts: 200, companies: 10 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 200, maxConcurrent: 10 },
  })
  idb = new IDBFactory() // a fresh, empty browser profile per test
})
afterEach(async () => {
  await crm.close()
  emu.close()
})

const leadRequests = () => emu.emulator.log.filter((e) => e.path === '/api/v4/leads' && e.method === 'GET')
/** Each open is a new page (a new client); closing it waits for speculative page requests still in flight, so the log is complete. */
async function load(extra: Partial<Parameters<typeof loadAccountData>[1]> = {}) {
  const tab = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 200, maxConcurrent: 10 },
  })
  try {
    return await loadAccountData(tab, { account: 'acme', indexedDB: idb, ...extra })
  } finally {
    await tab.close()
  }
}
const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => Number(a.id) - Number(b.id))
/** What the CRM holds now, as the data layer keeps it (custom fields are not cached). */
const fresh = async () => byId((await crm.deals.list().toArray()).map((d) => ({ ...d, customFields: {} })))

describe('account data cache (IndexedDB)', () => {
  it('first load pages through everything; reopening asks only for what changed since', async () => {
    const progress: number[] = []
    const first = await load({ onProgress: (p) => p.phase === 'download' && progress.push(p.loaded) })
    expect(first.modes.deals).toBe('full')
    expect(first.data.deals).toHaveLength(600)
    expect(first.data.leads.map((l) => l.id)).toEqual(first.data.deals.map((d) => d.id)) // amoCRM: one record
    expect(progress.at(-1)).toBe(first.downloaded)
    const firstPages = leadRequests().length
    expect(firstPages).toBeGreaterThanOrEqual(3) // 600 deals at 250 a page
    expect(leadRequests().every((e) => !e.search.includes('updated_at'))).toBe(true)

    emu.emulator.log.length = 0
    const again = await load()
    expect(again.modes.deals).toBe('incremental')
    expect(again.fromCache).toBeGreaterThanOrEqual(600)
    const requests = leadRequests()
    expect(requests).toHaveLength(1) // one short page of changes
    expect(decodeURIComponent(requests[0]!.search)).toMatch(/filter\[updated_at\]\[from\]=\d+/)
    expect(again.downloaded).toBeLessThan(50)
    expect(byId(again.data.deals)).toEqual(byId(first.data.deals))
  })

  it('merges changed and new records by id', async () => {
    await load()
    const before = await crm.deals.list().toArray()
    const target = before[17]!
    await crm.deals.update(target.id, { amount: money('777777', 'RUB'), title: 'Изменено после кэша' })
    const created = await crm.deals.create({ title: 'Новая после кэша', source: { utm: { source: 'vk', medium: 'cpc' } } })
    const again = await load()
    expect(again.modes.deals).toBe('incremental')
    expect(again.data.deals).toHaveLength(before.length + 1)
    const changed = again.data.deals.find((d) => d.id === target.id)!
    expect([changed.title, changed.amount?.minor]).toEqual(['Изменено после кэша', 77_777_700])
    expect(again.data.deals.find((d) => d.id === created.id)?.source.utm.source).toBe('vk')
    expect(byId(again.data.deals)).toEqual(await fresh())
    // The merge was stored: a third open sees the same without downloading those two again in full.
    const third = await load()
    expect(third.data.deals.find((d) => d.id === target.id)?.title).toBe('Изменено после кэша')
  })

  it('discards a cache written in another format', async () => {
    await load()
    const db = await openCacheDb(idb)
    const meta = (await db.get('meta', 'amocrm:acme'))!
    await db.put('meta', { ...meta, format: CACHE_FORMAT + 1 })
    db.close()
    emu.emulator.log.length = 0
    const again = await load()
    expect(again.discarded).toBe('format')
    expect(again.modes.deals).toBe('full')
    expect(again.fromCache).toBe(0)
    expect(again.data.deals).toHaveLength(600)
  })

  it('discards unreadable rows and downloads afresh', async () => {
    await load()
    const db = await openCacheDb(idb)
    const [chunk] = await db.getAll('records', IDBKeyRange.bound(['amocrm:acme', 'deals'], ['amocrm:acme', 'deals', []]), 1)
    const records = [...chunk!.records]
    records[5] = { id: 'x', createdAt: '2026-01-01' } // not a record this version wrote
    await db.put('records', { ...chunk!, records })
    db.close()
    const again = await load()
    expect(again.discarded).toBe('unreadable')
    expect(again.modes.deals).toBe('full')
    expect(byId(again.data.deals)).toEqual(await fresh())
  })

  it('keeps accounts apart, reconciles in full after a week, and works without IndexedDB', async () => {
    await load()
    const other = await load({ account: 'other' })
    expect(other.modes.deals).toBe('full')
    const later = await load({ now: () => Date.now() + 8 * 86_400_000 })
    expect(later.modes.deals).toBe('full') // deletions only show up in a full download
    const none = await load({ indexedDB: null })
    expect(none.modes.deals).toBe('no-cache')
    expect(none.data.deals).toHaveLength(600)
  })
})

describe('chunked merge', () => {
  it('replaces known ids in place, appends new ones to the last chunk with room, and reports only touched chunks', () => {
    const recs = Array.from({ length: CHUNK_SIZE * 2 + 3 }, (_, i) => ({ id: String(i), v: 0 }))
    const chunks = [...toChunks(recs).values()]
    expect(chunks.map((c) => c.length)).toEqual([CHUNK_SIZE, CHUNK_SIZE, 3])
    const dirty = mergeIntoChunks(chunks, [
      { id: '5', v: 1 },
      { id: 'new-1', v: 2 },
      { id: String(CHUNK_SIZE * 2 + 1), v: 3 },
    ])
    expect([...dirty.keys()].sort()).toEqual([0, 2])
    expect(chunks[0]![5]).toEqual({ id: '5', v: 1 })
    expect(chunks[2]!.map((r) => r.id)).toEqual([String(CHUNK_SIZE * 2), String(CHUNK_SIZE * 2 + 1), String(CHUNK_SIZE * 2 + 2), 'new-1'])
    expect(chunks.flat()).toHaveLength(recs.length + 1)
    // A full last chunk makes a new one.
    const full = [[...Array(CHUNK_SIZE).keys()].map((i) => ({ id: `f${i}` }))]
    expect([...mergeIntoChunks(full, [{ id: 'g' }]).keys()]).toEqual([1])
    expect(full[1]).toEqual([{ id: 'g' }])
  })
})
