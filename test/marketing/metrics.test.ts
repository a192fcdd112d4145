import { describe, expect, it } from 'vitest'
import { money } from '../../sdk/model/money.js'
import { attribute, journeysFromPaths, paretoView, performanceReport, rollUpBudgets, spendFromBudgetReport } from '../../sdk/marketing/index.js'

describe('performance report', () => {
  const leads = attribute(journeysFromPaths([{ path: ['search'], conversions: 40 }, { path: ['email', 'search'], conversions: 20 }, { path: ['social'], conversions: 10 }]), 'linear')
  const deals = attribute(journeysFromPaths([{ path: ['search'], conversions: 10 }, { path: ['email', 'search'], conversions: 4 }]), 'linear')
  const won = attribute(journeysFromPaths([{ path: ['search'], conversions: 4, value: 4_000_000 }, { path: ['email', 'search'], conversions: 2, value: 1_000_000 }], 'RUB'), 'linear')

  it('joins fractional credit with spend; ratios are named and null on zero denominators', () => {
    const r = performanceReport({ currency: 'RUB', leads, deals, won, spend: { search: 1_000_000, email: 100_000, social: 50_000, tv: 300_000 }, salesCost: { search: 200_000 }, marginRate: 0.5 })
    const search = r.rows.find((x) => x.key === 'search')!
    expect(search).toMatchObject({ leads: 50, deals: 12, won: 5, revenue: 4_500_000, spend: 1_000_000 })
    expect(search.cpl).toBe(20_000)
    expect(search.costPerDeal).toBeCloseTo(1_000_000 / 12, 9)
    expect(search.cpa).toBe(200_000)
    expect(search.cac).toBe(240_000)
    expect(search.conversion).toEqual({ leadToDeal: 12 / 50, leadToWon: 0.1, dealToWon: 5 / 12 })
    expect(search.romi).toBe(3.5)
    expect(search.marginRomi).toBe(1.25)
    expect(search.roas).toBe(4.5)
    const social = r.rows.find((x) => x.key === 'social')!
    expect(social.cpa).toBeNull()
    expect(social.conversion.dealToWon).toBeNull()
    const tv = r.rows.find((x) => x.key === 'tv')!
    expect(tv.cpl).toBeNull()
    expect(tv.romi).toBe(-1)
    expect(r.total.spend).toBe(1_450_000)
    expect(r.total.leads).toBe(70)
    for (const row of r.rows) for (const v of [row.cpl, row.cpa, row.romi, row.roas]) expect(v === null || Number.isFinite(v)).toBe(true)
  })

  it('takes spend from a budget roll-up', () => {
    const report = rollUpBudgets(
      [{ campaignId: 'c', channel: 'search', ownerId: null, planId: null, startsAt: new Date('2026-03-01'), endsAt: new Date('2026-03-31'), planned: money('10000', 'RUB'), approved: null }],
      [{ campaignId: 'c', date: new Date('2026-03-02'), amount: money('11400', 'RUB'), kind: 'actual' }],
      { rates: { base: 'RUB', rates: {} }, groupBy: 'channel' },
    )
    const won20k = attribute(journeysFromPaths([{ path: ['search'], conversions: 1, value: 2_000_000 }], 'RUB'), 'first-touch')
    const r = performanceReport({ currency: 'RUB', won: won20k, spend: spendFromBudgetReport(report) })
    expect(r.rows[0]!.romi).toBeCloseTo(0.754386, 6)
  })
})

describe('Pareto view', () => {
  const rows = [
    { key: 'a', spend: 100, revenue: 8000 },
    { key: 'b', spend: 300, revenue: 1000 },
    { key: 'c', spend: 400, revenue: 600 },
    { key: 'd', spend: 200, revenue: 400 },
    { key: 'organic', spend: 0, revenue: 0 },
  ]

  it('which share of spend brings 80 % of revenue, and what the top 20 % of spend brings', () => {
    const p = paretoView(rows)
    expect(p.rows.map((r) => r.key)).toEqual(['a', 'b', 'd', 'c', 'organic'])
    expect(p.keysForRevenueShare).toEqual(['a'])
    expect(p.spendShareForRevenueShare).toBeCloseTo(0.1, 12)
    // First 200 of 1000 spend: all of a (8000) + 100/300 of b (333.3) → 8333.3 / 10000.
    expect(p.revenueShareOfTopSpend).toBeCloseTo(0.833333, 6)
    expect(p.rows.at(-1)!.cumulativeRevenueShare).toBeCloseTo(1, 12)
    expect(p.rows.at(-1)!.cumulativeSpendShare).toBeCloseTo(1, 12)
  })

  it('no revenue: shares are null, never NaN', () => {
    const p = paretoView([{ key: 'x', spend: 10, revenue: 0 }])
    expect(p.spendShareForRevenueShare).toBeNull()
    expect(p.revenueShareOfTopSpend).toBeNull()
    expect(p.rows[0]!.cumulativeRevenueShare).toBeNull()
  })
})
