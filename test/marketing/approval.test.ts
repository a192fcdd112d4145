import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CrmError, ValidationError } from '../../sdk/errors.js'
import type { ApprovalState } from '../../sdk/model/index.js'
import { money } from '../../sdk/model/money.js'
import {
  APPROVAL_TRANSITIONS,
  IllegalTransitionError,
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
    const path = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError)
        return (e as ValidationError).issues[0]!.path
      }
      return null
    }
    expect(path(() => createApproval(money('-5', 'RUB')))).toEqual(['amount'])
    expect(path(() => createApproval({ minor: 5, currency: 'QQQ' }))).toEqual(['amount', 'currency'])
    const sub = transition(createApproval(money('5', 'RUB')), 'submit', anna(1))
    expect(path(() => transition(sub, 'reject', boss(2)))).toEqual(['comment'])
    expect(path(() => transition(sub, 'approve', { by: ' ', at: at(2) }))).toEqual(['by'])
    expect(path(() => transition(sub, 'approve', { by: 'boss', at: new Date(NaN) }))).toEqual(['at'])
    expect(path(() => editAmount(sub, money('5', 'USD'), anna(3)))).toEqual(['amount', 'currency'])
  })
})
