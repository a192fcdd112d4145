import fc from 'fast-check'
import { issuePath } from './validation.js'
import { describe, expect, it } from 'vitest'
import { money } from '../../sdk/model/money.js'
import {
  allocateByMonth,
  budgetFromCampaign,
  createApproval,
  transition,
  budgetAlerts,
  createConverter,
  largestRemainder,
  roundDiv,
  rollUpBudgets,
  type CampaignBudget,
  type SpendLine,
} from '../../sdk/marketing/index.js'

const d = (s: string) => new Date(`${s}T00:00:00Z`)


const budgets: CampaignBudget[] = [
  { campaignId: 'spring', channel: 'paid-search', ownerId: 'anna', planId: 'P1', startsAt: d('2026-03-01'), endsAt: d('2026-04-30'), planned: money('100000', 'RUB'), approved: money('90000', 'RUB') },
  { campaignId: 'promo', channel: 'paid-social', ownerId: 'oleh', planId: 'P1', startsAt: d('2026-03-15'), endsAt: d('2026-03-31'), planned: money('1000', 'USD'), approved: null },
  { campaignId: 'kyiv', channel: 'paid-search', ownerId: 'oleh', planId: 'P2', startsAt: d('2026-04-01'), endsAt: d('2026-04-10'), planned: money('20000', 'UAH'), approved: money('20000', 'UAH') },
]
const spend: SpendLine[] = [
  { campaignId: 'spring', date: d('2026-03-10'), amount: money('30000', 'RUB'), kind: 'actual' },
  { campaignId: 'spring', date: d('2026-04-02'), amount: money('25000', 'RUB'), kind: 'committed' },
  { campaignId: 'promo', date: d('2026-03-20'), amount: money('333.33', 'USD'), kind: 'actual' },
  { campaignId: 'kyiv', date: d('2026-04-03'), amount: money('5000', 'UAH'), kind: 'actual' },
]
const rates = { base: 'RUB', rates: { USD: '92.4512', UAH: '2.2' }, asOf: d('2026-03-01') }

describe('currency conversion', () => {
  it('converts each entry once with the stated rounding, keeping the rate', () => {
    const c = createConverter(rates)
    expect(c.convert(money('333.33', 'USD'))).toEqual({ original: money('333.33', 'USD'), converted: { minor: 3_081_676, currency: 'RUB' }, rate: '92.4512' })
    // 333.33 × 92.4512 = 30816.758496 RUB = 3081675.8496 kopecks: rounded once, never truncated.
    expect(createConverter(rates, 'trunc').toBaseMinor(money('333.33', 'USD'))).toBe(3_081_675)
    const half = createConverter({ base: 'RUB', rates: { USD: '0.5' } })
    expect(half.toBaseMinor({ minor: 5, currency: 'USD' })).toBe(2) // 2.5 → 2 (half-even)
    expect(createConverter({ base: 'RUB', rates: { USD: '0.5' } }, 'half-up').toBaseMinor({ minor: 5, currency: 'USD' })).toBe(3)
  })

  it('rounding modes on exact halves', () => {
    expect(roundDiv(5n, 2n, 'half-even')).toBe(2n)
    expect(roundDiv(7n, 2n, 'half-even')).toBe(4n)
    expect(roundDiv(5n, 2n, 'half-up')).toBe(3n)
    expect(roundDiv(-5n, 2n, 'half-up')).toBe(-3n)
    expect(roundDiv(-5n, 2n, 'floor')).toBe(-3n)
    expect(roundDiv(-5n, 2n, 'ceil')).toBe(-2n)
    expect(roundDiv(-5n, 2n, 'trunc')).toBe(-2n)
  })

  it('handles currencies with other exponents (JPY 0, KWD 3)', () => {
    const c = createConverter({ base: 'RUB', rates: { JPY: '0.61', KWD: '300.125' } })
    expect(c.toBaseMinor(money('1000', 'JPY'))).toBe(61_000)
    expect(c.toBaseMinor(money('1.005', 'KWD'))).toBe(30_163) // 301.625625 RUB → 30162.5625 → 30163
  })

  it('rejects unknown currencies, missing and bad rates, naming the field', () => {
    expect(issuePath(() => createConverter({ base: 'XXQ', rates: {} }))).toEqual(['rates', 'base'])
    expect(issuePath(() => createConverter({ base: 'RUB', rates: { USD: '-1' } }))).toEqual(['rates', 'rates', 'USD'])
    expect(issuePath(() => createConverter({ base: 'RUB', rates: { USD: '0' } }))).toEqual(['rates', 'rates', 'USD'])
    expect(issuePath(() => createConverter({ base: 'RUB', rates: {} }).convert(money('1', 'EUR'), ['amount']))).toEqual(['amount', 'currency'])
  })
})

describe('budget roll-ups', () => {
  it('by channel: planned/approved/committed/actual, remaining and variance in the base currency', () => {
    const r = rollUpBudgets(budgets, spend, { rates, groupBy: 'channel' })
    const search = r.rows.find((x) => x.key === 'paid-search')!
    expect(search).toEqual({
      key: 'paid-search',
      planned: 10_000_000 + 4_400_000,
      approved: 9_000_000 + 4_400_000,
      committed: 2_500_000,
      actual: 3_000_000 + 1_100_000,
      remaining: 13_400_000 - 2_500_000 - 4_100_000,
      variance: 4_100_000 - 14_400_000,
    })
    const social = r.rows.find((x) => x.key === 'paid-social')!
    expect(social.planned).toBe(9_245_120)
    expect(social.actual).toBe(3_081_676)
    expect(r.total.actual).toBe(r.rows.reduce((a, x) => a + x.actual, 0))
    expect(r.rates).toBe(rates)
    expect(r.rounding).toBe('half-even')
  })

  it('by month: planned spread by days with exact integer totals; spend by its date', () => {
    const r = rollUpBudgets(budgets, spend, { rates, groupBy: 'month' })
    expect(r.rows.map((x) => x.key)).toEqual(['2026-03', '2026-04'])
    expect(r.total.planned).toBe(10_000_000 + 9_245_120 + 4_400_000)
    const march = r.rows[0]!
    expect(march.actual).toBe(3_000_000 + 3_081_676)
    expect(march.committed).toBe(0)
    // spring: 31 of 61 days in March.
    expect(allocateByMonth(10_000_000, d('2026-03-01'), d('2026-04-30')).get('2026-03')).toBe(Math.round((10_000_000 * 31) / 61))
  })

  it('by plan and owner', () => {
    expect(rollUpBudgets(budgets, spend, { rates, groupBy: 'plan' }).rows.map((x) => x.key)).toEqual(['P1', 'P2'])
    const owners = rollUpBudgets(budgets, spend, { rates, groupBy: 'owner' })
    expect(owners.rows.find((x) => x.key === 'oleh')!.actual).toBe(3_081_676 + 1_100_000)
  })

  it('largest remainder always sums exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), (total, ws) => {
        const parts = largestRemainder(total, new Map(ws.map((w, i) => [`m${i}`, w])))
        expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(total)
      }),
    )
  })

  it('the total equals the sum of rows for any grouping and any entries', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }), fc.constantFrom('channel', 'month', 'plan', 'owner', 'campaign' as const), (amounts, groupBy) => {
        const lines: SpendLine[] = amounts.map((a, i) => ({ campaignId: budgets[i % 3]!.campaignId, date: d('2026-03-20'), amount: { minor: a, currency: budgets[i % 3]!.planned.currency }, kind: i % 2 ? 'actual' : 'committed' }))
        const r = rollUpBudgets(budgets, lines, { rates, groupBy })
        for (const f of ['planned', 'approved', 'committed', 'actual'] as const) expect(r.total[f]).toBe(r.rows.reduce((a, x) => a + x[f], 0))
      }),
      { numRuns: 50 },
    )
  })

  it('bad input is a ValidationError naming the field', () => {
    const b0 = budgets[0]!
    expect(issuePath(() => rollUpBudgets([{ ...b0, planned: money('-1', 'RUB') }], [], { rates, groupBy: 'channel' }))).toEqual(['budgets', 0, 'planned'])
    expect(issuePath(() => rollUpBudgets([{ ...b0, endsAt: d('2026-02-01') }], [], { rates, groupBy: 'channel' }))).toEqual(['budgets', 0, 'endsAt'])
    expect(issuePath(() => rollUpBudgets([{ ...b0, planned: { minor: 1, currency: 'ZZZ' } }], [], { rates, groupBy: 'channel' }))).toEqual(['budgets', 0, 'planned', 'currency'])
    expect(issuePath(() => rollUpBudgets([b0], [{ ...spend[0]!, amount: money('-5', 'RUB') }], { rates, groupBy: 'channel' }))).toEqual(['spend', 0, 'amount'])
    expect(issuePath(() => rollUpBudgets([b0], [{ ...spend[0]!, campaignId: 'nope' }], { rates, groupBy: 'channel' }))).toEqual(['spend', 0, 'campaignId'])
    expect(issuePath(() => rollUpBudgets([budgets[1]!], [], { rates: { base: 'RUB', rates: {} }, groupBy: 'channel' }))).toEqual(['budgets', 0, 'planned', 'currency'])
  })
})

describe('budget alerts', () => {
  it('flags over-budget, over-plan and a burn rate that runs out before the end', () => {
    const b: CampaignBudget[] = [
      { campaignId: 'over', channel: null, ownerId: null, planId: null, startsAt: d('2026-03-01'), endsAt: d('2026-03-31'), planned: money('1000', 'RUB'), approved: money('1000', 'RUB') },
      { campaignId: 'fast', channel: null, ownerId: null, planId: null, startsAt: d('2026-03-01'), endsAt: d('2026-03-30'), planned: money('3000', 'RUB'), approved: money('3000', 'RUB') },
      { campaignId: 'calm', channel: null, ownerId: null, planId: null, startsAt: d('2026-03-01'), endsAt: d('2026-03-30'), planned: money('3000', 'RUB'), approved: money('3000', 'RUB') },
    ]
    const s: SpendLine[] = [
      { campaignId: 'over', date: d('2026-03-02'), amount: money('800', 'RUB'), kind: 'actual' },
      { campaignId: 'over', date: d('2026-03-02'), amount: money('300', 'RUB'), kind: 'committed' },
      // 1500 in the first 10 of 30 days → 4500 projected > 3000; runs out on day 20.
      { campaignId: 'fast', date: d('2026-03-05'), amount: money('1500', 'RUB'), kind: 'actual' },
      { campaignId: 'calm', date: d('2026-03-05'), amount: money('500', 'RUB'), kind: 'actual' },
    ]
    const alerts = budgetAlerts(b, s, { asOf: d('2026-03-11') })
    expect(alerts.map((a) => [a.kind, a.campaignId])).toEqual([
      ['over-budget', 'over'],
      ['burn-rate', 'fast'],
    ])
    const burn = alerts[1]!
    expect(burn.amount).toBe(450_000)
    expect(burn.exhaustedAt!.toISOString().slice(0, 10)).toBe('2026-03-21')
  })

  it('over-plan fires on actual spend above the plan even when the approved amount still covers it', () => {
    // Approved above plan (an approver allowed more): 1200 actual is within 2000 approved, not within the 1000 planned.
    const b: CampaignBudget[] = [
      { campaignId: 'plan', channel: null, ownerId: null, planId: null, startsAt: d('2026-02-01'), endsAt: d('2026-02-28'), planned: money('1000', 'RUB'), approved: money('2000', 'RUB') },
      { campaignId: 'exact', channel: null, ownerId: null, planId: null, startsAt: d('2026-02-01'), endsAt: d('2026-02-28'), planned: money('1000', 'RUB'), approved: money('2000', 'RUB') },
    ]
    const s: SpendLine[] = [
      { campaignId: 'plan', date: d('2026-02-10'), amount: money('1200', 'RUB'), kind: 'actual' },
      // Committed money is not spent yet: it counts against the budget, not the plan.
      { campaignId: 'exact', date: d('2026-02-10'), amount: money('1000', 'RUB'), kind: 'actual' },
      { campaignId: 'exact', date: d('2026-02-10'), amount: money('500', 'RUB'), kind: 'committed' },
    ]
    expect(budgetAlerts(b, s, { asOf: d('2026-03-11') })).toEqual([{ kind: 'over-plan', campaignId: 'plan', limit: 100_000, amount: 120_000, currency: 'RUB' }])
  })
})

describe('budgetFromCampaign', () => {
  it('takes the approved amount from the approval record, else from the campaign state', () => {
    const campaign = { id: 'c1', name: 'Весна', channel: 'email', ownerId: 'u1', startsAt: d('2026-03-01'), endsAt: d('2026-03-31'), plannedBudget: money('5000', 'RUB'), approval: 'approved' as const }
    expect(budgetFromCampaign(campaign).approved).toEqual(money('5000', 'RUB'))
    expect(budgetFromCampaign({ ...campaign, approval: 'submitted' }).approved).toBeNull()
    const approval = transition(transition(createApproval(money('4000', 'RUB')), 'submit', { by: 'a', at: d('2026-02-01') }), 'approve', { by: 'b', at: d('2026-02-02') })
    expect(budgetFromCampaign(campaign, { approval, planId: 'P' })).toMatchObject({ approved: money('4000', 'RUB'), planId: 'P', planned: money('5000', 'RUB') })
  })
})
