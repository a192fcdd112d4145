import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AccountBlockedError, PermissionError, RateLimitError, ValidationError, parseResponse, type HttpResponse } from '../../../sdk/index.js'
import { classifyAmoError } from '../../../adapters/amocrm/errors.js'
import { decodeCustomFields, encodeCustomFields } from '../../../adapters/amocrm/mappers/custom-fields.js'
import { toDeal, toLead, toWireLead } from '../../../adapters/amocrm/mappers/deal.js'
import { toPipeline } from '../../../adapters/amocrm/mappers/pipeline.js'
import { WireLead, WirePipeline, halList } from '../../../adapters/amocrm/wire.js'
import { money, type FieldDefinition } from '../../../sdk/index.js'

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/amocrm', name), 'utf8'))
const leads = parseResponse(halList('leads', WireLead), fixture('leads-list-page.json'), 'amocrm', 'fixture')._embedded.leads as never[]
const response = (status: number, data: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  data,
  text: typeof data === 'string' ? data : JSON.stringify(data),
})

describe('amoCRM mappers (documented payloads)', () => {
  it('maps a won lead: price in roubles, stage id with pipeline, UTM marks, main contact', () => {
    const d = toDeal(leads[0]!, 'RUB')
    expect(d).toMatchObject({
      id: '31840117',
      title: 'Spring webinar signup',
      amount: { minor: 12_000_000, currency: 'RUB' },
      outcome: 'won',
      stageId: '7654321:142',
      pipelineId: '7654321',
      contactId: '44100321',
      contactIds: ['44100321'],
      leadId: '31840117',
      lossReason: null,
    })
    expect(d.closedAt?.toISOString()).toBe(new Date(1742896200 * 1000).toISOString())
    expect(d.source.utm).toEqual({ source: 'yandex', medium: 'cpc', campaign: 'spring_webinar_2025', content: null, term: null })
    expect(d.customFields['1611201']).toMatchObject({ kind: 'enum', value: { id: '2204117', value: 'Paid search' } })
  })

  it('maps a lost lead with its loss reason and falls back to utm_referrer for the referrer', () => {
    const d = toDeal(leads[1]!, 'RUB')
    expect(d.outcome).toBe('lost')
    expect(d.lossReason).toBe('Too expensive')
    expect(d.source.referrer).toBe('https://vk.com/')
    expect(d.companyId).not.toBeNull()
  })

  it('the same record is the lead: converted when won, junk when lost, open otherwise', () => {
    expect(leads.map((l) => toLead(l, 'RUB').status)).toEqual(['converted', 'junk', 'open'])
    expect(toLead(leads[0]!, 'RUB').dealId).toBe('31840117')
    expect(toDeal(leads[2]!, 'RUB').source.utm.source).toBeNull()
  })

  it('decides stage semantics by 142/143, never by name', () => {
    const p = toPipeline(
      parseResponse(halList('pipelines', WirePipeline), fixture('pipelines-list.json'), 'amocrm', 'fixture')._embedded.pipelines![0] as never,
    )
    expect(p.stages.filter((s) => s.semantics === 'won').map((s) => s.id)).toEqual(['7654321:142'])
    expect(p.stages.filter((s) => s.semantics === 'lost').map((s) => s.id)).toEqual(['7654321:143'])
    expect(p.isDefault).toBe(true)
  })

  it('accepts date fields as unix seconds or as "YYYY-MM-DD" strings', () => {
    const f = decodeCustomFields([
      { field_id: 1, field_type: 'date', values: [{ value: 1767225600 }] },
      { field_id: 2, field_type: 'date', values: [{ value: '2026-01-01' }] },
      { field_id: 3, field_type: 'numeric', values: [{ value: '12.5' }] },
      { field_id: 4, field_type: 'legal_entity', values: [{ value: { name: 'ООО «Ромашка»', vat_id: '7700000000' } }] },
    ])
    expect((f['1']!.value as Date).toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect((f['2']!.value as Date).toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect(f['3']).toMatchObject({ kind: 'number', value: 12.5 })
    expect(f['4']).toMatchObject({ kind: 'other' })
  })

  it('writes: whole-rouble prices, stage → pipeline + status, UTM by field code, enums by id', () => {
    const defs: FieldDefinition[] = [
      { id: '1611201', entity: 'deals', name: 'Канал', code: null, kind: 'enum', crmType: 'select', required: false, options: [{ id: '2204117', value: 'Paid search', code: null }] },
    ]
    const w = toWireLead(
      { title: 'X', amount: money('1500', 'RUB'), stageId: '7654321:142', source: { utm: { source: 'vk' } }, customFields: { '1611201': '2204117' } },
      'RUB',
      defs,
    )
    expect(w).toMatchObject({ name: 'X', price: 1500, pipeline_id: 7654321, status_id: 142 })
    expect(w.custom_fields_values).toEqual([
      { field_code: 'UTM_SOURCE', values: [{ value: 'vk' }] },
      { field_id: 1611201, values: [{ enum_id: 2204117 }] },
    ])
    const err = (() => {
      try {
        toWireLead({ title: 'X', amount: money('10.50', 'RUB') }, 'RUB', [])
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).issues[0]!.path).toEqual(['amount'])
    expect(() => encodeCustomFields({ '1611201': 'Paid search' }, defs, 'amocrm')).toThrow(/no option with id "Paid search"/)
    expect(() => toWireLead({ title: 'X', stageId: '142' }, 'RUB', [])).toThrow(ValidationError)
    expect(() => toWireLead({ title: 'X', amount: money('1', 'USD') }, 'RUB', [])).toThrow(/account currency RUB/)
  })
})

describe('amoCRM error classification', () => {
  it('maps validation-errors to per-input issues by request_id', () => {
    const { error, notApplied } = classifyAmoError(response(400, fixture('error-400-validation.json')), { method: 'POST', path: '/x', kind: 'write' })
    expect(notApplied).toBe(true)
    expect(error).toBeInstanceOf(ValidationError)
    const issues = (error as ValidationError).issues
    expect(issues.map((i) => [i.index, i.code, i.path.join('.')])).toEqual([
      [0, 'NotSupportedChoice', 'custom_fields_values.1.values.0.enum_id'],
      [2, 'FieldNotExpected', 'custom_fields_values.0.values.0.enum'],
    ])
  })

  it('tells a JSON 403 (no right to this entity) from the nginx 403 block, and reads 402 as payment required', () => {
    const forbidden = classifyAmoError(
      response(403, { title: 'Forbidden', type: 'https://httpstatus.es/403', status: 403, detail: 'Access denied' }, { 'content-type': 'application/problem+json' }),
      { method: 'GET', path: '/api/v4/leads/1', kind: 'read' },
    )
    expect(forbidden.error).toBeInstanceOf(PermissionError)
    expect(forbidden.error).not.toBeInstanceOf(AccountBlockedError)
    expect(forbidden.error.message).toContain('Access denied')
    const unpaid = classifyAmoError(
      response(402, { title: 'Payment Required', status: 402, detail: 'Account is not paid' }, { 'content-type': 'application/problem+json' }),
      { method: 'GET', path: '/api/v4/leads', kind: 'read' },
    )
    expect(unpaid.error).toBeInstanceOf(AccountBlockedError)
    expect(unpaid.error).toMatchObject({ reason: 'payment-required', code: 'payment_required', retryable: false })
  })

  it('reads the nginx 429 page as a rate limit and the 403 page as an account block', () => {
    const variants = (fixture('error-429-rate-limited.json') as { variants: { status: number; body: string; headers: Record<string, string> }[] }).variants
    const [limited, blocked] = variants.map((v) =>
      classifyAmoError(response(v.status, v.body, { 'content-type': v.headers['Content-Type']! }), { method: 'GET', path: '/x', kind: 'read' }),
    )
    expect(limited!.error).toBeInstanceOf(RateLimitError)
    expect((limited!.error as RateLimitError).retryAfterMs).toBeNull()
    expect(limited!.notApplied).toBe(true)
    expect(blocked!.error).toBeInstanceOf(AccountBlockedError)
    expect(blocked!.error.retryable).toBe(false)
  })
})
