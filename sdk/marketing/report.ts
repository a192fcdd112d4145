import type { Campaign, Deal, Lead, Source, SpendEntry } from '../model/index.js'
import { classifyChannel } from './channels.js'
import { attribute, type AttributionModel } from './attribution/index.js'
import { createConverter, type ExchangeRates, type Rounding } from './currency.js'
import { invalid } from './errors.js'
import { performanceReport, type PerformanceReport } from './metrics.js'
import { buildJourneys, touchpointsFromCrm, type ConversionKind, type Touchpoint } from './touchpoints.js'

export type GroupBy = 'channel' | 'source' | 'campaign'
export const GROUPINGS: GroupBy[] = ['channel', 'source', 'campaign']
export const NONE = '(none)'

export interface ReportInput {
  leads: readonly Lead[]
  deals: readonly Deal[]
  campaigns: readonly Campaign[]
  spend: readonly SpendEntry[]
  model: AttributionModel
  groupBy: GroupBy
  /** Inclusive range of creation dates (leads, deals) and spend dates. */
  from: Date
  to: Date
  currency: string
  /**
   * The user's exchange rates into `currency` (`rates.base` must be it): won revenue and spend in
   * other currencies are converted, each amount once, then summed. A currency without a rate is
   * left out and listed in `skippedCurrencies`.
   */
  rates?: ExchangeRates
  /** How converted amounts are rounded to minor units (default half-even). */
  rounding?: Rounding
}

export interface AttributionReport extends PerformanceReport {
  /**
   * Currencies whose won deals (as touches and conversions) and spend are left out of the report:
   * no rate to the report currency was given. Empty when everything was counted.
   */
  skippedCurrencies: string[]
  /** The rate table the amounts were converted with and its rounding, kept with the figures (when rates were given). */
  rates?: ExchangeRates
  rounding?: Rounding
  unattributed: number
}

const keyOf = (groupBy: GroupBy) => (t: Touchpoint) =>
  (groupBy === 'channel' ? t.channel : groupBy === 'source' ? t.source : t.campaign) || NONE

/** Spend is grouped like touches: by the campaign's channel, source or UTM campaign. */
const spendKey = (groupBy: GroupBy, c: Campaign | undefined) =>
  (c && (groupBy === 'channel' ? c.channel : groupBy === 'source' ? c.source : (c.utmCampaign ?? c.name))) || NONE

/**
 * The attribution table: leads, deals and won deals credited by one model, grouped by channel,
 * source or campaign, joined with actual spend in the same range. All maths is crmkit/marketing's.
 */
export function attributionReport(input: ReportInput): AttributionReport {
  // The table is checked up front (codes, rates > 0), so a bad rate fails before any work.
  const converter = input.rates ? createConverter(input.rates, input.rounding) : null
  if (converter && converter.base !== input.currency) invalid(['rates', 'base'], `must be the report currency ${input.currency}`, 'currency_mismatch')
  const counted = (currency: string) => currency === input.currency || (!!input.rates && Object.hasOwn(input.rates.rates, currency))
  const inRange = (d: Date) => d >= input.from && d <= input.to
  const leads = input.leads.filter((l) => inRange(l.createdAt))
  const skipped = new Set<string>()
  const deals = input.deals.filter((d) => {
    if (!inRange(d.createdAt)) return false
    if (d.outcome !== 'won' || !d.amount || counted(d.amount.currency)) return true
    skipped.add(d.amount.currency)
    return false
  })
  const { touchpoints, conversions } = touchpointsFromCrm({ leads, deals })
  const key = keyOf(input.groupBy)
  const options = { key, ...(converter ? { converter } : {}) }
  const run = (kind: ConversionKind) => attribute(buildJourneys(touchpoints, conversions, { kind, ...options }), input.model)
  const won = run('won')

  const byId = new Map(input.campaigns.map((c) => [c.id, c]))
  const spend = new Map<string, number>()
  input.spend.forEach((s, i) => {
    if (s.kind !== 'actual' || !inRange(s.date)) return
    if (!counted(s.amount.currency)) {
      skipped.add(s.amount.currency)
      return
    }
    // Each entry is converted once, then integers are summed (as the budget roll-ups do).
    const minor = converter ? converter.toBaseMinor(s.amount, ['spend', i, 'amount']) : s.amount.minor
    const k = spendKey(input.groupBy, byId.get(s.campaignId))
    spend.set(k, (spend.get(k) ?? 0) + minor)
  })
  const report = performanceReport({ currency: input.currency, leads: run('lead'), deals: run('deal'), won, spend, spendKind: 'actual' })
  return {
    ...report,
    skippedCurrencies: [...skipped].sort(),
    ...(input.rates && converter ? { rates: input.rates, rounding: converter.rounding } : {}),
    unattributed: won.unattributed,
  }
}

/** The group a record's own source falls in: the same key its touch gets in the report. */
export function groupOfSource(groupBy: GroupBy, source: Source): string {
  const v = groupBy === 'channel' ? String(classifyChannel(source)) : groupBy === 'source' ? (source.utm.source ?? source.source) : (source.utm.campaign ?? source.campaign)
  return v || NONE
}

/**
 * Drill-down of one table row: the leads and deals created in the range whose own source is in
 * the group, newest first (what the row's touches were made of).
 */
export function recordsOfGroup<L extends { createdAt: Date; source: Source }, D extends { createdAt: Date; source: Source }>(input: {
  leads: readonly L[]
  deals: readonly D[]
  groupBy: GroupBy
  key: string
  from: Date
  to: Date
}): { leads: L[]; deals: D[] } {
  const pick = <T extends { createdAt: Date; source: Source }>(xs: readonly T[]) =>
    xs
      .filter((x) => x.createdAt >= input.from && x.createdAt <= input.to && groupOfSource(input.groupBy, x.source) === input.key)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
  return { leads: pick(input.leads), deals: pick(input.deals) }
}
