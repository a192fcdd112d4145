import type { Journeys } from '../touchpoints.js'
import type { AttributionResult } from './result.js'

export interface MarkovResult extends AttributionResult {
  /** Probability of reaching (conversion) from (start). */
  pConversion: number
  /** Removal effect of each key (same order as `keys`): 1 − P₋ᵢ(conv) / P(conv). */
  removalEffects: Float64Array
  /** Transition counts, row-major over states [start, key₀ … key_{K−1}, conversion, null]. */
  transitionCounts: Float64Array
}

/**
 * First-order Markov removal-effect attribution (Anderl et al. 2016), solved exactly.
 *
 * One pass over the touches counts transitions (consecutive repeats of a key collapse: a
 * self-loop does not change absorption probabilities). Everything after that is linear algebra on
 * the (K+1)×(K+1) transient block Q (start + K keys), independent of the number of paths:
 *
 *   N = (I − Q)⁻¹ (fundamental matrix), x = N·r (r = one-step probability of conversion),
 *   P(conv) = x_start.
 *
 * Removing key i turns it into a dead end. A converting walk either never visits i or visits it
 * and then converts from i, so P₋ᵢ(conv) = P(conv) − f_start,i · x_i, where f_start,i = N_start,i /
 * N_i,i is the probability of ever reaching i. Hence RE_i = f_start,i · x_i / P(conv): all K
 * removal effects from one inversion, O(K³), instead of K separate solves.
 * Credit: A_i = C · RE_i / Σ RE (C = conversions; value likewise).
 */
export function markovAttribution(j: Journeys): MarkovResult {
  return solveMarkov(countTransitions(j))
}

/** What the solve needs from the journeys: transition counts and the totals to share out. */
export interface TransitionCounts {
  keys: readonly string[]
  /** Row-major over states [start, key₀ … key_{K−1}, conversion, null]. */
  counts: Float64Array
  /** Conversions and value of journeys with at least one touch (what the credit adds up to). */
  conversions: number
  value: number
  currency: string | null
  unattributed: number
}

/**
 * The only pass over the touches: transition counts, and the conversion and value totals in the
 * same loop (a second pass over the paths would cost as much again for two sums).
 */
export function countTransitions(j: Journeys): TransitionCounts {
  const K = j.keys.length
  const S = K + 3
  const CONV = K + 1
  const NULL = K + 2
  const counts = new Float64Array(S * S)
  const { pathStart, touchKey, conversions, nulls, value } = j
  const P = conversions.length
  let totalConv = 0
  let totalValue = 0
  for (let p = 0; p < P; p++) {
    const start = pathStart[p]!
    const end = pathStart[p + 1]!
    if (end === start) continue
    const c = conversions[p]!
    totalConv += c
    totalValue += value[p]!
    const nl = nulls[p]!
    const weight = c + nl
    if (weight === 0) continue
    let prev = 0
    for (let t = start; t < end; t++) {
      const s = touchKey[t]! + 1
      if (s !== prev) {
        counts[prev * S + s]! += weight
        prev = s
      }
    }
    counts[prev * S + CONV]! += c
    counts[prev * S + NULL]! += nl
  }
  return { keys: j.keys, counts, conversions: totalConv, value: totalValue, currency: j.currency, unattributed: j.unattributed }
}

/** Removal effects and credit from the counts: O(K³), whatever the number of journeys. */
export function solveMarkov(tc: TransitionCounts): MarkovResult {
  const K = tc.keys.length
  const S = K + 3
  const CONV = K + 1
  const { counts } = tc
  if (counts.length !== S * S) throw new RangeError(`transition counts must be ${S}×${S} for ${K} keys`)

  // A = I − Q over the m = K+1 transient states; r = conversion probabilities.
  const m = K + 1
  const A = new Float64Array(m * m)
  const r = new Float64Array(m)
  for (let s = 0; s < m; s++) {
    let out = 0
    for (let t = 0; t < S; t++) out += counts[s * S + t]!
    A[s * m + s] = 1
    if (out === 0) continue // a key never seen: isolated, converts with probability 0
    for (let t = 0; t < m; t++) A[s * m + t]! -= counts[s * S + t]! / out
    r[s] = counts[s * S + CONV]! / out
  }
  const N = invert(A, m)
  const x = new Float64Array(m)
  for (let s = 0; s < m; s++) {
    let acc = 0
    for (let t = 0; t < m; t++) acc += N[s * m + t]! * r[t]!
    x[s] = acc
  }
  const pConv = x[0]!
  const re = new Float64Array(K)
  let sumRe = 0
  if (pConv > 0) {
    for (let i = 0; i < K; i++) {
      const s = i + 1
      const reach = N[s * m + s]! > 0 ? N[0 * m + s]! / N[s * m + s]! : 0
      // Clamp rounding noise: RE is a probability ratio in [0, 1].
      const e = Math.min(1, Math.max(0, (reach * x[s]!) / pConv))
      re[i] = e
      sumRe += e
    }
  }
  const credit = new Float64Array(K)
  const value = new Float64Array(K)
  if (sumRe > 0) {
    for (let i = 0; i < K; i++) {
      credit[i] = (tc.conversions * re[i]!) / sumRe
      value[i] = (tc.value * re[i]!) / sumRe
    }
  }
  return {
    model: 'markov',
    keys: tc.keys,
    conversions: credit,
    value,
    totalConversions: tc.conversions,
    totalValue: tc.value,
    currency: tc.currency,
    unattributed: tc.unattributed,
    pConversion: pConv,
    removalEffects: re,
    transitionCounts: counts,
  }
}

/** Gauss–Jordan inverse with partial pivoting (I − Q of an absorbing chain is non-singular). */
function invert(a: Float64Array, m: number): Float64Array {
  const w = Float64Array.from(a)
  const inv = new Float64Array(m * m)
  for (let i = 0; i < m; i++) inv[i * m + i] = 1
  for (let col = 0; col < m; col++) {
    let piv = col
    for (let row = col + 1; row < m; row++) if (Math.abs(w[row * m + col]!) > Math.abs(w[piv * m + col]!)) piv = row
    if (piv !== col) {
      for (let k = 0; k < m; k++) {
        const t1 = w[col * m + k]!
        w[col * m + k] = w[piv * m + k]!
        w[piv * m + k] = t1
        const t2 = inv[col * m + k]!
        inv[col * m + k] = inv[piv * m + k]!
        inv[piv * m + k] = t2
      }
    }
    const d = w[col * m + col]!
    if (d === 0) throw new RangeError('Markov transition matrix is singular (a cycle without exit)')
    const invD = 1 / d
    for (let k = 0; k < m; k++) {
      w[col * m + k]! *= invD
      inv[col * m + k]! *= invD
    }
    for (let row = 0; row < m; row++) {
      if (row === col) continue
      const f = w[row * m + col]!
      if (f === 0) continue
      for (let k = 0; k < m; k++) {
        w[row * m + k]! -= f * w[col * m + k]!
        inv[row * m + k]! -= f * inv[col * m + k]!
      }
    }
  }
  return inv
}
