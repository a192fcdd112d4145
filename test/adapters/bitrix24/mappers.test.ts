import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { money, parseResponse, type FieldDefinition } from '../../../sdk/index.js'
import { toDeal, toLead, toWireDeal, type MapContext } from '../../../adapters/bitrix24/mappers/deal.js'
import { toContact, toWireContact } from '../../../adapters/bitrix24/mappers/contact.js'
import { toPipelines } from '../../../adapters/bitrix24/mappers/pipeline.js'
import { amount, day, linkId, moneyField } from '../../../adapters/bitrix24/mappers/scalars.js'
import { CLICK_ID_FIELDS } from '../../../adapters/bitrix24/mappers/source.js'
import { WireBatch, WireItem, WireStatus } from '../../../adapters/bitrix24/wire.js'
import { z } from 'zod'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/bitrix24/${name}`, import.meta.url), 'utf8')) as unknown

const enumDef: FieldDefinition = {
  id: 'UF_CRM_DELIVERY', entity: 'deals', name: 'Доставка', code: 'UF_CRM_DELIVERY', kind: 'enum', crmType: 'enumeration', required: false,
  options: [{ id: '41', value: 'Курьер', code: null }],
}
const ctx = (include = false): MapContext => ({
  stages: new Map([
    ['NEW', { semantics: 'open', pipelineId: '0' }],
    ['C1:WON', { semantics: 'won', pipelineId: '1' }],
    ['JUNK', { semantics: 'lost', pipelineId: null }],
  ]),
  fields: new Map([[enumDef.id, enumDef], [CLICK_ID_FIELDS.yclid, { ...enumDef, id: CLICK_ID_FIELDS.yclid, code: CLICK_ID_FIELDS.yclid, kind: 'text', crmType: 'string', options: [] }]]),
  clickIds: { ...CLICK_ID_FIELDS },
  include,
})

describe('Bitrix24 mappers: quirks normalised', () => {
  it('reads ids and money as numbers or strings, 0 as "no link", dates with offsets', () => {
    const raw = {
      id: '5120', title: 'Deal', categoryId: '1', stageId: 'C1:WON', stageSemanticId: 'S', closed: 'Y', opportunity: '48000.10', currencyId: 'RUB',
      assignedById: '6', createdTime: '2026-03-02T14:17:00+03:00', updatedTime: '2026-03-05T10:02:41+03:00', closedate: '2026-03-05T10:02:41+03:00',
      contactId: 0, contactIds: ['2204', 2205], companyId: '0', leadId: '1003', sourceId: 'ADVERTISING', utmSource: 'yandex', utmCampaign: 'brand',
      utmMedium: '', fm: [], UF_CRM_DELIVERY: 41, UF_CRM_CRMKIT_YCLID: '777',
    }
    const d = toDeal(parseResponse(WireItem, raw, 'bitrix24', 't'), raw, ctx(true))
    expect(d).toMatchObject({ id: '5120', pipelineId: '1', outcome: 'won', ownerId: '6', companyId: null, leadId: '1003', contactId: '2204', contactIds: ['2204', '2205'] })
    expect(d.amount).toEqual(money('48000.10', 'RUB'))
    expect(d.createdAt.toISOString()).toBe('2026-03-02T11:17:00.000Z')
    expect(d.closedAt!.toISOString()).toBe('2026-03-05T07:02:41.000Z')
    expect(d.source).toMatchObject({ channel: 'ADVERTISING', source: 'yandex', campaign: 'brand', utm: { medium: null }, clickIds: { yclid: '777' } })
    expect(d.customFields.UF_CRM_DELIVERY).toMatchObject({ kind: 'enum', value: { id: '41', value: 'Курьер' } })
    expect(d.raw).toBe(raw)
  })

  it('decides outcome and lead status by stage semantics, not by code or name', () => {
    const item = parseResponse(WireItem, { id: 1, stageId: 'JUNK', createdTime: '2026-01-01T00:00:00+03:00' }, 'bitrix24', 't')
    expect(toLead(item, null, ctx()).status).toBe('junk')
    // A stage the dictionary does not know falls back to the item's own semantic id.
    const unknown = parseResponse(WireItem, { id: 2, stageId: 'C9:UC_KN8KFI', stageSemanticId: 'F', createdTime: '2026-01-01T00:00:00+03:00' }, 'bitrix24', 't')
    expect(toDeal(unknown, null, ctx()).outcome).toBe('lost')
  })

  it('builds pipelines from crm.category.list + crm.status.list flags (SEMANTICS / EXTRA)', () => {
    const statuses = [
      { ID: '1', ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'NEW', NAME: 'Новая', SORT: '10', SEMANTICS: null },
      { ID: '2', ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'WON', NAME: 'Lost?! (renamed)', SORT: '20', SEMANTICS: 'S' },
      { ID: '3', ENTITY_ID: 'DEAL_STAGE_1', STATUS_ID: 'C1:APOLOGY', NAME: 'Анализ', SORT: '30', EXTRA: { SEMANTICS: 'apology' } },
      { ID: '4', ENTITY_ID: 'DEAL_STAGE_1', STATUS_ID: 'C1:NEW', NAME: 'Новая', SORT: 5, EXTRA: [] },
    ].map((s) => parseResponse(WireStatus, s, 'bitrix24', 't'))
    const [main, second] = toPipelines([{ id: 1, name: 'B', sort: 200 }, { id: 0, name: 'A', sort: '100', isDefault: 'Y' }], statuses)
    expect(main).toMatchObject({ id: '0', isDefault: true, stages: [{ id: 'NEW', semantics: 'open' }, { id: 'WON', semantics: 'won' }] })
    expect(second!.stages.map((s) => [s.id, s.semantics])).toEqual([['C1:NEW', 'open'], ['C1:APOLOGY', 'lost']])
  })

  it('reads the documented fixtures: the lead list page and the batch envelope with [] maps', () => {
    const page = fixture('crm.lead.list.page.json') as { result: unknown[] }
    expect(page.result).toHaveLength(50)
    const batch = parseResponse(WireBatch, fixture('batch.response.json'), 'bitrix24', 'batch')
    expect(batch.result.result_next).toEqual({})
    expect(batch.result.result_error.missing).toEqual({ error: '', error_description: 'Not found' })
    const sources = parseResponse(z.object({ result: z.array(WireStatus) }), fixture('crm.status.list.source.json'), 'bitrix24', 'status')
    expect(sources.result.some((s) => s.STATUS_ID.startsWith('UC_'))).toBe(true)
  })

  it('rejects what would break mapping: a non-numeric amount, an unparseable date', () => {
    expect(() => parseResponse(WireItem, { id: 1, opportunity: 'lots' }, 'bitrix24', 't')).toThrow(/opportunity/)
    expect(() => parseResponse(WireItem, { id: 1, createdTime: 'yesterday' }, 'bitrix24', 't')).toThrow(/createdTime/)
  })

  it('scalar helpers: links, exact money, money fields, calendar days', () => {
    expect([linkId(0), linkId('0'), linkId(''), linkId(null), linkId(7)]).toEqual([null, null, null, null, '7'])
    expect(amount(0.1 + 0.2 === 0.3 ? 1 : 150000.5, 'RUB')).toEqual({ minor: 15_000_050, currency: 'RUB' })
    expect(amount('', 'RUB')).toBeNull()
    expect(moneyField('250000.50|RUB')).toEqual(money('250000.50', 'RUB'))
    expect(moneyField('250000.50')).toBeNull()
    expect(day('2026-03-01T03:00:00+03:00')!.toISOString()).toBe('2026-03-01T00:00:00.000Z')
  })
})

describe('Bitrix24 mappers: writes', () => {
  it('encodes a deal: decimal money, category from the stage, UTM and click-id fields', () => {
    const f = toWireDeal(
      { title: 'X', amount: money('150000.5', 'RUB'), stageId: 'C1:WON', contactIds: ['5'], source: { channel: 'WEB', utm: { source: 'yandex' }, clickIds: { yclid: '9' } } },
      ctx(),
      'deal',
    )
    expect(f).toMatchObject({ title: 'X', opportunity: '150000.50', currencyId: 'RUB', stageId: 'C1:WON', categoryId: 1, contactIds: [5], sourceId: 'WEB', utmSource: 'yandex', UF_CRM_CRMKIT_YCLID: '9' })
  })

  it('names the field when a stage, an enum option or a click-id field is unknown', () => {
    const path = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return (e as { issues: { path: unknown[] }[] }).issues[0]!.path
      }
      return null
    }
    expect(path(() => toWireDeal({ stageId: 'NOPE' }, ctx(), 'deal'))).toEqual(['stageId'])
    expect(path(() => toWireDeal({ customFields: { UF_CRM_DELIVERY: '99' } }, ctx(), 'deal'))).toEqual(['customFields', 'UF_CRM_DELIVERY'])
    expect(path(() => toWireDeal({ source: { clickIds: { gclid: 'g' } } }, ctx(), 'deal'))).toEqual(['source', 'clickIds', 'gclid'])
    expect(path(() => toWireDeal({ lossReasonId: '3' }, ctx(), 'deal'))).toEqual(['lossReasonId'])
  })

  it('contacts: name split into first/last, phones and e-mails as fm multi-fields', () => {
    const f = toWireContact({ name: 'Ирина  Петровна Тестова', phones: ['+7 900'], emails: ['a@b.c'] }, new Map())
    expect(f).toEqual({ name: 'Ирина', lastName: 'Петровна Тестова', fm: [{ typeId: 'PHONE', valueType: 'WORK', value: '+7 900' }, { typeId: 'EMAIL', valueType: 'WORK', value: 'a@b.c' }] })
    const c = toContact(parseResponse(WireItem, { id: 3, name: 'Анна', lastName: 'Петрова', createdTime: '2026-01-01T00:00:00+03:00', fm: [{ typeId: 'PHONE', value: '+7 1' }, { typeId: 'EMAIL', value: 'x@y.z' }], companyId: 0 }, 'bitrix24', 't'), null, new Map(), false)
    expect(c).toMatchObject({ name: 'Анна Петрова', phones: ['+7 1'], emails: ['x@y.z'], companyId: null })
  })
})
