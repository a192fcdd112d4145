import { describe, expect, it } from 'vitest'
import { ValidationError, money, type ApprovalEntry } from '../../sdk/index.js'
import { approvalWrite, decodeApprovalLog, encodeApprovalLog } from '../../sdk/approval-log.js'
import { toCampaign } from '../../adapters/amocrm/mappers/campaign.js'

const entry = (i: number, over: Partial<ApprovalEntry> = {}): ApprovalEntry => ({
  action: i % 2 ? 'approve' : 'submit',
  from: i % 2 ? 'submitted' : 'draft',
  to: i % 2 ? 'approved' : 'submitted',
  by: String(100 + i),
  at: new Date(Date.UTC(2026, 2, 1, 0, 0, i)),
  comment: `шаг ${i} <i>ok</i>`,
  amount: money('1234.56', 'RUB'),
  ...over,
})

describe('approval log codec', () => {
  it('round-trips entries exactly, including null comment/amount and markup in comments', () => {
    const entries = [entry(0), entry(1, { comment: null, amount: null }), entry(2, { comment: '"кавычки" & \\ \n перевод' })]
    const text = encodeApprovalLog(entries, { maxBytes: 10_000, crm: 'amocrm' })
    expect(decodeApprovalLog(text)).toEqual({ entries, dropped: 0, unreadable: false })
  })

  it('keeps the newest entries within the byte limit and counts the dropped ones', () => {
    const entries = Array.from({ length: 50 }, (_, i) => entry(i))
    const text = encodeApprovalLog(entries, { maxBytes: 2_000, alreadyDropped: 3, crm: 'bitrix24' })
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(2_000)
    const log = decodeApprovalLog(text)
    expect(log.entries.length).toBeGreaterThan(0)
    expect(log.entries.length).toBeLessThan(50)
    expect(log.entries).toEqual(entries.slice(50 - log.entries.length))
    expect(log.dropped).toBe(3 + 50 - log.entries.length)
  })

  it('counts bytes, not characters, so Cyrillic comments cannot overflow the field', () => {
    const entries = Array.from({ length: 20 }, (_, i) => entry(i, { comment: 'ж'.repeat(100) }))
    const text = encodeApprovalLog(entries, { maxBytes: 1_500, crm: 'amocrm' })
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(1_500)
  })

  it('refuses an entry that cannot fit even alone, naming its comment', () => {
    const err = (() => {
      try {
        encodeApprovalLog([entry(0), entry(1, { comment: 'x'.repeat(5_000) })], { maxBytes: 1_000, crm: 'amocrm' })
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).issues[0]!.path).toEqual(['approvalHistory', 1, 'comment'])
  })

  it('reads empty text as no history, and text it did not write as unreadable without throwing', () => {
    expect(decodeApprovalLog(null)).toEqual({ entries: [], dropped: 0, unreadable: false })
    expect(decodeApprovalLog('  ')).toEqual({ entries: [], dropped: 0, unreadable: false })
    expect(decodeApprovalLog('Согласовано Ивановым')).toMatchObject({ entries: [], unreadable: true })
    expect(decodeApprovalLog('{"v":2,"e":[]}')).toMatchObject({ entries: [], unreadable: true })
    const good = JSON.parse(encodeApprovalLog([entry(0), entry(1)], { maxBytes: 10_000, crm: 'amocrm' }))
    good.e[0].t = 'launched'
    const partly = decodeApprovalLog(JSON.stringify(good))
    expect(partly.unreadable).toBe(true)
    expect(partly.entries).toEqual([entry(1)])
  })

  it('derives approval from the last entry and refuses a contradicting one', () => {
    expect(approvalWrite({ approvalHistory: [entry(0)] }, { maxBytes: 10_000, crm: 'amocrm' }).approval).toBe('submitted')
    expect(approvalWrite({ approval: 'draft' }, { maxBytes: 10_000, crm: 'amocrm' })).toEqual({ approval: 'draft', log: undefined })
    expect(() => approvalWrite({ approval: 'draft', approvalHistory: [entry(1)] }, { maxBytes: 10_000, crm: 'amocrm' })).toThrow(ValidationError)
  })
})

describe('a campaign whose stored log was edited by hand', () => {
  it('reads with an empty history flagged unreadable instead of failing the whole list', () => {
    const field = (code: string, value: string | number) => ({ field_id: 1, field_code: code, field_name: code, field_type: 'text', values: [{ value }] })
    const c = toCampaign({
      id: 7, name: 'Весна', created_at: 1_772_323_200, updated_at: 1_772_323_200,
      custom_fields_values: [field('CRMKIT_STARTS', 1_772_323_200), field('CRMKIT_ENDS', 1_772_323_200), field('CRMKIT_APPROVAL', 'approved'), field('CRMKIT_APPROVAL_LOG', 'согласовал Иванов 01.03')],
    } as never)
    expect(c).toMatchObject({ approval: 'approved', approvalHistory: [], approvalHistoryDropped: 0, approvalHistoryUnreadable: true })
  })
})
