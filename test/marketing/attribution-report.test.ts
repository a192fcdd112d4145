import { describe, expect, it } from 'vitest'
import { emptySource, money, type Campaign, type Deal, type Lead, type SpendEntry } from '../../sdk/index.js'
import { attributionReport } from '../../sdk/marketing/report.js'

const day = (s: string) => new Date(`${s}T00:00:00Z`)
let n = 0
function record(contactId: string, created: string, utmSource: string, medium: string, outcome: Deal['outcome'], amount = 0) {
  const id = String(++n)
  const source = { ...emptySource(), utm: { source: utmSource, medium, campaign: `${utmSource}_c`, content: null, term: null } }
  const base = { id, createdAt: day(created), updatedAt: day(created), customFields: {}, title: id, amount: money(String(amount), 'RUB'), pipelineId: '1', stageId: '1:1', ownerId: null, contactId, companyId: null, source }
  const deal: Deal = { ...base, outcome, closedAt: outcome === 'open' ? null : day(created), lossReason: null, contactIds: [contactId], leadId: id }
  const lead: Lead = { ...base, status: outcome === 'won' ? 'converted' : outcome === 'lost' ? 'junk' : 'open', dealId: id }
  return { lead, deal }
}

describe('attribution report', () => {
  it('credits leads, deals and won revenue by model and joins spend by the campaign’s channel', () => {
    const rows = [
      record('a', '2026-03-01', 'yandex', 'cpc', 'won', 100_000),
      record('b', '2026-03-02', 'yandex', 'cpc', 'open'),
      record('c', '2026-03-03', 'vk', 'paid_social', 'lost'),
      record('d', '2026-03-04', 'vk', 'paid_social', 'won', 50_000),
      record('e', '2026-05-01', 'vk', 'paid_social', 'won', 999_999), // outside the range
    ]
    const campaigns = [
      { id: 'c1', channel: 'paid-search', name: 'Директ' },
      { id: 'c2', channel: 'paid-social', name: 'VK' },
    ] as Campaign[]
    const spend = [
      { campaignId: 'c1', date: day('2026-03-01'), amount: money('20000', 'RUB'), kind: 'actual' },
      { campaignId: 'c2', date: day('2026-03-02'), amount: money('10000', 'RUB'), kind: 'actual' },
      { campaignId: 'c2', date: day('2026-03-02'), amount: money('77777', 'RUB'), kind: 'committed' },
      { campaignId: 'c2', date: day('2026-03-05'), amount: money('5', 'USD'), kind: 'actual' },
    ] as SpendEntry[]
    const r = attributionReport({
      leads: rows.map((x) => x.lead),
      deals: rows.map((x) => x.deal),
      campaigns,
      spend,
      model: 'last-touch',
      groupBy: 'channel',
      from: day('2026-03-01'),
      to: day('2026-03-31'),
      currency: 'RUB',
    })
    const by = Object.fromEntries(r.rows.map((row) => [row.key, row]))
    expect(by['paid-search']).toMatchObject({ leads: 2, deals: 2, won: 1, revenue: 10_000_000, spend: 2_000_000 })
    expect(by['paid-social']).toMatchObject({ leads: 2, deals: 2, won: 1, revenue: 5_000_000, spend: 1_000_000 })
    expect(by['paid-search']!.cpl).toBe(1_000_000)
    expect(by['paid-search']!.romi).toBeCloseTo(4)
    expect(by['paid-social']!.conversion.leadToWon).toBeCloseTo(0.5)
    expect(r.total).toMatchObject({ leads: 4, won: 2, revenue: 15_000_000, spend: 3_000_000 })
    expect(r.skippedCurrencies).toEqual(['USD'])
  })
})
