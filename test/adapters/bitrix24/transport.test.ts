import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { WriteOutcomeUnknownError, createCrm, money } from '../../../sdk/index.js'
import { bitrix24 } from '../../../adapters/bitrix24/index.js'
import { OperatingTracker } from '../../../adapters/bitrix24/limits.js'
import { ENTITY } from '../../../adapters/bitrix24/testing/index.js'
import { setupBitrix24Emulator } from '../../../adapters/bitrix24/testing/node.js'

const open: (() => void)[] = []
afterEach(() => {
  while (open.length) open.pop()!()
})
function start(deals: number) {
  const s = setupBitrix24Emulator({ seed: 4, size: { deals, leads: 10, contacts: 20, companies: 3 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  open.push(s.close)
  const crm = createCrm(bitrix24({ auth: { kind: 'webhook', url: s.emulator.webhookUrl } }), { rateLimit: { requestsPerSecond: 50, maxConcurrent: 2 } })
  open.push(() => void crm.close())
  return { ...s, crm }
}

describe('Bitrix24 transport', () => {
  it('exports with batches of ≤ 50 chained `>id` + `start=-1` list commands: 2,500 rows per request', async () => {
    const { crm, emulator } = start(6_000)
    const seen = new Set<string>()
    for await (const page of crm.deals.list().pages()) for (const d of page) seen.add(d.id)
    expect(seen.size).toBe(6_000)
    const batches = emulator.log.filter((r) => r.restMethod === 'batch')
    // dictionary + first counted page + ceil(5950 / 2500) = 3 batches
    expect(batches.length).toBe(5)
    expect(Math.max(...batches.map((b) => b.commands))).toBe(50)
    expect(emulator.stats.commands).toBeLessThanOrEqual(6 + 1 + 6_000 / 50 + 2)
  })

  it('incremental sync: updatedSince narrows the export', async () => {
    const { crm, emulator } = start(300)
    const rows = [...emulator.db.table(ENTITY.deal).values()]
    const since = new Date(Math.max(...rows.map((r) => Date.parse(String(r.updatedTime)))) - 30 * 86_400_000)
    const recent = await crm.deals.list({ updatedSince: since }).toArray()
    expect(recent.length).toBe(rows.filter((r) => Date.parse(String(r.updatedTime)) >= since.getTime()).length)
    expect(recent.length).toBeGreaterThan(0)
    expect(recent.length).toBeLessThan(300)
  })

  it('writes 120 deals as 3 batches of ≤ 50 adds, outcomes mapped back in order', async () => {
    const { crm, emulator } = start(10)
    const before = emulator.db.table(ENTITY.deal).size
    const inputs = Array.from({ length: 120 }, (_, i) => ({ title: `Bulk ${i}`, amount: money(`${i}.5`, 'RUB') }))
    inputs[77] = { title: 'bad', stageId: 'NO_SUCH_STAGE' } as never
    const out = await crm.deals.createMany(inputs)
    expect(out.filter((o) => o.ok)).toHaveLength(119)
    expect(out[77]!.ok).toBe(false)
    expect(out.map((o) => (o.ok ? o.record.title : null))[5]).toBe('Bulk 5')
    expect(emulator.db.table(ENTITY.deal).size).toBe(before + 119)
    const writes = emulator.log.filter((r) => r.restMethod === 'batch' && r.commands > 6)
    // The invalid input fails locally and is never sent.
    expect(writes.map((w) => w.commands)).toEqual([50, 49, 20])
  })

  it('never repeats an add batch whose outcome is unknown (a 500 after sending)', async () => {
    const { crm, emulator, server } = start(10)
    await crm.pipelines.list().toArray() // dictionary first
    let hits = 0
    server.use(http.post(`${emulator.webhookUrl}batch`, () => (hits++, new HttpResponse('Internal error', { status: 500 }))))
    const out = await crm.deals.createMany([{ title: 'A' }, { title: 'B' }])
    expect(hits).toBe(1)
    expect(out.every((o) => !o.ok && o.error instanceof WriteOutcomeUnknownError)).toBe(true)
  })

  it('retries a read batch whose commands hit the operating limit, after a pause', async () => {
    const { crm, emulator, server } = start(30)
    await crm.pipelines.list().toArray()
    server.use(
      http.post(`${emulator.webhookUrl}batch`, () =>
        HttpResponse.json({ result: { result: [], result_error: { c0: { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' } }, result_total: [], result_next: [], result_time: { c0: { operating: 480, operating_reset_at: 1001, finish: 1000 } } }, time: {} }),
        { once: true },
      ),
    )
    const deals = await crm.deals.list().toArray()
    expect(deals).toHaveLength(30)
    // The failed batch plus the repeat.
    expect(emulator.log.filter((r) => r.restMethod === 'batch').length).toBeGreaterThanOrEqual(2)
  })
})

describe('Bitrix24 leads', () => {
  it('links converted leads to their deal (deal.leadId ↔ lead.dealId)', async () => {
    const { crm } = start(200)
    const deals = await crm.deals.list().toArray()
    const leads = await crm.leads.list().toArray()
    const fromDeals = deals.filter((d) => d.leadId)
    expect(fromDeals.length).toBeGreaterThan(0)
    for (const d of fromDeals) expect(leads.find((l) => l.id === d.leadId)!.dealId).toBe(d.id)
    const one = await crm.leads.get(fromDeals[0]!.leadId!)
    expect(one.dealId).toBe(fromDeals[0]!.id)
    expect(leads.filter((l) => l.status !== 'converted').every((l) => l.dealId === null)).toBe(true)
  })
})

describe('OperatingTracker', () => {
  it('waits before a method that used ≥ 90 % of its budget, until its reset', () => {
    let now = 1_000_000
    const t = new OperatingTracker({ budgetSec: 480, now: () => now })
    t.observe('crm.item.list', { operating: 100, operating_reset_at: 2000, finish: 1900 })
    expect(t.delayFor(['crm.item.list'])).toBe(0)
    t.observe('crm.item.list', { operating: 440, operating_reset_at: 2000, finish: 1900 })
    expect(t.delayFor(['crm.item.list', 'crm.item.get'])).toBe(100_000)
    expect(t.delayFor(['crm.item.get'])).toBe(0)
    now += 100_000
    expect(t.delayFor(['crm.item.list'])).toBe(0)
    expect(t.usage('crm.item.list')).toBe(0)
  })

  it('ignores time objects without operating (self-hosted portals)', () => {
    const t = new OperatingTracker({ budgetSec: 480 })
    t.observe('x', { start: 1, finish: 2 })
    expect(t.usage('x')).toBe(0)
  })
})
