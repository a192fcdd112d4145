import type { Journeys } from '../touchpoints.js'
import { markovAttribution } from './markov.js'
import type { AttributionResult } from './result.js'
import { ruleBasedAttribution, RULE_BASED_MODELS, type RuleBasedModel, type RuleBasedOptions } from './rule-based.js'
import { shapleyAttribution, type ShapleyOptions } from './shapley.js'

export type AttributionModel = RuleBasedModel | 'markov' | 'shapley'
export const ATTRIBUTION_MODELS: readonly AttributionModel[] = [...RULE_BASED_MODELS, 'markov', 'shapley']

/** One entry point for every model (widgets switch models with one value). */
export function attribute(j: Journeys, model: AttributionModel, options: RuleBasedOptions & ShapleyOptions = {}): AttributionResult {
  if (model === 'markov') return markovAttribution(j)
  if (model === 'shapley') return shapleyAttribution(j, options)
  return ruleBasedAttribution(j, model, options)
}

/**
 * Credit of a rule-based result regrouped by any attribute of the original touches (campaign,
 * source, …): needs `keepTouchWeights` and journeys built by `buildJourneys` (touch refs).
 */
export function groupTouchCredit(
  j: Journeys,
  result: AttributionResult,
  groupOf: (touchIndex: number) => string,
): Map<string, { conversions: number; value: number }> {
  const w = result.touchWeights
  if (!w) throw new RangeError('groupTouchCredit needs a result computed with keepTouchWeights: true')
  const out = new Map<string, { conversions: number; value: number }>()
  for (let p = 0; p < j.conversions.length; p++) {
    const c = j.conversions[p]!
    const v = j.value[p]!
    if (c === 0 && v === 0) continue
    for (let t = j.pathStart[p]!; t < j.pathStart[p + 1]!; t++) {
      const g = groupOf(j.touchRef[t]!)
      let acc = out.get(g)
      if (!acc) out.set(g, (acc = { conversions: 0, value: 0 }))
      acc.conversions += w[t]! * c
      acc.value += w[t]! * v
    }
  }
  return out
}
