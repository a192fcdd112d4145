import type { Journeys } from '../touchpoints.js'

/** Credit per key (channel, campaign, …) of one model. Fractional wherever a model splits credit. */
export interface AttributionResult {
  model: string
  keys: readonly string[]
  /** Credited conversions by key id (same order as `keys`). */
  conversions: Float64Array
  /** Credited value (minor units of `currency`, fractional) by key id. */
  value: Float64Array
  totalConversions: number
  totalValue: number
  currency: string | null
  /** Conversions without any touch in their window (not in the totals above). */
  unattributed: number
  /** Rule-based models only, when asked for: each touch's weight within its path (sums to 1 per path). */
  touchWeights?: Float64Array
}

export interface AttributionRow {
  key: string
  conversions: number
  value: number
}

/** Rows sorted by credited conversions, then value, then key (deterministic). */
export function attributionRows(result: AttributionResult): AttributionRow[] {
  return result.keys
    .map((key, i) => ({ key, conversions: result.conversions[i]!, value: result.value[i]! }))
    .sort((a, b) => b.conversions - a.conversions || b.value - a.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** Credit as a plain record (handy in tests and JSON). */
export function creditByKey(result: AttributionResult): Record<string, number> {
  const out: Record<string, number> = {}
  result.keys.forEach((k, i) => (out[k] = result.conversions[i]!))
  return out
}

export function journeyTotals(j: Journeys): { conversions: number; value: number } {
  let c = 0
  let v = 0
  for (let p = 0; p < j.conversions.length; p++) {
    if (j.pathStart[p + 1]! > j.pathStart[p]!) {
      c += j.conversions[p]!
      v += j.value[p]!
    }
  }
  return { conversions: c, value: v }
}
