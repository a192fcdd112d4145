import { describe, expect, it } from 'vitest'
import { caughtValidation } from './validation.js'
import {
  attribute,
  creditByKey,
  journeysFromPaths,
  markovAttribution,
  performanceReport,
  ruleBasedAttribution,
  shapleyAttribution,
  type AttributionResult,
} from '../../sdk/marketing/index.js'

// Oracles from shared/research/anchors.md §2.6.
const DAY = 86_400_000

const markovA = () =>
  journeysFromPaths([
    { path: ['c1', 'c2', 'c3'], conversions: 1 },
    { path: ['c1'], nulls: 1 },
    { path: ['c2', 'c3'], nulls: 1 },
  ])

const dataB = () =>
  journeysFromPaths([
    { path: ['search'], conversions: 2, nulls: 2 },
    { path: ['email', 'search'], conversions: 3, nulls: 1 },
    { path: ['social', 'email'], conversions: 1, nulls: 3 },
    { path: ['social'], conversions: 0, nulls: 4 },
  ])

/** Per-touch weights of a single converting path. */
function weights(r: AttributionResult): number[] {
  return [...r.touchWeights!]
}

describe('Markov removal effect (exact)', () => {
  it('example A: P(conv) = 1/3, RE 0.5/1/1, credit 0.2/0.4/0.4', () => {
    const r = markovAttribution(markovA())
    expect(r.pConversion).toBeCloseTo(1 / 3, 12)
    expect([...r.removalEffects]).toEqual([expect.closeTo(0.5, 12), expect.closeTo(1, 12), expect.closeTo(1, 12)])
    const c = creditByKey(r)
    expect(c.c1).toBeCloseTo(0.2, 12)
    expect(c.c2).toBeCloseTo(0.4, 12)
    expect(c.c3).toBeCloseTo(0.4, 12)
  })

  it('example A: transition counts as in the anchor (start→c1 2, start→c2 1, c3→conv 1, c3→null 1)', () => {
    const r = markovAttribution(markovA())
    const S = r.keys.length + 3
    const state = (k: string) => r.keys.indexOf(k) + 1
    const at = (a: number, b: number) => r.transitionCounts[a * S + b]
    expect(at(0, state('c1'))).toBe(2)
    expect(at(0, state('c2'))).toBe(1)
    expect(at(state('c1'), state('c2'))).toBe(1)
    expect(at(state('c1'), S - 1)).toBe(1) // null
    expect(at(state('c3'), S - 2)).toBe(1) // conversion
  })

  it('example B: P(conv) = 0.375, RE 5/6, 7/12, 7/24; credit 2.926829 / 2.048780 / 1.024390', () => {
    const r = markovAttribution(dataB())
    expect(r.pConversion).toBeCloseTo(0.375, 12)
    const re = Object.fromEntries(r.keys.map((k, i) => [k, r.removalEffects[i]]))
    expect(re.search).toBeCloseTo(5 / 6, 12)
    expect(re.email).toBeCloseTo(7 / 12, 12)
    expect(re.social).toBeCloseTo(7 / 24, 12)
    const c = creditByKey(r)
    expect(c.search).toBeCloseTo(2.926829, 6)
    expect(c.email).toBeCloseTo(2.04878, 5)
    expect(c.social).toBeCloseTo(1.02439, 5)
    expect(c.search).toBeCloseTo((6 * (5 / 6)) / (41 / 24), 12)
  })
})

describe('Shapley (count-based)', () => {
  it('example B: 3.5 / 2 / 0.5, summing to 6', () => {
    const c = creditByKey(shapleyAttribution(dataB()))
    expect(c).toEqual({ search: 3.5, email: 2, social: 0.5 })
  })

  it('the rate-based variant is exact below the limit and the sampled estimate lands near it', () => {
    const exact = shapleyAttribution(dataB(), { value: 'conversion-rate' })
    const sampled = shapleyAttribution(dataB(), { value: 'conversion-rate', exactUpTo: 2, samples: 20_000, seed: 7 })
    expect(exact.exact).toBe(true)
    expect(sampled.exact).toBe(false)
    const total = [...exact.conversions].reduce((a, b) => a + b, 0)
    expect(total).toBeCloseTo(6, 9)
    exact.keys.forEach((k, i) => expect(Math.abs(sampled.conversions[i]! - exact.conversions[i]!)).toBeLessThan(0.1))
    // Same seed, same answer.
    const again = shapleyAttribution(dataB(), { value: 'conversion-rate', exactUpTo: 2, samples: 20_000, seed: 7 })
    expect([...again.conversions]).toEqual([...sampled.conversions])
  })

  it('rate-based: samples ≤ 0 or not an integer is a ValidationError on `samples`, sampled or not', () => {
    for (const samples of [0, -5, 1.5, Number.NaN]) {
      for (const exactUpTo of [2, 16]) {
        const err = caughtValidation(() => shapleyAttribution(dataB(), { value: 'conversion-rate', exactUpTo, samples }))
        expect(err.issues[0]).toMatchObject({ path: ['samples'], code: 'too_small' })
      }
      expect(caughtValidation(() => attribute(dataB(), 'shapley', { value: 'conversion-rate', samples })).issues[0]!.path).toEqual(['samples'])
    }
    expect(shapleyAttribution(dataB(), { value: 'conversion-rate', exactUpTo: 2, samples: 1 }).exact).toBe(false)
  })
})


describe('rule-based weights', () => {
  it('time decay, H = 7 d, touches 14/7/0 days before: 1/7, 2/7, 4/7', () => {
    const T = Date.UTC(2026, 2, 1)
    const j = journeysFromPaths([{ path: ['a', 'b', 'c'], conversions: 1, times: [T - 14 * DAY, T - 7 * DAY, T], convTime: T }])
    const w = weights(ruleBasedAttribution(j, 'time-decay', { keepTouchWeights: true }))
    expect(w[0]).toBeCloseTo(1 / 7, 12)
    expect(w[1]).toBeCloseTo(2 / 7, 12)
    expect(w[2]).toBeCloseTo(4 / 7, 12)
  })

  it('time decay measures from the conversion: a gap before it does not change the split', () => {
    const T = Date.UTC(2026, 2, 1)
    const j = journeysFromPaths([{ path: ['a', 'b'], conversions: 1, times: [T - 20 * DAY, T - 13 * DAY], convTime: T }])
    const w = weights(ruleBasedAttribution(j, 'time-decay', { keepTouchWeights: true }))
    expect(w[0]).toBeCloseTo(1 / 3, 12)
    expect(w[1]).toBeCloseTo(2 / 3, 12)
  })

  it('time decay with a non-default half-life: H = 14 d halves the weight every 14 days', () => {
    const T = Date.UTC(2026, 2, 1)
    const j = journeysFromPaths([{ path: ['a', 'b', 'c'], conversions: 1, times: [T - 28 * DAY, T - 14 * DAY, T], convTime: T }])
    const w = weights(ruleBasedAttribution(j, 'time-decay', { halfLifeDays: 14, keepTouchWeights: true }))
    ;[1 / 7, 2 / 7, 4 / 7].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 12))
    // The default 7 days on the same touches: 2^-4, 2^-2, 1 → 1/21, 4/21, 16/21.
    const byDefault = weights(ruleBasedAttribution(j, 'time-decay', { keepTouchWeights: true }))
    ;[1 / 21, 4 / 21, 16 / 21].forEach((x, i) => expect(byDefault[i]).toBeCloseTo(x, 12))
    // The option reaches the model through attribute() too.
    expect(attribute(j, 'time-decay', { halfLifeDays: 14 }).conversions[2]).toBeCloseTo(4 / 7, 12)
    expect(caughtValidation(() => attribute(j, 'time-decay', { halfLifeDays: 0 })).issues[0]!.path).toEqual(['halfLifeDays'])
  })

  it.each([
    // 0.4 first, 0.4 lead creation, 0.2 over the others.
    [4, 2, [0.4, 0.1, 0.4, 0.1]],
    [5, 1, [0.4, 0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3]],
    // Lead created on the first touch: the roles merge on it.
    [3, 0, [0.8, 0.1, 0.1]],
    // No others: their share goes back to the anchors pro rata.
    [2, 1, [0.5, 0.5]],
    // No lead-creation touch: that role drops out and first/others are renormalised (0.4 : 0.2).
    [3, -1, [2 / 3, 1 / 6, 1 / 6]],
    [1, 0, [1]],
  ])('U-shaped with %i touches, lead created on touch %i', (n, lead, expected) => {
    const j = journeysFromPaths([{ path: Array.from({ length: n }, (_, i) => `k${i}`), conversions: 1, leadIndex: lead, dealIndex: n - 1 }])
    const w = weights(ruleBasedAttribution(j, 'u-shaped', { keepTouchWeights: true }))
    expect(w).toHaveLength(expected.length)
    w.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 12))
  })

  it.each([
    [1, [1]],
    [2, [0.5, 0.5]],
    [4, [0.4, 0.1, 0.1, 0.4]],
    [5, [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4]],
  ])('position-based with %i touches', (n, expected) => {
    const j = journeysFromPaths([{ path: Array.from({ length: n }, (_, i) => `k${i}`), conversions: 1 }])
    const w = weights(ruleBasedAttribution(j, 'position-based', { keepTouchWeights: true }))
    expect(w).toHaveLength(expected.length)
    w.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 12))
  })

  it('W-shaped n=5, first=1 lead=2 deal=4 → 0.3 0.3 0.05 0.3 0.05', () => {
    const j = journeysFromPaths([{ path: ['a', 'b', 'c', 'd', 'e'], conversions: 1, leadIndex: 1, dealIndex: 3 }])
    const w = weights(ruleBasedAttribution(j, 'w-shaped', { keepTouchWeights: true }))
    ;[0.3, 0.3, 0.05, 0.3, 0.05].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 12))
  })

  it('full path n=6, first=1 lead=2 deal=4 won=6 → 0.225 0.225 0.05 0.225 0.05 0.225', () => {
    const j = journeysFromPaths([{ path: ['a', 'b', 'c', 'd', 'e', 'f'], conversions: 1, leadIndex: 1, dealIndex: 3 }])
    const w = weights(ruleBasedAttribution(j, 'full-path', { keepTouchWeights: true }))
    ;[0.225, 0.225, 0.05, 0.225, 0.05, 0.225].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 12))
  })

  it('W-shaped with lead creation on the first touch merges the roles', () => {
    const j = journeysFromPaths([{ path: ['a', 'b', 'c', 'd'], conversions: 1, leadIndex: 0, dealIndex: 2 }])
    const w = weights(ruleBasedAttribution(j, 'w-shaped', { keepTouchWeights: true }))
    ;[0.6, 0.05, 0.3, 0.05].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 12))
  })

  it('first, last, linear and last-non-direct', () => {
    const j = journeysFromPaths([{ path: ['a', 'b', 'a', 'direct'], conversions: 2, value: 400 }])
    expect(creditByKey(attribute(j, 'first-touch'))).toEqual({ a: 2, b: 0, direct: 0 })
    expect(creditByKey(attribute(j, 'last-touch'))).toEqual({ a: 0, b: 0, direct: 2 })
    expect(creditByKey(attribute(j, 'last-non-direct'))).toEqual({ a: 2, b: 0, direct: 0 })
    const lin = attribute(j, 'linear')
    expect(creditByKey(lin)).toEqual({ a: 1, b: 0.5, direct: 0.5 })
    expect([...lin.value]).toEqual([200, 100, 100])
  })
})

describe('Salesforce ROI example', () => {
  it('won value 20,000 and actual cost 11,400 give ROMI 0.7544', () => {
    const won = attribute(journeysFromPaths([{ path: ['campaign'], conversions: 1, value: 2_000_000 }], 'RUB'), 'last-touch')
    const r = performanceReport({ currency: 'RUB', won, spend: { campaign: 1_140_000 } })
    expect(r.rows[0]!.romi).toBeCloseTo(0.7544, 4)
    expect(r.rows[0]!.roas).toBeCloseTo(20_000 / 11_400, 12)
  })

  it('negative spend (or sales cost, ad spend) is a ValidationError naming the field and key', () => {
    const won = attribute(journeysFromPaths([{ path: ['campaign'], conversions: 1, value: 2_000_000 }], 'RUB'), 'last-touch')
    expect(caughtValidation(() => performanceReport({ currency: 'RUB', won, spend: { campaign: -1 } })).issues[0]).toMatchObject({ path: ['spend', 'campaign'], code: 'too_small' })
    expect(caughtValidation(() => performanceReport({ currency: 'RUB', won, spend: new Map([['tv', Number.NaN]]) })).issues[0]!.path).toEqual(['spend', 'tv'])
    expect(caughtValidation(() => performanceReport({ currency: 'RUB', won, spend: {}, salesCost: { campaign: -5 } })).issues[0]!.path).toEqual(['salesCost', 'campaign'])
    expect(caughtValidation(() => performanceReport({ currency: 'RUB', won, spend: {}, adSpend: { campaign: -5 } })).issues[0]!.path).toEqual(['adSpend', 'campaign'])
    expect(performanceReport({ currency: 'RUB', won, spend: { campaign: 0 } }).rows[0]!.romi).toBeNull()
  })
})
