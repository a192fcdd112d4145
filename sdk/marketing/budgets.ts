import type { Campaign, SpendKind } from '../model/entities.js'
import type { Money } from '../model/money.js'
import type { BudgetApproval } from './approval.js'
import { assertCurrency, createConverter, type ExchangeRates, type Rounding } from './currency.js'
import { invalid } from './errors.js'

/** A campaign's budget as the engine needs it (see `budgetFromCampaign`). */
export interface CampaignBudget {
  campaignId: string
  name?: string
  channel: string | null
  ownerId: string | null
  /** Marketing plan (Creatio CampaignPlanner, Siebel plan); null when not planned in one. */
  planId: string | null
  startsAt: Date
  endsAt: Date
  /** In the campaign's own currency. */
  planned: Money
  /** The approved amount (last approval), null until approved. */
  approved: Money | null
}

/** A spend line; the model's SpendEntry fits. */
export interface SpendLine {
  campaignId: string
  date: Date
  amount: Money
  kind: SpendKind
}

export function budgetFromCampaign(
  campaign: Pick<Campaign, 'id' | 'name' | 'channel' | 'ownerId' | 'startsAt' | 'endsAt' | 'plannedBudget' | 'approval'>,
  extra: { planId?: string | null; approved?: Money | null; approval?: BudgetApproval; currency?: string } = {},
): CampaignBudget {
  const planned = campaign.plannedBudget ?? { minor: 0, currency: extra.currency ?? 'RUB' }
  return {
    campaignId: campaign.id,
    name: campaign.name,
    channel: campaign.channel,
    ownerId: campaign.ownerId,
    planId: extra.planId ?? null,
    startsAt: campaign.startsAt,
    endsAt: campaign.endsAt,
    planned,
    // The approval record knows the approved amount; the model stores only a state, so without
    // one an approved campaign's planned budget is taken as its approved amount.
    approved:
      extra.approved !== undefined ? extra.approved
      : extra.approval ? extra.approval.approvedAmount
      : campaign.approval === 'approved' ? planned
      : null,
  }
}

export type BudgetGroupBy = 'campaign' | 'channel' | 'month' | 'plan' | 'owner'

/** Amounts in minor units of the report's base currency (each entry converted once, then summed). */
export interface BudgetRow {
  key: string
  planned: number
  approved: number
  committed: number
  actual: number
  /** approved − committed − actual */
  remaining: number
  /** actual − planned (positive = overspent against plan) */
  variance: number
}

export interface BudgetReport {
  currency: string
  rates: ExchangeRates
  rounding: Rounding
  groupBy: BudgetGroupBy
  rows: BudgetRow[]
  total: BudgetRow
}

const DAY = 86_400_000
const validDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime())

function checkMoney(m: Money | null | undefined, path: (string | number)[], nullable: boolean): void {
  if (m === null || m === undefined) {
    if (!nullable) invalid(path, 'is required', 'required')
    return
  }
  assertCurrency(m.currency, [...path, 'currency'])
  if (!Number.isSafeInteger(m.minor)) invalid([...path, 'minor'], 'must be a safe integer of minor units')
  if (m.minor < 0) invalid(path, 'must not be negative', 'too_small')
}

/** Checks budgets and spend; the first problem is a ValidationError naming the field. */
export function validateBudgets(budgets: readonly CampaignBudget[], spend: readonly SpendLine[] = []): void {
  const ids = new Set<string>()
  budgets.forEach((b, i) => {
    if (typeof b.campaignId !== 'string' || !b.campaignId) invalid(['budgets', i, 'campaignId'], 'must be a non-empty id')
    if (ids.has(b.campaignId)) invalid(['budgets', i, 'campaignId'], `duplicate campaign "${b.campaignId}"`, 'duplicate')
    ids.add(b.campaignId)
    if (!validDate(b.startsAt)) invalid(['budgets', i, 'startsAt'], 'must be a valid Date')
    if (!validDate(b.endsAt)) invalid(['budgets', i, 'endsAt'], 'must be a valid Date')
    if (b.endsAt.getTime() < b.startsAt.getTime()) invalid(['budgets', i, 'endsAt'], 'must not be before startsAt', 'end_before_start')
    checkMoney(b.planned, ['budgets', i, 'planned'], false)
    checkMoney(b.approved, ['budgets', i, 'approved'], true)
    if (b.approved && b.approved.currency !== b.planned.currency) invalid(['budgets', i, 'approved', 'currency'], `must equal the planned currency ${b.planned.currency}`, 'currency_mismatch')
  })
  spend.forEach((s, i) => {
    if (!ids.has(s.campaignId)) invalid(['spend', i, 'campaignId'], `unknown campaign "${s.campaignId}"`, 'unknown_campaign')
    if (!validDate(s.date)) invalid(['spend', i, 'date'], 'must be a valid Date')
    if (s.kind !== 'committed' && s.kind !== 'actual') invalid(['spend', i, 'kind'], 'must be committed or actual')
    checkMoney(s.amount, ['spend', i, 'amount'], false)
  })
}

const monthKey = (ms: number) => new Date(ms).toISOString().slice(0, 7)

/**
 * Splits `total` over the months a campaign runs, in proportion to its days in each month
 * (UTC calendar days, both ends inclusive). Largest-remainder rounding: the parts are integers
 * and add up to `total` exactly.
 */
export function allocateByMonth(total: number, startsAt: Date, endsAt: Date): Map<string, number> {
  const first = Math.floor(startsAt.getTime() / DAY)
  const last = Math.floor(endsAt.getTime() / DAY)
  const days = new Map<string, number>()
  for (let d = first; d <= last; d++) {
    const k = monthKey(d * DAY)
    days.set(k, (days.get(k) ?? 0) + 1)
  }
  return largestRemainder(total, days)
}

/** Integer shares of `total` proportional to `weights`, summing exactly to `total`. */
export function largestRemainder(total: number, weights: Map<string, number>): Map<string, number> {
  const sumW = [...weights.values()].reduce((a, b) => a + b, 0)
  const out = new Map<string, number>()
  if (sumW <= 0) return out
  const sign = total < 0 ? -1 : 1
  const abs = BigInt(Math.abs(total))
  const W = BigInt(sumW)
  const rest: { k: string; r: bigint }[] = []
  let given = 0n
  for (const [k, w] of weights) {
    const exact = abs * BigInt(w)
    const q = exact / W
    out.set(k, Number(q))
    given += q
    rest.push({ k, r: exact % W })
  }
  // Ties go to the earlier key (chronological for months), so the split is deterministic.
  rest.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : 0))
  for (let i = 0; given < abs; i++, given++) out.set(rest[i]!.k, out.get(rest[i]!.k)! + 1)
  if (sign < 0) for (const [k, v] of out) out.set(k, -v)
  return out
}

function emptyRow(key: string): BudgetRow {
  return { key, planned: 0, approved: 0, committed: 0, actual: 0, remaining: 0, variance: 0 }
}

/**
 * Rolls budgets and spend up by campaign, channel, month, plan or owner in the base currency of
 * `rates`. Each amount is converted once (rule: `rounding`, default half-even) and the integer
 * results are summed, so totals equal the sum of the rows exactly. By month, planned/approved are
 * spread over the campaign's days; spend falls in the month of its date.
 */
export function rollUpBudgets(
  budgets: readonly CampaignBudget[],
  spend: readonly SpendLine[],
  options: { rates: ExchangeRates; groupBy: BudgetGroupBy; rounding?: Rounding },
): BudgetReport {
  validateBudgets(budgets, spend)
  const conv = createConverter(options.rates, options.rounding)
  const byId = new Map(budgets.map((b) => [b.campaignId, b]))
  const rows = new Map<string, BudgetRow>()
  const row = (k: string) => {
    let r = rows.get(k)
    if (!r) rows.set(k, (r = emptyRow(k)))
    return r
  }
  const keyOf = (b: CampaignBudget): string => {
    switch (options.groupBy) {
      case 'campaign':
        return b.campaignId
      case 'channel':
        return b.channel ?? '(none)'
      case 'plan':
        return b.planId ?? '(none)'
      case 'owner':
        return b.ownerId ?? '(none)'
      default:
        return ''
    }
  }
  budgets.forEach((b, i) => {
    const planned = conv.toBaseMinor(b.planned, ['budgets', i, 'planned'])
    const approved = b.approved ? conv.toBaseMinor(b.approved, ['budgets', i, 'approved']) : 0
    if (options.groupBy === 'month') {
      for (const [m, v] of allocateByMonth(planned, b.startsAt, b.endsAt)) row(m).planned += v
      for (const [m, v] of allocateByMonth(approved, b.startsAt, b.endsAt)) row(m).approved += v
    } else {
      const r = row(keyOf(b))
      r.planned += planned
      r.approved += approved
    }
  })
  spend.forEach((s, i) => {
    const b = byId.get(s.campaignId)!
    const k = options.groupBy === 'month' ? monthKey(s.date.getTime()) : keyOf(b)
    const v = conv.toBaseMinor(s.amount, ['spend', i, 'amount'])
    if (s.kind === 'actual') row(k).actual += v
    else row(k).committed += v
  })
  const total = emptyRow('total')
  const list = [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  for (const r of list) {
    r.remaining = r.approved - r.committed - r.actual
    r.variance = r.actual - r.planned
    total.planned += r.planned
    total.approved += r.approved
    total.committed += r.committed
    total.actual += r.actual
  }
  total.remaining = total.approved - total.committed - total.actual
  total.variance = total.actual - total.planned
  return { currency: conv.base, rates: options.rates, rounding: conv.rounding, groupBy: options.groupBy, rows: list, total }
}

export type BudgetAlertKind = 'over-budget' | 'over-plan' | 'burn-rate'

export interface BudgetAlert {
  kind: BudgetAlertKind
  campaignId: string
  /** Minor units of the campaign's own currency. */
  limit: number
  /** committed + actual (over-budget), actual (over-plan), or projected spend at the end (burn-rate). */
  amount: number
  currency: string
  /** burn-rate: the day the money runs out at the current pace (before the campaign ends). */
  exhaustedAt?: Date
}

/**
 * Alerts per campaign (in its own currency, no conversion needed):
 * - over-budget: committed + actual > approved (planned when nothing is approved yet);
 * - over-plan: actual > planned;
 * - burn-rate: for a running campaign, actual spend per elapsed day × the campaign's days +
 *   committed > limit, i.e. it will overrun before it ends at the current pace.
 */
export function budgetAlerts(budgets: readonly CampaignBudget[], spend: readonly SpendLine[], options: { asOf: Date }): BudgetAlert[] {
  validateBudgets(budgets, spend)
  if (!validDate(options.asOf)) invalid(['asOf'], 'must be a valid Date')
  const byId = new Map(budgets.map((b) => [b.campaignId, b]))
  const sums = new Map<string, { committed: number; actual: number }>()
  spend.forEach((s, i) => {
    const b = byId.get(s.campaignId)!
    if (s.amount.currency !== b.planned.currency) invalid(['spend', i, 'amount', 'currency'], `must be the campaign currency ${b.planned.currency}`, 'currency_mismatch')
    if (s.date.getTime() > options.asOf.getTime() && s.kind === 'actual') return
    const acc = sums.get(s.campaignId) ?? { committed: 0, actual: 0 }
    acc[s.kind] += s.amount.minor
    sums.set(s.campaignId, acc)
  })
  const alerts: BudgetAlert[] = []
  for (const b of budgets) {
    const { committed, actual } = sums.get(b.campaignId) ?? { committed: 0, actual: 0 }
    const limit = (b.approved ?? b.planned).minor
    const currency = b.planned.currency
    if (committed + actual > limit) alerts.push({ kind: 'over-budget', campaignId: b.campaignId, limit, amount: committed + actual, currency })
    if (actual > b.planned.minor) alerts.push({ kind: 'over-plan', campaignId: b.campaignId, limit: b.planned.minor, amount: actual, currency })
    const start = b.startsAt.getTime()
    const end = b.endsAt.getTime() + DAY // the last day counts in full
    const now = options.asOf.getTime()
    if (now > start && now < end && actual > 0 && committed + actual <= limit) {
      const elapsed = now - start
      const perMs = actual / elapsed
      const projected = Math.round(committed + perMs * (end - start))
      if (projected > limit) {
        const exhaustedAt = new Date(start + (limit - committed) / perMs)
        alerts.push({ kind: 'burn-rate', campaignId: b.campaignId, limit, amount: projected, currency, exhaustedAt })
      }
    }
  }
  return alerts
}
