import { describe, expect, it } from 'vitest'
import { issuePath } from './validation.js'
import { emptySource, money, type Campaign, type Deal, type Lead, type SpendEntry } from '../../sdk/index.js'
import { attributionReport, type ReportInput } from '../../sdk/marketing/report.js'

const day = (s: string) => new Date(`${s}T00:00:00Z`)
let n = 0
function record(contactId: string, created: string, utmSource: string, medium: string, outcome: Deal['outcome'], amount = 0, currency = 'RUB') {
  const id = String(++n)
  const source = { ...emptySource(), utm: { source: utmSource, medium, campaign: `${utmSource}_c`, content: null, term: null } }
  const base = { id, createdAt: day(created), updatedAt: day(created), customFields: {}, title: id, amount: money(String(amount), currency), pipelineId: '1', stageId: '1:1', ownerId: null, contactId, companyId: null, source }
  const deal: Deal = { ...base, outcome, closedAt: outcome === 'open' ? null : day(created), lossReason: null, contactIds: [contactId], leadId: id }
  const lead: Lead = { ...base, status: outcome === 'won' ? 'converted' : outcome === 'lost' ? 'junk' : 'open', dealId: id }
  return { lead, deal }
}

const rows = [
  record('a', '2026-03-01', 'yandex', 'cpc', 'won', 100_000),
  record('b', '2026-03-02', 'yandex', 'cpc', 'open'),
  record('c', '2026-03-03', 'vk', 'paid_social', 'lost'),
  record('d', '2026-03-04', 'vk', 'paid_social', 'won', 50_000),
  record('e', '2026-05-01', 'vk', 'paid_social', 'won', 999_999), // outside the range
  record('f', '2026-03-06', 'vk', 'paid_social', 'won', 100, 'USD'),
]
const campaigns = [
  { id: 'c1', channel: 'paid-search', source: 'yandex', utmCampaign: 'yandex_c', name: 'Директ' },
  { id: 'c2', channel: 'paid-social', source: 'vk', utmCampaign: 'vk_c', name: 'VK' },
] as Campaign[]
const spend = [
  { campaignId: 'c1', date: day('2026-03-01'), amount: money('20000', 'RUB'), kind: 'actual' },
  { campaignId: 'c2', date: day('2026-03-02'), amount: money('10000', 'RUB'), kind: 'actual' },
  { campaignId: 'c2', date: day('2026-03-02'), amount: money('77777', 'RUB'), kind: 'committed' },
  { campaignId: 'c2', date: day('2026-03-05'), amount: money('5', 'USD'), kind: 'actual' },
  { campaignId: 'c1', date: day('2026-03-07'), amount: money('3', 'EUR'), kind: 'actual' },
] as SpendEntry[]
const input: ReportInput = {
  leads: rows.map((x) => x.lead),
  deals: rows.map((x) => x.deal),
  campaigns,
  spend,
  model: 'last-touch',
  groupBy: 'channel',
  from: day('2026-03-01'),
  to: day('2026-03-31'),
  currency: 'RUB',
}
const rates = { base: 'RUB', rates: { USD: '92.4512' }, asOf: day('2026-03-01') }

describe('attribution report', () => {
  it('credits leads, deals and won revenue by model and joins spend by the campaign’s channel; without rates other currencies are left out and listed', () => {
    const r = attributionReport(input)
    const by = Object.fromEntries(r.rows.map((row) => [row.key, row]))
    expect(by['paid-search']).toMatchObject({ leads: 2, deals: 2, won: 1, revenue: 10_000_000, spend: 2_000_000 })
    // The USD won deal is left out whole (touch and conversions), like the USD spend.
    expect(by['paid-social']).toMatchObject({ leads: 3, deals: 2, won: 1, revenue: 5_000_000, spend: 1_000_000 })
    expect(by['paid-search']!.cpl).toBe(1_000_000)
    expect(by['paid-search']!.romi).toBeCloseTo(4)
    expect(by['paid-social']!.conversion.leadToWon).toBeCloseTo(1 / 3)
    expect(r.total).toMatchObject({ leads: 5, won: 2, revenue: 15_000_000, spend: 3_000_000 })
    expect(r.skippedCurrencies).toEqual(['EUR', 'USD'])
    expect(r.rates).toBeUndefined()
  })

  it('converts revenue and spend in other currencies with the user’s rates, each amount once, and keeps the rates with the report', () => {
    const r = attributionReport({ ...input, rates })
    const by = Object.fromEntries(r.rows.map((row) => [row.key, row]))
    // 100 USD × 92.4512 = 9 245.12 RUB exactly; 5 USD × 92.4512 = 462.256 RUB → 46 226 kopecks (half-even).
    expect(by['paid-social']).toMatchObject({ leads: 3, deals: 3, won: 2, revenue: 5_000_000 + 924_512, spend: 1_000_000 + 46_226 })
    expect(by['paid-search']).toMatchObject({ won: 1, revenue: 10_000_000, spend: 2_000_000 })
    expect(r.total).toMatchObject({ won: 3, revenue: 15_924_512, spend: 3_046_226 })
    expect(r.currency).toBe('RUB')
    // No rate for EUR: still left out, and said so.
    expect(r.skippedCurrencies).toEqual(['EUR'])
    expect(r.rates).toEqual(rates)
    expect(r.rounding).toBe('half-even')
    expect(attributionReport({ ...input, rates, rounding: 'floor' }).total.spend).toBe(3_046_225)
  })

  it('rates into another base than the report currency, or a bad rate, are a ValidationError naming the field', () => {
    expect(issuePath(() => attributionReport({ ...input, rates: { base: 'USD', rates: { RUB: '0.0108' } } }))).toEqual(['rates', 'base'])
    expect(issuePath(() => attributionReport({ ...input, rates: { base: 'RUB', rates: { USD: '-1' } } }))).toEqual(['rates', 'rates', 'USD'])
  })

  it('groups by utm_source and by campaign, spend following the campaign’s source / utm_campaign', () => {
    const bySource = attributionReport({ ...input, rates, groupBy: 'source' })
    expect(bySource.rows.map((row) => [row.key, row.leads, row.won, row.revenue, row.spend])).toEqual([
      ['vk', 3, 2, 5_924_512, 1_046_226],
      ['yandex', 2, 1, 10_000_000, 2_000_000],
    ])
    const byCampaign = attributionReport({ ...input, groupBy: 'campaign', model: 'first-touch' })
    expect(byCampaign.rows.map((row) => [row.key, row.leads, row.deals, row.won, row.revenue, row.spend])).toEqual([
      ['vk_c', 3, 2, 1, 5_000_000, 1_000_000],
      ['yandex_c', 2, 2, 1, 10_000_000, 2_000_000],
    ])
    // A campaign without utm_campaign is keyed by its name, like its touches would be.
    const named = attributionReport({ ...input, groupBy: 'campaign', campaigns: [{ ...campaigns[0]!, utmCampaign: null }, campaigns[1]!] })
    expect(named.rows.find((row) => row.key === 'Директ')).toMatchObject({ spend: 2_000_000, leads: 0 })
  })
})
