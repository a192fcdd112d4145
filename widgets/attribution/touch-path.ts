import type { Deal, Lead, Money } from '../../sdk/index.js'
import { attribute, type AttributionModel } from '../../sdk/marketing/attribution/index.js'
import { markovAttribution } from '../../sdk/marketing/attribution/markov.js'
import { buildJourneys, touchpointsFromCrm, type Conversion, type ConversionKind, type Journeys, type Touchpoint } from '../../sdk/marketing/touchpoints.js'

export interface PathTouch {
  at: Date
  channel: string
  source: string | null
  campaign: string | null
  leadId: string | null
  dealId: string | null
  /** Share of this record's conversion credited to the touch (0…1); null when the touch is outside its journey. */
  credit: number | null
  /** Credited revenue, minor units (won deals only). */
  value: number | null
  /** The touch that created this very record. */
  isThis: boolean
}

export interface TouchPath {
  contactId: string
  /** The conversion credited: deal won (won deals), deal created (other deals) or lead created. */
  conversion: { kind: ConversionKind; at: Date; value: Money | null } | null
  /** Every touch of the contact, oldest first (ties keep the engine's order). */
  touches: PathTouch[]
}

const channelKey = (t: Touchpoint) => t.channel

/**
 * The contact's path of touches for one lead or deal card, with each touch's credit under a
 * model. Touches, journeys and weights come from crmkit/marketing exactly as the tab computes
 * them (channel as the key). Rule-based weights are the engine's own per-touch weights; Shapley
 * (additive "count" value) splits a journey evenly over its distinct channels; Markov splits it
 * by the account-wide removal effects of the channels on the path. A channel's share is divided
 * evenly between its touches on the path.
 */
export function touchPath(input: { leads: readonly Lead[]; deals: readonly Deal[]; entity: 'deal' | 'lead'; id: string; model: AttributionModel }): TouchPath | null {
  const { touchpoints, conversions } = touchpointsFromCrm({ leads: input.leads, deals: input.deals })
  const deal = input.entity === 'deal' ? input.deals.find((d) => d.id === input.id) : undefined
  const kind: ConversionKind = input.entity === 'lead' ? 'lead' : deal?.outcome === 'won' ? 'won' : 'deal'
  const mine = (c: Conversion) => c.kind === kind && (input.entity === 'lead' ? c.leadId === input.id : c.dealId === input.id)
  const target = conversions.find(mine)
  if (!target) return null
  const contactId = target.contactId

  const refs: number[] = []
  touchpoints.forEach((t, i) => t.contactId === contactId && refs.push(i))
  const own = refs.map((i) => touchpoints[i]!)
  const convs = conversions.filter((c) => c.contactId === contactId)
  const j = buildJourneys(own, convs, { kind, key: channelKey })
  const isThis = (t: Touchpoint) => (input.entity === 'lead' ? t.leadId === input.id : t.dealId === input.id)

  // The journey that ends in this record's conversion: same time, and its lead/deal anchor is this record when there is one.
  let path = -1
  for (let p = 0; p < j.conversions.length; p++) {
    if (j.conversions[p] === 0 || j.convTime[p] !== target.at.getTime()) continue
    const anchor = input.entity === 'lead' ? j.leadTouch[p]! : j.dealTouch[p]!
    if (anchor >= 0 && isThis(own[j.touchRef[anchor]!]!)) {
      path = p
      break
    }
    if (path < 0) path = p
  }

  const weights = path >= 0 ? touchWeights(j, path, input.model, () => accountJourneys(touchpoints, conversions, kind)) : null
  const credit = new Map<number, number>()
  if (weights) for (let t = j.pathStart[path]!; t < j.pathStart[path + 1]!; t++) credit.set(j.touchRef[t]!, weights[t - j.pathStart[path]!]!)
  const value = target.value?.minor ?? null
  // Display order: by time, ties in input order (the engine's order).
  const order = own.map((_, i) => i).sort((a, b) => own[a]!.at.getTime() - own[b]!.at.getTime() || a - b)
  return {
    contactId,
    conversion: { kind, at: target.at, value: target.value ?? null },
    touches: order.map((i) => {
      const t = own[i]!
      const w = credit.get(i)
      return {
        at: t.at,
        channel: t.channel,
        source: t.source ?? null,
        campaign: t.campaign ?? null,
        leadId: t.leadId ?? null,
        dealId: t.dealId ?? null,
        credit: w ?? null,
        value: w === undefined || value === null ? null : w * value,
        isThis: isThis(t),
      }
    }),
  }
}

const accountJourneys = (touchpoints: Touchpoint[], conversions: Conversion[], kind: ConversionKind) => buildJourneys(touchpoints, conversions, { kind, key: channelKey })

/** Weights of the touches of path `p` (summing to 1). */
function touchWeights(j: Journeys, p: number, model: AttributionModel, all: () => Journeys): Float64Array {
  const start = j.pathStart[p]!
  const n = j.pathStart[p + 1]! - start
  if (model !== 'markov' && model !== 'shapley') {
    const w = attribute(j, model, { keepTouchWeights: true }).touchWeights!
    return w.slice(start, start + n)
  }
  // Per-key shares of this journey, then split evenly among the key's touches.
  const perKey = new Map<number, number>()
  for (let t = start; t < start + n; t++) perKey.set(j.touchKey[t]!, (perKey.get(j.touchKey[t]!) ?? 0) + 1)
  const share = new Map<number, number>()
  if (model === 'shapley') {
    for (const k of perKey.keys()) share.set(k, 1 / perKey.size)
  } else {
    const account = all()
    const re = markovAttribution(account).removalEffects
    const effect = (k: number) => Math.max(0, re[account.keys.indexOf(j.keys[k]!)] ?? 0)
    const sum = [...perKey.keys()].reduce((a, k) => a + effect(k), 0)
    for (const k of perKey.keys()) share.set(k, sum > 0 ? effect(k) / sum : 1 / perKey.size)
  }
  const out = new Float64Array(n)
  for (let t = 0; t < n; t++) {
    const k = j.touchKey[start + t]!
    out[t] = share.get(k)! / perKey.get(k)!
  }
  return out
}
