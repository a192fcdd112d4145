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

  it('the operating budget forgets minutes older than the window', () => {
    const b = new OperatingBudget({ limitSec: 10, windowSec: 120 })
    b.add('k', 11, 0)
    expect(b.exhausted('k', 60_000)).toBe(true)
    expect(b.exhausted('k', 120_000)).toBe(false)
  })
})
