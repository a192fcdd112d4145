import type { ApprovalEntry, ApprovalState, Campaign, CampaignUpdate } from '../model/entities.js'
import { sameMoney, type Money } from '../model/money.js'
import { assertCurrency } from './currency.js'
import { IllegalTransitionError, invalid } from './errors.js'

export type ApprovalAction = 'submit' | 'approve' | 'reject' | 'request-revision' | 'withdraw' | 'edit-amount'

/**
 * Allowed moves (Siebel budget-request states): draft → submitted → approved | rejected |
 * needs-revision → submitted … . `withdraw` takes a submitted request back to draft. Rejected is
 * final: a new request starts a new record, so the audit trail of the refusal stays intact.
 */
export const APPROVAL_TRANSITIONS: Readonly<Record<ApprovalState, Partial<Record<ApprovalAction, ApprovalState>>>> = {
  draft: { submit: 'submitted', 'edit-amount': 'draft' },
  submitted: { approve: 'approved', reject: 'rejected', 'request-revision': 'needs-revision', withdraw: 'draft', 'edit-amount': 'submitted' },
  'needs-revision': { submit: 'submitted', 'edit-amount': 'needs-revision' },
  // Changing an approved amount sends it back for approval.
  approved: { 'edit-amount': 'submitted' },
  rejected: {},
}

export interface ApprovalEvent {
  action: ApprovalAction
  from: ApprovalState
  to: ApprovalState
  by: string
  at: Date
  comment: string | null
  /** The requested amount after this event. */
  amount: Money
}

export interface BudgetApproval {
  state: ApprovalState
  /** The requested amount. */
  amount: Money
  /** The amount of the last approval; it stays in force while an edit awaits re-approval. */
  approvedAmount: Money | null
  history: readonly ApprovalEvent[]
}

export interface Actor {
  by: string
  at: Date
  comment?: string | null
}

function checkAmount(amount: Money, path: (string | number)[]): void {
  if (!amount || typeof amount !== 'object') invalid(path, 'must be a Money value')
  assertCurrency(amount.currency, [...path, 'currency'])
  if (!Number.isSafeInteger(amount.minor)) invalid([...path, 'minor'], 'must be a safe integer of minor units')
  if (amount.minor < 0) invalid(path, 'must not be negative', 'too_small')
}

function checkActor(actor: Actor): void {
  if (typeof actor.by !== 'string' || !actor.by.trim()) invalid(['by'], 'must name who acted')
  if (!(actor.at instanceof Date) || Number.isNaN(actor.at.getTime())) invalid(['at'], 'must be a valid Date')
}

/** A new request in `draft`. */
export function createApproval(amount: Money): BudgetApproval {
  checkAmount(amount, ['amount'])
  return { state: 'draft', amount, approvedAmount: null, history: [] }
}

/** Whether `action` is allowed from `state` (for enabling buttons). */
export function canTransition(state: ApprovalState, action: ApprovalAction): boolean {
  return APPROVAL_TRANSITIONS[state]?.[action] !== undefined
}

/** Applies an action; returns a new record (inputs are never mutated). */
export function transition(record: BudgetApproval, action: Exclude<ApprovalAction, 'edit-amount'>, actor: Actor): BudgetApproval {
  checkActor(actor)
  const to = APPROVAL_TRANSITIONS[record.state]?.[action]
  if (to === undefined) {
    throw new IllegalTransitionError(`Cannot ${action} a budget that is ${record.state}`, { from: record.state, action })
  }
  const comment = actor.comment?.trim() || null
  // A refusal without a reason leaves the requester guessing; require one.
  if ((action === 'reject' || action === 'request-revision') && !comment) invalid(['comment'], `a comment is required to ${action}`, 'required')
  const event: ApprovalEvent = { action, from: record.state, to, by: actor.by, at: actor.at, comment, amount: record.amount }
  return {
    state: to,
    amount: record.amount,
    approvedAmount: action === 'approve' ? record.amount : action === 'reject' ? null : record.approvedAmount,
    history: [...record.history, event],
  }
}

/**
 * Changes the requested amount. An approved budget goes back to `submitted`; an unchanged amount
 * is a no-op (no history noise); a rejected one cannot be edited.
 */
export function editAmount(record: BudgetApproval, amount: Money, actor: Actor): BudgetApproval {
  checkActor(actor)
  checkAmount(amount, ['amount'])
  if (amount.currency !== record.amount.currency) invalid(['amount', 'currency'], `must stay ${record.amount.currency}`, 'currency_mismatch')
  const to = APPROVAL_TRANSITIONS[record.state]?.['edit-amount']
  if (to === undefined) {
    throw new IllegalTransitionError(`Cannot edit the amount of a budget that is ${record.state}`, { from: record.state, action: 'edit-amount' })
  }
  if (amount.minor === record.amount.minor) return record
  const event: ApprovalEvent = {
    action: 'edit-amount',
    from: record.state,
    to,
    by: actor.by,
    at: actor.at,
    comment: actor.comment?.trim() || null,
    amount,
  }
  return { state: to, amount, approvedAmount: record.approvedAmount, history: [...record.history, event] }
}

/**
 * A campaign's approval record from what the CRM stores: the state, the planned budget as the
 * requested amount, and the approved amount replayed from the history (the last approval, unless
 * rejected since). An approved campaign without history (approved before crmkit kept one) counts
 * its planned budget as approved.
 */
export function approvalFromCampaign(
  c: Pick<Campaign, 'approval' | 'plannedBudget' | 'approvalHistory'>,
  currency = 'RUB',
): BudgetApproval {
  const amount = plannedAmount(c, currency)
  let approvedAmount: Money | null = null
  const history = c.approvalHistory.map((e): ApprovalEvent => {
    const ev = { ...e, amount: e.amount ?? amount }
    if (e.action === 'approve') approvedAmount = ev.amount
    else if (e.action === 'reject') approvedAmount = null
    return ev
  })
  let state = c.approval
  if (state === 'approved') {
    if (approvedAmount === null) approvedAmount = amount
    // The planned budget was changed without an edit-amount step (in the CRM's own form, or by an
    // older client): the new figure is not what was approved, so it awaits approval like any edit.
    else if (!sameMoney(approvedAmount, amount)) state = 'submitted'
  }
  return { state, amount, approvedAmount, history }
}

/** The requested amount of a stored campaign; no planned budget counts as zero. */
function plannedAmount(c: Pick<Campaign, 'plannedBudget' | 'approvalHistory'>, currency: string): Money {
  return c.plannedBudget ?? { minor: 0, currency: c.approvalHistory.findLast((e) => e.amount)?.amount?.currency ?? currency }
}


export interface ApprovalStep {
  /** The history entry this step appends. */
  entry: ApprovalEntry
  /** What to write: the new state with the whole history (the CRM keeps it in one field). */
  update: CampaignUpdate
  /** The campaign as it will read after the write (for an optimistic update). */
  campaign: Campaign
}

/**
 * One approval action on a campaign, checked by the state machine (IllegalTransitionError for a
 * move it does not allow, ValidationError for a refusal without a comment), as a CRM write.
 */
export function approvalStep(c: Campaign, action: Exclude<ApprovalAction, 'edit-amount'>, actor: Actor): ApprovalStep {
  const next = transition(approvalFromCampaign(c), action, actor)
  const last = next.history[next.history.length - 1]!
  return stepOf(c, { ...last, amount: c.plannedBudget }, next.state)
}

/**
 * A new planned budget for a stored campaign, as a CRM write: `editAmount` on the campaign's
 * approval record. The update carries the new `plannedBudget`, the state (an approved budget goes
 * back to `submitted`) and the history with an `edit-amount` entry, so the CRM record says the same
 * as the engine. `null` clears the budget (zero for the approval). An unchanged amount is no step
 * (`null`, nothing to write for approval); a rejected budget cannot be edited
 * (IllegalTransitionError) and the currency cannot change (ValidationError on `amount.currency`).
 */
export function amountEditStep(c: Campaign, amount: Money | null, actor: Actor): ApprovalStep | null {
  // Without a budget or an amount in the history the currency is unknown: take the new one's.
  const record = approvalFromCampaign(c, amount?.currency)
  const requested = amount ?? { minor: 0, currency: record.amount.currency }
  const next = editAmount(record, requested, actor)
  if (next === record) return null
  const last = next.history[next.history.length - 1]!
  // The stored state may read `approved` while the record already counts an outside edit as
  // submitted: the entry starts from what the CRM shows, so the log reads as one chain.
  return stepOf(c, { ...last, from: c.approval, amount }, next.state, { plannedBudget: amount })
}

/** The write for one history entry: the new state, the whole history (one CRM field), and `patch`. */
function stepOf(c: Campaign, entry: ApprovalEntry, approval: ApprovalState, patch: Pick<CampaignUpdate, 'plannedBudget'> = {}): ApprovalStep {
  const approvalHistory = [...c.approvalHistory, entry]
  return {
    entry,
    update: { ...patch, approval, approvalHistory, approvalHistoryDropped: c.approvalHistoryDropped },
    campaign: { ...c, ...patch, approval, approvalHistory },
  }
}
