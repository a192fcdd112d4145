import type { Deal, Lead } from '../model/entities.js'
import type { Money } from '../model/money.js'
import type { Source } from '../model/source.js'
import { classifyChannel, type ChannelClassifier } from './channels.js'
import type { Converter } from './currency.js'
import { invalid } from './errors.js'

/** One marketing interaction of a contact. */
export interface Touchpoint {
  contactId: string
  at: Date
  channel: string
  source?: string | null
  campaign?: string | null
  /** Set on the touch that created this lead (its role in W-shaped / full-path models). */
  leadId?: string | null
  /** Set on the touch that created this deal. */
  dealId?: string | null
}

export type ConversionKind = 'lead' | 'deal' | 'won'

export interface Conversion {
  contactId: string
  at: Date
  kind: ConversionKind
  /** Revenue of a won deal; ignored for counts. */
  value?: Money | null
  leadId?: string | null
  dealId?: string | null
}

const DAY = 86_400_000

/**
 * Builds touches and conversions from the common model: every lead and deal is a touch (with its
 * source), created leads/deals are `lead`/`deal` conversions and won deals are `won` conversions
 * with their amount as revenue. amoCRM's lead and deal are one record (same id), so that pair
 * yields one touch with both roles instead of two.
 */
export function touchpointsFromCrm(input: {
  leads?: readonly Lead[]
  deals?: readonly Deal[]
  /** Channel of a source; default `classifyChannel`. */
  classify?: ChannelClassifier
}): { touchpoints: Touchpoint[]; conversions: Conversion[] } {
  const classify = input.classify ?? classifyChannel
  const touchpoints: Touchpoint[] = []
  const conversions: Conversion[] = []
  const leadContact = new Map<string, string>()
  const mergedDeals = new Set<string>()
  const touch = (contactId: string, at: Date, source: Source, ids: { leadId?: string | null; dealId?: string | null }): Touchpoint => ({
    contactId,
    at,
    channel: String(classify(source)),
    source: source.utm.source ?? source.source,
    campaign: source.utm.campaign ?? source.campaign,
    leadId: ids.leadId ?? null,
    dealId: ids.dealId ?? null,
  })
  const dealById = new Map((input.deals ?? []).map((d) => [d.id, d]))
  for (const lead of input.leads ?? []) {
    // A lead without a contact is still one journey; key it by the lead itself.
    const contactId = lead.contactId ?? `lead:${lead.id}`
    leadContact.set(lead.id, contactId)
    const sameRecord = lead.dealId !== null && lead.dealId === lead.id && dealById.has(lead.id)
    if (sameRecord) mergedDeals.add(lead.id)
    touchpoints.push(touch(contactId, lead.createdAt, lead.source, { leadId: lead.id, dealId: sameRecord ? lead.id : null }))
    conversions.push({ contactId, at: lead.createdAt, kind: 'lead', leadId: lead.id, dealId: lead.dealId })
  }
  for (const deal of input.deals ?? []) {
    const contactId = deal.contactId ?? (deal.leadId ? leadContact.get(deal.leadId) : undefined) ?? `deal:${deal.id}`
    if (!mergedDeals.has(deal.id)) touchpoints.push(touch(contactId, deal.createdAt, deal.source, { leadId: null, dealId: deal.id }))
    conversions.push({ contactId, at: deal.createdAt, kind: 'deal', leadId: deal.leadId, dealId: deal.id })
    if (deal.outcome === 'won') {
      conversions.push({ contactId, at: deal.closedAt ?? deal.updatedAt, kind: 'won', value: deal.amount, leadId: deal.leadId, dealId: deal.id })
    }
  }
  return { touchpoints, conversions }
}

/**
 * Journeys in columnar form: paths of small-integer keys in typed arrays, so models run without
 * allocating per touch. Path p owns touches `pathStart[p] … pathStart[p+1]-1`, oldest first.
 */
export interface Journeys {
  /** Key (channel, campaign, …) names by id. */
  readonly keys: readonly string[]
  readonly pathStart: Int32Array
  readonly touchKey: Int32Array
  /** Epoch ms; NaN when unknown (then time decay is unavailable). */
  readonly touchTime: Float64Array
  /** Index of the touch in the caller's input, or -1 (lets reports group touches by any attribute). */
  readonly touchRef: Int32Array
  /** Conversions the path ended in (usually 0 or 1; aggregated rows may carry more). */
  readonly conversions: Float64Array
  /** Non-converting outcomes of the path (a journey that has not converted counts 1). */
  readonly nulls: Float64Array
  /** Conversion value in minor units of `currency` (sum over the path's conversions). */
  readonly value: Float64Array
  /** Epoch ms of the conversion; NaN for non-converting paths. */
  readonly convTime: Float64Array
  /** Absolute index of the lead-creation / deal-creation touch, or -1. */
  readonly leadTouch: Int32Array
  readonly dealTouch: Int32Array
  readonly currency: string | null
  /** Conversions that had no touch in their window and so cannot be attributed. */
  readonly unattributed: number
}

export interface PathRow {
  path: readonly string[]
  conversions?: number
  nulls?: number
  value?: number
  /** Epoch ms or Dates per touch, for time decay. */
  times?: readonly (number | Date)[]
  convTime?: number | Date
  /** Index in `path` of the lead-creation / deal-creation touch. */
  leadIndex?: number
  dealIndex?: number
}

/** Journeys from aggregated path rows (the ChannelAttribution input shape: path, conv, null). */
export function journeysFromPaths(rows: readonly PathRow[], currency: string | null = null): Journeys {
  const ids = new Map<string, number>()
  const keys: string[] = []
  let total = 0
  rows.forEach((r, i) => {
    if (!Array.isArray(r.path) || r.path.length === 0) invalid(['rows', i, 'path'], 'must list at least one key')
    const c = r.conversions ?? 0
    const n = r.nulls ?? 0
    if (!(c >= 0) || !(n >= 0)) invalid(['rows', i, c >= 0 ? 'nulls' : 'conversions'], 'must not be negative', 'too_small')
    // Negative revenue would be shared out as negative credit by every model.
    if (r.value !== undefined && !(Number.isFinite(r.value) && r.value >= 0)) invalid(['rows', i, 'value'], 'must be a non-negative amount', 'too_small')
    total += r.path.length
  })
  const pathStart = new Int32Array(rows.length + 1)
  const touchKey = new Int32Array(total)
  const touchTime = new Float64Array(total).fill(Number.NaN)
  const touchRef = new Int32Array(total).fill(-1)
  const conversions = new Float64Array(rows.length)
  const nulls = new Float64Array(rows.length)
  const value = new Float64Array(rows.length)
  const convTime = new Float64Array(rows.length).fill(Number.NaN)
  const leadTouch = new Int32Array(rows.length).fill(-1)
  const dealTouch = new Int32Array(rows.length).fill(-1)
  let t = 0
  rows.forEach((r, p) => {
    pathStart[p] = t
    r.path.forEach((k, j) => {
      let id = ids.get(k)
      if (id === undefined) {
        id = keys.length
        ids.set(k, id)
        keys.push(k)
      }
      touchKey[t + j] = id
      const time = r.times?.[j]
      if (time !== undefined) touchTime[t + j] = +time
    })
    conversions[p] = r.conversions ?? 0
    nulls[p] = r.nulls ?? 0
    value[p] = r.value ?? 0
    if (r.convTime !== undefined) convTime[p] = +r.convTime
    if (r.leadIndex !== undefined && r.leadIndex >= 0 && r.leadIndex < r.path.length) leadTouch[p] = t + r.leadIndex
    if (r.dealIndex !== undefined && r.dealIndex >= 0 && r.dealIndex < r.path.length) dealTouch[p] = t + r.dealIndex
    t += r.path.length
  })
  pathStart[rows.length] = t
  return { keys, pathStart, touchKey, touchTime, touchRef, conversions, nulls, value, convTime, leadTouch, dealTouch, currency, unattributed: 0 }
}

export interface BuildJourneysOptions {
  /** Which conversions to attribute. */
  kind: ConversionKind
  /** What a path is made of: the touch's channel (default), campaign, source or anything else. */
  key?: (touch: Touchpoint) => string
  /** Touches older than this before the conversion are ignored (GA4: 30/90 days). Default: no limit. */
  lookbackDays?: number
  /** Converts revenue to one currency; required when won deals are in several currencies. */
  converter?: Converter
  /**
   * Start a new journey after each conversion of this kind (default true), so touches are not
   * credited twice and Markov sees the non-converting tail as its own path.
   */
  resetAfterConversion?: boolean
}

/**
 * Groups touches by contact and cuts them into journeys ending at conversions of `options.kind`
 * (touches at or before the conversion time; ties in time keep input order). Touches after a
 * contact's last conversion form one non-converting journey.
 */
export function buildJourneys(touchpoints: readonly Touchpoint[], conversions: readonly Conversion[], options: BuildJourneysOptions): Journeys {
  const keyOf = options.key ?? ((t: Touchpoint) => t.channel)
  const lookback = options.lookbackDays === undefined ? Number.POSITIVE_INFINITY : options.lookbackDays * DAY
  if (!(lookback >= 0)) invalid(['lookbackDays'], 'must not be negative', 'too_small')
  const reset = options.resetAfterConversion ?? true
  const byContact = new Map<string, number[]>()
  touchpoints.forEach((t, i) => {
    if (!(t.at instanceof Date) || Number.isNaN(t.at.getTime())) invalid(['touchpoints', i, 'at'], 'must be a valid Date')
    let list = byContact.get(t.contactId)
    if (!list) byContact.set(t.contactId, (list = []))
    list.push(i)
  })
  const convByContact = new Map<string, number[]>()
  let currency: string | null = options.converter?.base ?? null
  conversions.forEach((c, i) => {
    if (c.kind !== options.kind) return
    if (!(c.at instanceof Date) || Number.isNaN(c.at.getTime())) invalid(['conversions', i, 'at'], 'must be a valid Date')
    if (c.value && !options.converter) {
      if (currency === null) currency = c.value.currency
      else if (c.value.currency !== currency) invalid(['conversions', i, 'value', 'currency'], `differs from ${currency}; pass a converter`, 'currency_mismatch')
    }
    let list = convByContact.get(c.contactId)
    if (!list) convByContact.set(c.contactId, (list = []))
    list.push(i)
  })

  const ids = new Map<string, number>()
  const keys: string[] = []
  const pathStart: number[] = []
  const touchKey: number[] = []
  const touchTime: number[] = []
  const touchRef: number[] = []
  const conv: number[] = []
  const nul: number[] = []
  const val: number[] = []
  const convTime: number[] = []
  const leadTouch: number[] = []
  const dealTouch: number[] = []
  let unattributed = 0

  const emit = (list: number[], from: number, to: number, c: Conversion | null, ci: number) => {
    const start = touchKey.length
    // Roles: prefer the touch that created this very lead/deal; else the latest creation touch.
    let leadAny = -1
    let leadExact = -1
    let dealAny = -1
    let dealExact = -1
    for (let j = from; j < to; j++) {
      const ti = list[j]!
      const t = touchpoints[ti]!
      const k = keyOf(t)
      let id = ids.get(k)
      if (id === undefined) {
        id = keys.length
        ids.set(k, id)
        keys.push(k)
      }
      const abs = touchKey.length
      if (t.leadId) {
        leadAny = abs
        if (c?.leadId && t.leadId === c.leadId) leadExact = abs
      }
      if (t.dealId) {
        dealAny = abs
        if (c?.dealId && t.dealId === c.dealId) dealExact = abs
      }
      touchKey.push(id)
      touchTime.push(t.at.getTime())
      touchRef.push(ti)
    }
    pathStart.push(start)
    conv.push(c ? 1 : 0)
    nul.push(c ? 0 : 1)
    let v = 0
    if (c?.value) v = options.converter ? options.converter.toBaseMinor(c.value, ['conversions', ci, 'value']) : c.value.minor
    val.push(v)
    convTime.push(c ? c.at.getTime() : Number.NaN)
    leadTouch.push(leadExact >= 0 ? leadExact : leadAny)
    dealTouch.push(dealExact >= 0 ? dealExact : dealAny)
  }

  const contacts = new Set([...byContact.keys(), ...convByContact.keys()])
  for (const contact of contacts) {
    const list = (byContact.get(contact) ?? []).slice()
    // Stable: equal times keep input order (Array.prototype.sort is stable).
    list.sort((a, b) => touchpoints[a]!.at.getTime() - touchpoints[b]!.at.getTime())
    const convs = (convByContact.get(contact) ?? []).slice()
    convs.sort((a, b) => conversions[a]!.at.getTime() - conversions[b]!.at.getTime())
    let from = 0
    let end = 0
    for (const ci of convs) {
      const c = conversions[ci]!
      const T = c.at.getTime()
      while (end < list.length && touchpoints[list[end]!]!.at.getTime() <= T) end++
      let s = reset ? from : 0
      while (s < end && touchpoints[list[s]!]!.at.getTime() < T - lookback) s++
      if (s >= end) unattributed++
      else emit(list, s, end, c, ci)
      if (reset) from = end
    }
    if (reset ? from < list.length : convs.length === 0 && list.length > 0) emit(list, reset ? from : 0, list.length, null, -1)
  }
  pathStart.push(touchKey.length)
  return {
    keys,
    pathStart: Int32Array.from(pathStart),
    touchKey: Int32Array.from(touchKey),
    touchTime: Float64Array.from(touchTime),
    touchRef: Int32Array.from(touchRef),
    conversions: Float64Array.from(conv),
    nulls: Float64Array.from(nul),
    value: Float64Array.from(val),
    convTime: Float64Array.from(convTime),
    leadTouch: Int32Array.from(leadTouch),
    dealTouch: Int32Array.from(dealTouch),
    currency,
    unattributed,
  }
}
