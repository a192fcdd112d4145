import { describe, expect, it } from 'vitest'
import { LeakyBucket, OperatingBudget } from '../../../adapters/bitrix24/testing/index.js'
import { portal } from './helpers.js'

describe('Bitrix24 emulator: limits', () => {
  it('the leaky bucket holds `burst` requests and leaks `drainPerSecond`', () => {
    const b = new LeakyBucket({ burst: 3, drainPerSecond: 2 })
    expect([b.take(1000), b.take(1000), b.take(1000), b.take(1000)]).toEqual([true, true, true, false])
    expect(b.take(1500)).toBe(true) // 0.5 s leaked one
    expect(b.take(1500)).toBe(false)
  })

  it('answers 503 QUERY_LIMIT_EXCEEDED when the bucket overflows', async () => {
    const { call, emulator } = portal({ rateLimit: { burst: 3, drainPerSecond: 0.001 } })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await call('crm.category.list', { entityTypeId: 2 })).status)
    expect(statuses).toEqual([200, 200, 200, 503, 503])
    expect(emulator.stats.rateLimited).toBe(2)
  })

  it('answers 429 OPERATION_TIME_LIMIT once a method used its budget, for that method only', async () => {
    const { call, emulator } = portal({ operating: { limitSec: 0.05, windowSec: 600 } })
    const first = await call('crm.item.list', { entityTypeId: 2 })
    expect(first.status).toBe(200) // the call that crosses the limit completes
    expect(first.body.time.operating).toBeGreaterThan(0.05)
    const second = await call('crm.item.list', { entityTypeId: 2 })
    expect(second.status).toBe(429)
    expect(second.body.error).toBe('OPERATION_TIME_LIMIT')
    expect((await call('crm.category.list', { entityTypeId: 2 })).status).toBe(200)
    const batch = await call('batch', { cmd: { l: 'crm.item.list?entityTypeId=2', c: 'crm.category.list?entityTypeId=2' } })
    expect(batch.body.result.result_error.l.error).toBe('OPERATION_TIME_LIMIT')
    expect(batch.body.result.result.c.categories.length).toBeGreaterThan(0)
    expect(emulator.stats.operatingLimited).toBe(2)
    expect(emulator.operatingUsed('crm.item.list')).toBeGreaterThan(0.05)
  })

  it('billing whole batches to `batch` (live portals): a batch is refused with 429 once `batch` is spent', async () => {
    const { call, emulator } = portal({ operating: { limitSec: 0.15, windowSec: 600 }, batchBilling: 'batch' })
    const cmd = { a: 'crm.item.list?entityTypeId=2&start=-1', b: 'crm.item.list?entityTypeId=1&start=-1' }
    const first = await call('batch', { cmd })
    expect(first.status).toBe(200) // the batch that crosses the limit completes
    expect(first.body.time.operating).toBeGreaterThan(0.15)
    expect(first.body.result.result_time.a.operating).toBeUndefined() // nested methods are not billed
    const second = await call('batch', { cmd })
    expect([second.status, second.body.error]).toEqual([429, 'OPERATION_TIME_LIMIT'])
    // Single calls of the nested methods are still fine: only `batch` is spent.
    expect((await call('crm.item.list', { entityTypeId: 2, start: -1 })).status).toBe(200)
    expect(emulator.stats.operatingLimited).toBe(1)
    expect(emulator.operatingUsed('batch')).toBeGreaterThan(0.15)
    expect(emulator.log.at(-2)).toMatchObject({ restMethod: 'batch', commands: 2, status: 429 })
  })

  it('plan enterprise: a bucket of 250 that leaks 5 requests/s', async () => {
    let now = 1_700_000_000_000
    const { call, emulator } = portal({ plan: 'enterprise', rateLimit: undefined, now: () => now })
    const statuses: number[] = []
    for (let i = 0; i < 251; i++) statuses.push((await call('profile')).status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(250)
    expect(statuses.at(-1)).toBe(503)
    now += 1_000 // five leaked out
    const after: number[] = []
    for (let i = 0; i < 6; i++) after.push((await call('profile')).status)
    expect(after).toEqual([200, 200, 200, 200, 200, 503])
    expect(emulator.stats.rateLimited).toBe(2)
  })

  it('the operating budget forgets minutes older than the window', () => {
    const b = new OperatingBudget({ limitSec: 10, windowSec: 120 })
    b.add('k', 11, 0)
    expect(b.exhausted('k', 60_000)).toBe(true)
    expect(b.exhausted('k', 120_000)).toBe(false)
  })
})
