import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { money } from '../../../sdk/index.js'
import { toDeal, toLead, toWireContact, toWireDeal, type MapCtx, type WireCtx } from '../../../adapters/creatio/mappers/records.js'
import { fromEvent, fromMktgActivity, statusOf, toWireEvent, toWireMktgActivity } from '../../../adapters/creatio/mappers/campaign.js'
import { WireLead, WireOpportunity, collection } from '../../../adapters/creatio/wire.js'
import { parseResponse, ValidationError, UnsupportedError } from '../../../sdk/index.js'
import { fieldColumns, parseMetadata } from '../../../adapters/creatio/metadata.js'
import { fieldDefinitions } from '../../../adapters/creatio/mappers/common.js'
import { buildSchema, metadataXml } from '../../../adapters/creatio/testing/index.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/creatio/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>

const names = new Map<string, string>([
  ['b0c1e9e5-0946-4d84-847f-5e67116e76c5', 'Yandex'],
  ['91398028-eb97-4cef-9e80-03110239ee9c', 'Paid search'],
  ['27280544-1962-407d-bc34-afb305877f53', 'Весенняя распродажа'],
])
const ctx: MapCtx = {
  currency: 'RUB',
  names: (_e, id) => (id ? (names.get(id) ?? null) : null),
  options: () => [],
  stages: new Map([['da6965ca-89b8-4475-9761-6bbd23960992', { Id: 'da6965ca-89b8-4475-9761-6bbd23960992', Name: 'Qualification', End: false, Successful: false }]]),
  qualify: new Map([['282bf8e3-9e2a-4bc1-aa5f-e6347113d027', { Id: '282bf8e3-9e2a-4bc1-aa5f-e6347113d027', Name: 'Qualified', IsFinal: true, Successful: true }]]),
  tracking: { utmSource: 'UtmSourceStr', landing: 'BpmHref', referrer: 'BpmRef' },
  custom: [],
}

describe('Creatio mappers', () => {
  it('maps the documented lead page, normalising zero GUIDs, empty strings and lookups', () => {
    const page = parseResponse(collection(WireLead), fixture('odata-lead-page.json'), 'creatio', 'GET Lead')
    expect(page['@odata.count']).toBe(1342)
    const [anna, john] = page.value.map((r) => toLead(r as Record<string, unknown>, ctx))
    expect(anna!.title).toBe('CRM implementation / Anna Petrova, Northwind LLC')
    expect(anna!.status).toBe('converted')
    expect(anna!.contactId).toBe('fd1b0b07-f202-4dc5-8fe3-68c57c932ef9')
    expect(anna!.amount).toEqual(money('15000', 'RUB'))
    expect(anna!.source.source).toBe('Yandex')
    expect(anna!.source.channel).toBe('Paid search')
    expect(anna!.source.campaign).toBe('Весенняя распродажа')
    expect(anna!.dealId).toBeNull()
    expect(anna!.ownerId).toBe('173a3823-c7d6-4dbf-bcd3-1c6e1a3acdc9')
    expect(anna!.createdAt.toISOString()).toBe('2026-03-02T09:14:27.153Z')
    expect(john!.contactId).toBeNull()
    expect(john!.companyId).toBeNull()
    expect(john!.source.source).toBeNull()
    expect(john!.source.utm.source).toBeNull()
    expect(john!.status).toBe('open')
  })

  it('reads UTM marks and click ids from the landing URL when there are no columns', () => {
    const lead = toLead(
      {
        Id: '8141b62d-0f3f-41c0-b173-c29d424dbd16',
        CreatedOn: '2026-03-02T09:14:27Z',
        ModifiedOn: '2026-03-02T09:14:27Z',
        LeadName: 'x',
        UtmSourceStr: '',
        BpmHref: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=abc123',
        BpmRef: 'https://www.google.com/',
      },
      ctx,
    )
    expect(lead.source.utm).toMatchObject({ source: 'google', medium: 'cpc', campaign: 'spring' })
    expect(lead.source.clickIds.gclid).toBe('abc123')
    expect(lead.source.referrer).toBe('https://www.google.com/')
  })

  it('maps the created opportunity: decimals, empty dates, open stage', () => {
    const row = parseResponse(WireOpportunity, fixture('odata-opportunity-created-201.json'), 'creatio', 'POST Opportunity')
    const deal = toDeal(row as Record<string, unknown>, ctx)
    expect(deal.amount).toEqual(money('48000', 'RUB'))
    expect(deal.outcome).toBe('open')
    expect(deal.closedAt).toBeNull()
    expect(deal.lossReason).toBeNull()
    expect(deal.contactIds).toEqual(['fd1b0b07-f202-4dc5-8fe3-68c57c932ef9'])
    expect(deal.createdAt.toISOString()).toBe('2026-03-05T10:22:41.813Z')
    // Decimals may come as strings (IEEE754Compatible=true).
    expect(toDeal({ ...row, Amount: '1234.50' } as Record<string, unknown>, ctx).amount).toEqual(money('1234.50', 'RUB'))
  })

  it('keeps Probability, DueDate and LeadType of an opportunity as custom fields, and writes them back', () => {
    const cols = fieldColumns(parseMetadata(metadataXml(buildSchema())).get('Opportunity'))
    const needs = [{ id: '3f0b6c55-5b0c-4a8a-9a5e-1d2f4c6b8a01', name: 'CRM implementation' }]
    const row = parseResponse(WireOpportunity, fixture('odata-opportunity-created-201.json'), 'creatio', 'POST Opportunity') as Record<string, unknown>
    const deal = toDeal({ ...row, Probability: 40, DueDate: '2026-04-30T00:00:00Z', LeadTypeId: needs[0]!.id.toUpperCase() }, {
      ...ctx,
      names: (e, id) => (e === 'LeadType' && id === needs[0]!.id ? needs[0]!.name : null),
      custom: cols,
    })
    expect(deal.customFields['Probability']).toEqual({ fieldId: 'Probability', code: 'Probability', name: 'Probability, %', crmType: 'Edm.Int32', kind: 'number', value: 40 })
    expect(deal.customFields['DueDate']).toMatchObject({ kind: 'datetime', name: 'Expected close date', value: new Date('2026-04-30T00:00:00Z') })
    expect(deal.customFields['LeadTypeId']).toMatchObject({ kind: 'enum', name: 'Customer need', crmType: 'lookup:LeadType', value: { id: needs[0]!.id, value: 'CRM implementation', code: null } })
    // Empty values (zero GUID, 0001-01-01) stay out, as for any custom field; 0 % is a value.
    const empty = toDeal({ ...row, Probability: 0, DueDate: '0001-01-01T00:00:00Z', LeadTypeId: '00000000-0000-0000-0000-000000000000' }, { ...ctx, custom: cols })
    expect(Object.keys(empty.customFields)).toEqual(['Probability'])
    const defs = fieldDefinitions('deals', cols, (e) => (e === 'LeadType' ? needs : []))
    expect(defs.map((d) => [d.id, d.kind, d.name])).toEqual([
      ['UsrDealTypeId', 'enum', 'DealType'],
      ['Probability', 'number', 'Probability, %'],
      ['DueDate', 'datetime', 'Expected close date'],
      ['LeadTypeId', 'enum', 'Customer need'],
    ])
    expect(defs.find((d) => d.id === 'LeadTypeId')!.options).toEqual([{ id: needs[0]!.id, value: 'CRM implementation', code: null }])
    const w: WireCtx = { currency: 'RUB', idByName: () => null, options: (e) => (e === 'LeadType' ? needs : []), tracking: {}, custom: cols }
    expect(toWireDeal({ title: 'X', customFields: { Probability: 70, DueDate: new Date('2026-06-01T00:00:00Z'), LeadType: needs[0]!.id } }, w)).toEqual({
      Title: 'X',
      Probability: 70,
      DueDate: '2026-06-01T00:00:00.000Z',
      LeadTypeId: needs[0]!.id,
    })
    expect(() => toWireDeal({ title: 'X', customFields: { Probability: 12.5 } }, w)).toThrow(/whole number/)
  })

  it('writes deals with lookups as GUID columns and refuses what Creatio cannot hold', () => {
    const w: WireCtx = { currency: 'RUB', idByName: (e, n) => (e === 'LeadMedium' && n === 'Paid search' ? '91398028-eb97-4cef-9e80-03110239ee9c' : null), options: () => [], tracking: { utmSource: 'UsrUtmSource' }, custom: [] }
    const body = toWireDeal({ title: 'X', amount: money('10.50', 'RUB'), stageId: 'DA6965CA-89B8-4475-9761-6BBD23960992', source: { channel: 'Paid search', utm: { source: 'yandex' } } }, w)
    expect(body).toEqual({ Title: 'X', Amount: 10.5, StageId: 'da6965ca-89b8-4475-9761-6bbd23960992', LeadChannelId: '91398028-eb97-4cef-9e80-03110239ee9c', UsrUtmSource: 'yandex' })
    expect(() => toWireDeal({ title: 'X', amount: money('1', 'USD') }, w)).toThrow(ValidationError)
    expect(() => toWireDeal({ title: 'X', contactIds: ['a', 'b'] }, w)).toThrow(/one main contact/)
    expect(() => toWireDeal({ title: 'X', source: { utm: { term: 'x' } } }, w)).toThrow(/no utmTerm column/)
    expect(() => toWireDeal({ title: 'X', stageId: '42' }, w)).toThrow(/GUID/)
    expect(toWireContact({ name: 'A', phones: ['1', '2'], emails: ['a@b.c'] }, w)).toEqual({ Name: 'A', MobilePhone: '1', Phone: '2', HomePhone: '', Email: 'a@b.c' })
  })

  it('maps marketing activities and event costs onto campaigns and spend', () => {
    const cctx = { currency: 'RUB', names: () => 'In progress', idByName: () => null, statuses: [{ id: 's1', name: 'Planned' }, { id: 's2', name: 'In progress' }], custom: [], utmColumn: 'UsrUtmCampaign', approvalLogColumn: null }
    const c = fromMktgActivity({ Id: 'A1B2C3D4-0000-4000-8000-000000000001', CreatedOn: '2026-01-01T00:00:00Z', ModifiedOn: '2026-01-01T00:00:00Z', Name: 'Q1', StartDate: '2026-01-01T00:00:00Z', DueDate: '2026-03-31T00:00:00Z', PlannedBudget: 250000.5, Approval: true, UsrUtmCampaign: 'q1' }, cctx)
    expect(c).toMatchObject({ name: 'Q1', status: 'active', approval: 'approved', utmCampaign: 'q1', plannedBudget: money('250000.50', 'RUB') })
    expect(toWireMktgActivity({ status: 'planned', approval: 'draft' }, cctx)).toEqual({ StatusId: 's1', Approval: false })
    expect(() => toWireMktgActivity({ approval: 'submitted' }, cctx)).toThrow(UnsupportedError)
    expect(statusOf('Отменена')).toBe('cancelled')
    const e = fromEvent({ Id: 'A1B2C3D4-0000-4000-8000-000000000002', CreatedOn: '2026-01-01T00:00:00Z', ModifiedOn: '2026-01-01T00:00:00Z', Name: 's', StartDate: '2026-03-02T00:00:00Z', PrimaryActualCost: 0, PrimaryBudgetedCost: '2000.20', Goal: 'invoice', CampaignId: 'A1B2C3D4-0000-4000-8000-000000000001' }, { currency: 'RUB', link: 'CampaignId', custom: [], names: () => null })
    expect(e).toMatchObject({ kind: 'committed', amount: money('2000.20', 'RUB'), note: 'invoice', campaignId: 'a1b2c3d4-0000-4000-8000-000000000001' })
    expect(toWireEvent({ campaignId: 'A1B2C3D4-0000-4000-8000-000000000001', date: new Date('2026-03-02T15:00:00Z'), amount: money('5', 'RUB'), kind: 'actual' }, { currency: 'RUB', link: 'CampaignId' })).toMatchObject({
      CampaignId: 'a1b2c3d4-0000-4000-8000-000000000001',
      StartDate: '2026-03-02T00:00:00.000Z',
      PrimaryActualCost: 5,
      PrimaryBudgetedCost: 0,
    })
  })
})
