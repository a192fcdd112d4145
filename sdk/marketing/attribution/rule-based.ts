import { invalid } from '../errors.js'
import type { Journeys } from '../touchpoints.js'
import { journeyTotals, type AttributionResult } from './result.js'

export type RuleBasedModel =
  | 'first-touch'
  | 'last-touch'
  | 'last-non-direct'
  | 'linear'
  | 'time-decay'
  | 'position-based'
  | 'u-shaped'
  | 'w-shaped'
  | 'full-path'

export const RULE_BASED_MODELS: readonly RuleBasedModel[] = [
  'first-touch',
  'last-touch',
  'last-non-direct',
  'linear',
  'time-decay',
  'position-based',
  'u-shaped',
  'w-shaped',
  'full-path',
]

export interface RuleBasedOptions {
  /** Time-decay half-life in days (default 7, as Google Ads and Salesforce MC). */
  halfLifeDays?: number
  /** Key treated as "direct" by `last-non-direct` (default `direct`). */
  directKey?: string
  /** Keep each touch's weight (a Float64Array as long as the touches) for grouping by other attributes. */
  keepTouchWeights?: boolean
}

/**
 * Anchor shares [first, lead creation, deal creation, last, everyone else]. A touch holding several
 * roles gets the sum of their shares; a role missing from the path drops out and all weights are
 * renormalised (pro rata); with no "other" touches their share goes back to the anchors pro rata.
 * So position-based gives [1] for one touch and [½, ½] for two, as the 40/20/40 rule says.
 */
const ANCHORS: Partial<Record<RuleBasedModel, readonly [number, number, number, number, number]>> = {
  'position-based': [0.4, 0, 0, 0.4, 0.2],
  'u-shaped': [0.4, 0.4, 0, 0, 0.2],
  'w-shaped': [0.3, 0.3, 0.3, 0, 0.1],
  'full-path': [0.225, 0.225, 0.225, 0.225, 0.1],
}

const LN2 = Math.LN2
const DAY = 86_400_000

/** Rule-based attribution over journeys: one pass, typed arrays, no allocation per touch. */
export function ruleBasedAttribution(j: Journeys, model: RuleBasedModel, options: RuleBasedOptions = {}): AttributionResult {
  const K = j.keys.length
  const P = j.conversions.length
  const credit = new Float64Array(K)
  const value = new Float64Array(K)
  const keep = options.keepTouchWeights ?? false
  const touchWeights = keep ? new Float64Array(j.touchKey.length) : undefined
  const { pathStart, touchKey, conversions, value: pathValue } = j
  const anchors = ANCHORS[model]
  let maxLen = 0
  for (let p = 0; p < P; p++) maxLen = Math.max(maxLen, pathStart[p + 1]! - pathStart[p]!)
  // Weights of the current path: the kept array (offset = path start) or one scratch buffer.
  const w = touchWeights ?? new Float64Array(maxLen)
  const halfLife = (options.halfLifeDays ?? 7) * DAY
  if (model === 'time-decay' && !(halfLife > 0)) invalid(['halfLifeDays'], 'must be greater than zero', 'too_small')
  const directId = j.keys.indexOf(options.directKey ?? 'direct')

  for (let p = 0; p < P; p++) {
    const start = pathStart[p]!
    const end = pathStart[p + 1]!
    const n = end - start
    if (n === 0) continue
    const c = conversions[p]!
    const v = pathValue[p]!
    if (c === 0 && v === 0 && !keep) continue
    const b = keep ? start : 0
    switch (model) {
      case 'first-touch':
      case 'last-touch':
      case 'last-non-direct': {
        let at = model === 'first-touch' ? 0 : n - 1
        if (model === 'last-non-direct') {
          let k = n - 1
          while (k >= 0 && touchKey[start + k] === directId) k--
          if (k >= 0) at = k
        }
        if (keep) w[b + at] = 1
        const key = touchKey[start + at]!
        credit[key]! += c
        value[key]! += v
        continue
      }
      case 'linear': {
        const share = 1 / n
        for (let i = 0; i < n; i++) {
          if (keep) w[b + i] = share
          const key = touchKey[start + i]!
          credit[key]! += c * share
          value[key]! += v * share
        }
        continue
      }
      case 'time-decay': {
        // 2^(−Δt/H), measured from the latest touch: the common factor 2^(−(T−τ_last)/H) cancels
        // in the normalisation, and long paths cannot underflow to 0/0.
        let latest = -Infinity
        for (let i = 0; i < n; i++) latest = Math.max(latest, j.touchTime[start + i]!)
        if (Number.isNaN(latest) || latest === -Infinity) invalid(['touchTime', start], 'time decay needs touch times')
        let sum = 0
        for (let i = 0; i < n; i++) {
          const t = j.touchTime[start + i]!
          if (Number.isNaN(t)) invalid(['touchTime', start + i], 'time decay needs touch times')
          const x = Math.exp((-LN2 * (latest - t)) / halfLife)
          w[b + i] = x
          sum += x
        }
        const inv = 1 / sum
        for (let i = 0; i < n; i++) {
          const share = w[b + i]! * inv
          if (keep) w[b + i] = share
          const key = touchKey[start + i]!
          credit[key]! += c * share
          value[key]! += v * share
        }
        continue
      }
      default: {
        if (!anchors) invalid(['model'], `unknown model "${String(model)}"`)
        const [sFirst, sLead, sDeal, sLast, sOther] = anchors
        for (let i = 0; i < n; i++) w[b + i] = 0
        let total = sFirst
        w[b] = sFirst
        const lead = j.leadTouch[p]!
        const deal = j.dealTouch[p]!
        if (sLead > 0 && lead >= start && lead < end) {
          w[b + lead - start]! += sLead
          total += sLead
        }
        if (sDeal > 0 && deal >= start && deal < end) {
          w[b + deal - start]! += sDeal
          total += sDeal
        }
        if (sLast > 0) {
          w[b + n - 1]! += sLast
          total += sLast
        }
        let others = 0
        for (let i = 0; i < n; i++) if (w[b + i] === 0) others++
        if (others > 0) {
          const each = sOther / others
          for (let i = 0; i < n; i++) if (w[b + i] === 0) w[b + i] = each
          total += sOther
        }
        const inv = 1 / total
        for (let i = 0; i < n; i++) {
          const share = w[b + i]! * inv
          if (keep) w[b + i] = share
          const key = touchKey[start + i]!
          credit[key]! += c * share
          value[key]! += v * share
        }
      }
    }
  }
  const t = journeyTotals(j)
  return {
    model,
    keys: j.keys,
    conversions: credit,
    value,
    totalConversions: t.conversions,
    totalValue: t.value,
    currency: j.currency,
    unattributed: j.unattributed,
    ...(touchWeights ? { touchWeights } : {}),
  }
}
