import fc from 'fast-check'
import { issuePath } from './validation.js'
import { describe, expect, it } from 'vitest'
import { CrmError, ValidationError } from '../../sdk/errors.js'
import type { ApprovalState, Campaign } from '../../sdk/model/index.js'
import { money } from '../../sdk/model/money.js'
import {
  APPROVAL_TRANSITIONS,
  IllegalTransitionError,
  amountEditStep,
  approvalFromCampaign,
  approvalStep,
  canTransition,
  createApproval,
  editAmount,
  transition,
  type ApprovalAction,
  type BudgetApproval,
} from '../../sdk/marketing/index.js'

const at = (h: number) => new Date(Date.UTC(2026, 2, 1, h))
const anna = (h: number, comment?: string) => ({ by: 'anna', at: at(h), comment })
const boss = (h: number, comment?: string) => ({ by: 'boss', at: at(h), comment })

describe('budget approval state machine', () => {
  it('draft → submitted → needs-revision → submitted → approved, recording who, when and why', () => {
    let r = createApproval(money('100000', 'RUB'))
    r = transition(r, 'submit', anna(9))
    r = transition(r, 'request-revision', boss(10, 'Разбейте по месяцам'))
    r = editAmount(r, money('90000', 'RUB'), anna(11))
    r = transition(r, 'submit', anna(12, 'Разбила'))
    r = transition(r, 'approve', boss(13))
    expect(r.state).toBe('approved')
    expect(r.approvedAmount).toEqual(money('90000', 'RUB'))
    expect(r.history.map((e) => [e.action, e.from, e.to, e.by, e.at.getUTCHours(), e.comment])).toEqual([
      ['submit', 'draft', 'submitted', 'anna', 9, null],
      ['request-revision', 'submitted', 'needs-revision', 'boss', 10, 'Разбейте по месяцам'],
      ['edit-amount', 'needs-revision', 'needs-revision', 'anna', 11, null],
      ['submit', 'needs-revision', 'submitted', 'anna', 12, 'Разбила'],
      ['approve', 'submitted', 'approved', 'boss', 13, null],
    ])
  })

  it('editing an approved amount sends it back for approval; the old approval stays in force meanwhile', () => {
    let r = transition(transition(createApproval(money('1000', 'RUB')), 'submit', anna(1)), 'approve', boss(2))
    const same = editAmount(r, money('1000', 'RUB'), anna(3))
    expect(same).toBe(r)
    r = editAmount(r, money('1200', 'RUB'), anna(3))
    expect(r.state).toBe('submitted')
    expect(r.amount).toEqual(money('1200', 'RUB'))
    expect(r.approvedAmount).toEqual(money('1000', 'RUB'))
    r = transition(r, 'approve', boss(4))
    expect(r.approvedAmount).toEqual(money('1200', 'RUB'))
  })

  it('illegal transitions are typed errors (a CrmError) naming the state and the action', () => {
    const draft = createApproval(money('1', 'RUB'))
    for (const [state, action] of [
      ['draft', 'approve'],
      ['draft', 'reject'],
      ['approved', 'approve'],
      ['approved', 'submit'],
      ['rejected', 'submit'],
    ] as [ApprovalState, Exclude<ApprovalAction, 'edit-amount'>][]) {
      const r: BudgetApproval = { ...draft, state }
      try {
        transition(r, action, boss(1))
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(IllegalTransitionError)
        expect(e).toBeInstanceOf(CrmError)
        expect(e).toMatchObject({ from: state, action, code: 'illegal_transition' })
      }
    }
    expect(() => editAmount({ ...draft, state: 'rejected' }, money('2', 'RUB'), anna(1))).toThrow(IllegalTransitionError)
  })

  it('any sequence of actions either follows the table or throws, and never loses history', () => {
    const actions: Exclude<ApprovalAction, 'edit-amount'>[] = ['submit', 'approve', 'reject', 'request-revision', 'withdraw']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...actions), { maxLength: 20 }), (seq) => {
        let r = createApproval(money('10', 'RUB'))
        for (const a of seq) {
          const allowed = canTransition(r.state, a)
          try {
            const next = transition(r, a, boss(1, 'ok'))
            expect(allowed).toBe(true)
            expect(next.state).toBe(APPROVAL_TRANSITIONS[r.state][a])
            expect(next.history).toHaveLength(r.history.length + 1)
            r = next
          } catch (e) {
            expect(allowed).toBe(false)
            expect(e).toBeInstanceOf(IllegalTransitionError)
          }
        }
      }),
    )
  })

  it('bad input names the field', () => {
    expect(issuePath(() => createApproval(money('-5', 'RUB')))).toEqual(['amount'])
    expect(issuePath(() => createApproval({ minor: 5, currency: 'QQQ' }))).toEqual(['amount', 'currency'])
    const sub = transition(createApproval(money('5', 'RUB')), 'submit', anna(1))
    expect(issuePath(() => transition(sub, 'reject', boss(2)))).toEqual(['comment'])
    expect(issuePath(() => transition(sub, 'approve', { by: ' ', at: at(2) }))).toEqual(['by'])
    expect(issuePath(() => transition(sub, 'approve', { by: 'boss', at: new Date(NaN) }))).toEqual(['at'])
    expect(issuePath(() => editAmount(sub, money('5', 'USD'), anna(3)))).toEqual(['amount', 'currency'])
  })
})

describe('approval steps on a stored campaign', () => {
  const base: Campaign = {
    id: 'c1', name: 'Весна', channel: null, source: null, utmCampaign: null,
    startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-03-31T00:00:00Z'),
    status: 'planned', ownerId: null, plannedBudget: money('5000', 'RUB'), approval: 'draft',
    approvalHistory: [], approvalHistoryDropped: 2, approvalHistoryUnreadable: false,
    createdAt: new Date(0), updatedAt: new Date(0), customFields: {},
  }
  const at = new Date('2026-03-02T10:00:00Z')

  it('builds the update: new state, the history with the entry appended, and the dropped count carried over', () => {
    const step = approvalStep(base, 'submit', { by: 'u1', at, comment: '  срочно ' })
    expect(step.entry).toEqual({ action: 'submit', from: 'draft', to: 'submitted', by: 'u1', at, comment: 'срочно', amount: money('5000', 'RUB') })
    expect(step.update).toEqual({ approval: 'submitted', approvalHistory: [step.entry], approvalHistoryDropped: 2 })
    expect(step.campaign).toMatchObject({ approval: 'submitted', approvalHistory: [step.entry] })
    expect(base.approvalHistory).toEqual([]) // never mutated
  })

  it('refuses illegal moves and refusals without a comment', () => {
    expect(() => approvalStep(base, 'approve', { by: 'u1', at })).toThrow(IllegalTransitionError)
    const submitted = approvalStep(base, 'submit', { by: 'u1', at }).campaign
    expect(() => approvalStep(submitted, 'reject', { by: 'boss', at, comment: ' ' })).toThrow(ValidationError)
  })

  it('replays the approved amount from the history: the last approval, cleared by a rejection', () => {
    const submitted = approvalStep(base, 'submit', { by: 'u1', at }).campaign
    const approved = approvalStep(submitted, 'approve', { by: 'boss', at }).campaign
    expect(approvalFromCampaign(approved).approvedAmount).toEqual(money('5000', 'RUB'))
    // The planned budget changes afterwards: the approved amount stays what was approved.
    expect(approvalFromCampaign({ ...approved, plannedBudget: money('7000', 'RUB') }).approvedAmount).toEqual(money('5000', 'RUB'))
    // An approved amount edited goes back to submitted (edit-amount), and a rejection then clears it.
    const edited = { ...approved, approval: 'submitted' as const, plannedBudget: money('7000', 'RUB'), approvalHistory: [...approved.approvalHistory, { action: 'edit-amount' as const, from: 'approved' as const, to: 'submitted' as const, by: 'u1', at, comment: null, amount: money('7000', 'RUB') }] }
    expect(approvalFromCampaign(edited).approvedAmount).toEqual(money('5000', 'RUB'))
    const rejected = approvalStep(edited, 'reject', { by: 'boss', at, comment: 'нет' }).campaign
    expect(rejected.approval).toBe('rejected')
    expect(approvalFromCampaign(rejected).approvedAmount).toBeNull()
    // Approved before crmkit kept a history: the planned budget counts as approved.
    expect(approvalFromCampaign({ ...base, approval: 'approved' }).approvedAmount).toEqual(money('5000', 'RUB'))
  })

  it('amountEditStep: a new amount on an approved campaign goes back to submitted, with the budget and an edit-amount entry in one write', () => {
    const submitted = approvalStep(base, 'submit', { by: 'u1', at }).campaign
    const approved = approvalStep(submitted, 'approve', { by: 'boss', at }).campaign
    const later = new Date('2026-03-03T09:00:00Z')
    const step = amountEditStep(approved, money('7000', 'RUB'), { by: 'u1', at: later, comment: ' больше показов ' })!
    expect(step.entry).toEqual({ action: 'edit-amount', from: 'approved', to: 'submitted', by: 'u1', at: later, comment: 'больше показов', amount: money('7000', 'RUB') })
    expect(step.update).toEqual({
      plannedBudget: money('7000', 'RUB'),
      approval: 'submitted',
      approvalHistory: [...approved.approvalHistory, step.entry],
      approvalHistoryDropped: 2,
    })
    expect(step.campaign).toMatchObject({ plannedBudget: money('7000', 'RUB'), approval: 'submitted' })
    // The stored record reads back as the engine's: submitted, the old approval still in force.
    expect(approvalFromCampaign(step.campaign)).toMatchObject({ state: 'submitted', amount: money('7000', 'RUB'), approvedAmount: money('5000', 'RUB') })
    // …and the approver can decide the new figure.
    expect(approvalFromCampaign(approvalStep(step.campaign, 'approve', { by: 'boss', at: later }).campaign).approvedAmount).toEqual(money('7000', 'RUB'))
  })

  it('amountEditStep: no step for an unchanged amount; other states keep theirs; rejected and a new currency are refused', () => {
    const submitted = approvalStep(base, 'submit', { by: 'u1', at }).campaign
    expect(amountEditStep(submitted, money('5000', 'RUB'), { by: 'u1', at })).toBeNull()
    expect(amountEditStep(submitted, money('6000', 'RUB'), { by: 'u1', at })!.update).toMatchObject({ approval: 'submitted', plannedBudget: money('6000', 'RUB') })
    expect(amountEditStep(base, money('6000', 'RUB'), { by: 'u1', at })!.entry).toMatchObject({ from: 'draft', to: 'draft' })
    // Clearing the budget is an edit to zero; the stored entry says "no amount".
    const cleared = amountEditStep(submitted, null, { by: 'u1', at })!
    expect([cleared.update.plannedBudget, cleared.entry.amount, cleared.update.approval]).toEqual([null, null, 'submitted'])
    const rejected = approvalStep(submitted, 'reject', { by: 'boss', at, comment: 'нет' }).campaign
    expect(() => amountEditStep(rejected, money('1', 'RUB'), { by: 'u1', at })).toThrow(IllegalTransitionError)
    expect(issuePath(() => amountEditStep(submitted, money('60', 'USD'), { by: 'u1', at }))).toEqual(['amount', 'currency'])
    expect(() => amountEditStep(submitted, money('6000', 'RUB'), { by: ' ', at })).toThrow(ValidationError)
  })

  it('a planned budget changed outside crmkit on an approved campaign awaits approval again', () => {
    const submitted = approvalStep(base, 'submit', { by: 'u1', at }).campaign
    const approved = approvalStep(submitted, 'approve', { by: 'boss', at }).campaign
    // Written by the CRM's own form: the state still reads approved, the amount is not the approved one.
    const outside = { ...approved, plannedBudget: money('9000', 'RUB') }
    expect(approvalFromCampaign(outside)).toMatchObject({ state: 'submitted', amount: money('9000', 'RUB'), approvedAmount: money('5000', 'RUB') })
    expect(approvalFromCampaign(approved).state).toBe('approved')
    // The approver can decide it, and a further edit's entry starts from the state the CRM shows.
    expect(approvalStep(outside, 'approve', { by: 'boss', at }).update.approval).toBe('approved')
    const edit = amountEditStep(outside, money('9500', 'RUB'), { by: 'u1', at })!
    expect(edit.entry).toMatchObject({ from: 'approved', to: 'submitted' })
  })
})
