import type { AttributionResult } from './attribution/result.js'
import type { BudgetReport } from './budgets.js'
import { invalid } from './errors.js'

/** Minor units of the report currency per key. */
export type AmountsByKey = Readonly<Record<string, number>> | ReadonlyMap<string, number>

export interface PerformanceInput {
  currency: string
  /** Attributed lead creations, deal creations and won deals (with revenue), same key space. */
  leads?: AttributionResult
  deals?: AttributionResult
  won?: AttributionResult
  /** Marketing spend per key (minor units); say which kind in `spendKind`. */
  spend: AmountsByKey
  spendKind?: 'actual' | 'planned' | 'committed+actual'
  /** Sales cost per key; CAC = (spend + sales cost) / won. Without it CAC equals CPA. */
  salesCost?: AmountsByKey
  /** Advertising spend per key for ROAS (default: `spend`). */
  adSpend?: AmountsByKey
  /** Gross margin ratio (0…1) for a margin ROMI = (R·m − S) / S; default none. */
  marginRate?: number
}

/** Every ratio is null where its denominator is zero: never Infinity or NaN. Round only to display. */
export interface PerformanceRow {
  key: string
  spend: number
  leads: number
  deals: number
  won: number
  /** Attributed revenue, minor units (fractional where credit is split). */
  revenue: number
  /** spend / leads */
  cpl: number | null
  /** spend / deals */
  costPerDeal: number | null
  /** spend / won (acquisition = a won deal) */
  cpa: number | null
  /** (spend + sales cost) / won */
  cac: number | null
  /** Named steps, converted / entered. */
  conversion: { leadToDeal: number | null; leadToWon: number | null; dealToWon: number | null }
  /** (revenue − spend) / spend */
  romi: number | null
  /** (revenue · marginRate − spend) / spend, when a margin rate is given */
  marginRomi: number | null
  /** revenue / ad spend (×100 for %) */
  roas: number | null
}

export interface PerformanceReport {
  currency: string
  spendKind: string
  rows: PerformanceRow[]
  total: PerformanceRow
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b)

function lookup(m: AmountsByKey | undefined, key: string): number {
  if (!m) return 0
  return (m instanceof Map ? m.get(key) : (m as Record<string, number>)[key]) ?? 0
}

function keysOf(m: AmountsByKey | undefined): string[] {
  if (!m) return []
  return m instanceof Map ? [...m.keys()] : Object.keys(m)
}

function creditOf(r: AttributionResult | undefined): Map<string, { c: number; v: number }> {
  const out = new Map<string, { c: number; v: number }>()
  r?.keys.forEach((k, i) => out.set(k, { c: r.conversions[i]!, v: r.value[i]! }))
  return out
}

function makeRow(key: string, s: number, sales: number, ad: number, l: number, d: number, w: number, rev: number, margin: number | undefined): PerformanceRow {
  return {
    key,
    spend: s,
    leads: l,
    deals: d,
    won: w,
    revenue: rev,
    cpl: ratio(s, l),
    costPerDeal: ratio(s, d),
    cpa: ratio(s, w),
    cac: ratio(s + sales, w),
    conversion: { leadToDeal: ratio(d, l), leadToWon: ratio(w, l), dealToWon: ratio(w, d) },
    romi: ratio(rev - s, s),
    marginRomi: margin === undefined ? null : ratio(rev * margin - s, s),
    roas: ratio(rev, ad),
  }
}

/** Amounts per key must be non-negative numbers: a negative spend would turn CPL and ROMI around. */
function checkAmounts(m: AmountsByKey | undefined, field: string): void {
  if (!m) return
  for (const key of keysOf(m)) {
    const v = lookup(m, key)
    if (!(Number.isFinite(v) && v >= 0)) invalid([field, key], 'must be a non-negative amount', 'too_small')
  }
}

/** Joins attributed leads/deals/won/revenue with spend per key and derives the metrics. */
export function performanceReport(input: PerformanceInput): PerformanceReport {
  checkAmounts(input.spend, 'spend')
  checkAmounts(input.salesCost, 'salesCost')
  checkAmounts(input.adSpend, 'adSpend')
  const leads = creditOf(input.leads)
  const deals = creditOf(input.deals)
  const won = creditOf(input.won)
  const keys = [...new Set([...keysOf(input.spend), ...leads.keys(), ...deals.keys(), ...won.keys()])].sort()
  const rows: PerformanceRow[] = []
  const t = { s: 0, sales: 0, ad: 0, l: 0, d: 0, w: 0, rev: 0 }
  for (const key of keys) {
    const s = lookup(input.spend, key)
    const sales = lookup(input.salesCost, key)
    const ad = input.adSpend ? lookup(input.adSpend, key) : s
    const l = leads.get(key)?.c ?? 0
    const d = deals.get(key)?.c ?? 0
    const w = won.get(key)?.c ?? 0
    const rev = won.get(key)?.v ?? 0
    rows.push(makeRow(key, s, sales, ad, l, d, w, rev, input.marginRate))
    t.s += s
    t.sales += sales
    t.ad += ad
    t.l += l
    t.d += d
    t.w += w
    t.rev += rev
  }
  return {
    currency: input.currency,
    spendKind: input.spendKind ?? 'actual',
    rows,
    total: makeRow('total', t.s, t.sales, t.ad, t.l, t.d, t.w, t.rev, input.marginRate),
  }
}

/** Spend per key from a budget roll-up (grouped by channel or campaign), e.g. actual spend. */
export function spendFromBudgetReport(report: BudgetReport, kind: 'actual' | 'committed' | 'planned' | 'approved' = 'actual'): Map<string, number> {
  return new Map(report.rows.map((r) => [r.key, r[kind]]))
}
