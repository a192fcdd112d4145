import { invalid } from '../errors.js'
import type { Journeys } from '../touchpoints.js'
import { journeyTotals, type AttributionResult } from './result.js'

export interface ShapleyOptions {
  /**
   * Characteristic function v(S):
   * - `count` (default): conversions of journeys whose set of keys lies inside S. Then Shapley
   *   reduces exactly to φ_i = Σ_{T ∋ i} R(T)/|T| (Zhao et al. 2018), one pass, any key count.
   * - `conversion-rate`: conversion rate of journeys whose key set lies inside S. Not additive,
   *   so it needs the full formula: exact over all 2^K coalitions up to `exactUpTo` keys, above
   *   that a seeded Monte-Carlo estimate over `samples` random orderings (documented approximation).
   *   Credit is then scaled so it sums to the conversions.
   */
  value?: 'count' | 'conversion-rate'
  /** Largest key count solved exactly for `conversion-rate` (default 16: 16·2^16 steps). */
  exactUpTo?: number
  /** Random orderings sampled above `exactUpTo` (default 2000). */
  samples?: number
  seed?: number
}

export interface ShapleyResult extends AttributionResult {
  /** Raw Shapley values φ (before scaling, for `conversion-rate`; equal to credit for `count`). */
  phi: Float64Array
  exact: boolean
}

export function shapleyAttribution(j: Journeys, options: ShapleyOptions = {}): ShapleyResult {
  const K = j.keys.length
  const tot = journeyTotals(j)
  const base = {
    keys: j.keys,
    totalConversions: tot.conversions,
    totalValue: tot.value,
    currency: j.currency,
    unattributed: j.unattributed,
  }
  if ((options.value ?? 'count') === 'count') {
    // Each converting journey splits its conversions (and value) evenly over its distinct keys.
    const credit = new Float64Array(K)
    const value = new Float64Array(K)
    const stamp = new Int32Array(K).fill(-1)
    const { pathStart, touchKey, conversions, value: pv } = j
    for (let p = 0; p < conversions.length; p++) {
      const c = conversions[p]!
      const v = pv[p]!
      if (c === 0 && v === 0) continue
      const start = pathStart[p]!
      const end = pathStart[p + 1]!
      let distinct = 0
      for (let t = start; t < end; t++) {
        const k = touchKey[t]!
        if (stamp[k] !== p) {
          stamp[k] = p
          distinct++
        }
      }
      if (distinct === 0) continue
      const cs = c / distinct
      const vs = v / distinct
      for (let t = start; t < end; t++) {
        const k = touchKey[t]!
        if (stamp[k] === p) {
          stamp[k] = -2 - p // credited once for this path
          credit[k] = credit[k]! + cs
          value[k] = value[k]! + vs
        }
      }
    }
    return { model: 'shapley', ...base, conversions: credit, value, phi: credit.slice(), exact: true }
  }

  // conversion-rate: group journeys by their distinct key set.
  const sets = distinctSets(j)
  const exactUpTo = options.exactUpTo ?? 16
  if (exactUpTo > 24) invalid(['exactUpTo'], 'must be at most 24 (2^K memory)', 'too_big')
  const samples = options.samples ?? 2000
  // Checked whether or not this input needs sampling, so a bad option fails on small data too.
  // Zero orderings would divide by zero into NaN credit; a fraction of one is not an ordering.
  if (!(Number.isInteger(samples) && samples >= 1)) invalid(['samples'], 'must be a positive integer', 'too_small')
  const phi = K <= exactUpTo ? exactRateShapley(sets, K) : sampledRateShapley(sets, K, samples, options.seed ?? 1)
  let sum = 0
  for (let i = 0; i < K; i++) sum += Math.max(0, phi[i]!)
  const credit = new Float64Array(K)
  const value = new Float64Array(K)
  if (sum > 0) {
    for (let i = 0; i < K; i++) {
      // Negative marginal contributions are possible with rates; they get no credit.
      const share = Math.max(0, phi[i]!) / sum
      credit[i] = tot.conversions * share
      value[i] = tot.value * share
    }
  }
  return { model: 'shapley-rate', ...base, conversions: credit, value, phi, exact: K <= exactUpTo }
}

interface KeySet {
  members: number[]
  conv: number
  total: number
}

function distinctSets(j: Journeys): KeySet[] {
  const map = new Map<string, KeySet>()
  const { pathStart, touchKey } = j
  for (let p = 0; p < j.conversions.length; p++) {
    const start = pathStart[p]!
    const end = pathStart[p + 1]!
    if (end === start) continue
    const members = [...new Set(touchKey.subarray(start, end))].sort((a, b) => a - b)
    const id = members.join(',')
    let s = map.get(id)
    if (!s) map.set(id, (s = { members, conv: 0, total: 0 }))
    s.conv += j.conversions[p]!
    s.total += j.conversions[p]! + j.nulls[p]!
  }
  return [...map.values()]
}

/** Exact Shapley over all coalitions: subset sums by a zeta transform, then the weighted formula. */
function exactRateShapley(sets: KeySet[], K: number): Float64Array {
  const size = 1 << K
  const conv = new Float64Array(size)
  const total = new Float64Array(size)
  for (const s of sets) {
    let mask = 0
    for (const k of s.members) mask |= 1 << k
    conv[mask] = conv[mask]! + s.conv
    total[mask] = total[mask]! + s.total
  }
  for (let i = 0; i < K; i++) {
    const bit = 1 << i
    for (let mask = 0; mask < size; mask++) {
      if (mask & bit) {
        conv[mask] = conv[mask]! + conv[mask ^ bit]!
        total[mask] = total[mask]! + total[mask ^ bit]!
      }
    }
  }
  const v = (mask: number) => (total[mask]! > 0 ? conv[mask]! / total[mask]! : 0)
  // weight(|S|) = |S|! (K−|S|−1)! / K!
  const weight = new Float64Array(K)
  for (let s = 0; s < K; s++) weight[s] = 1 / (K * binomial(K - 1, s))
  const phi = new Float64Array(K)
  for (let mask = 0; mask < size; mask++) {
    const vs = v(mask)
    const sz = popcount(mask)
    for (let i = 0; i < K; i++) {
      const bit = 1 << i
      if (mask & bit) continue
      phi[i] = phi[i]! + weight[sz]! * (v(mask | bit) - vs)
    }
  }
  return phi
}

/** Monte-Carlo over random orderings (mulberry32, seeded: same input, same answer). */
function sampledRateShapley(sets: KeySet[], K: number, samples: number, seed: number): Float64Array {
  const containing: number[][] = Array.from({ length: K }, () => [])
  sets.forEach((s, idx) => s.members.forEach((k) => containing[k]!.push(idx)))
  const missing = new Int32Array(sets.length)
  const order = Int32Array.from({ length: K }, (_, i) => i)
  const phi = new Float64Array(K)
  let state = seed >>> 0
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  for (let n = 0; n < samples; n++) {
    for (let i = K - 1; i > 0; i--) {
      const r = Math.floor(rand() * (i + 1))
      const tmp = order[i]!
      order[i] = order[r]!
      order[r] = tmp
    }
    sets.forEach((s, idx) => (missing[idx] = s.members.length))
    let conv = 0
    let total = 0
    let prev = 0
    for (let pos = 0; pos < K; pos++) {
      const k = order[pos]!
      for (const idx of containing[k]!) {
        if (--missing[idx]! === 0) {
          conv += sets[idx]!.conv
          total += sets[idx]!.total
        }
      }
      const vNow = total > 0 ? conv / total : 0
      phi[k] = phi[k]! + (vNow - prev)
      prev = vNow
    }
  }
  for (let i = 0; i < K; i++) phi[i] = phi[i]! / samples
  return phi
}

function binomial(n: number, k: number): number {
  let r = 1
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i
  return r
}

function popcount(x: number): number {
  let c = 0
  while (x) {
    x &= x - 1
    c++
  }
  return c
}
