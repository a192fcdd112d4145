import { afterEach, describe, expect, it } from 'vitest'
import { ValidationError, createCrm } from '../../../sdk/index.js'
import { CLICK_ID_FIELDS, bitrix24 } from '../../../adapters/bitrix24/index.js'
import { ENTITY } from '../../../adapters/bitrix24/testing/index.js'
import { setupBitrix24Emulator } from '../../../adapters/bitrix24/testing/node.js'

const open: (() => void)[] = []
afterEach(() => {
  while (open.length) open.pop()!()
})
function start() {
  // A portal crmkit has never set up: no UF_CRM_CRMKIT_* fields.
  const s = setupBitrix24Emulator({ seed: 2, size: { deals: 30, leads: 20, contacts: 10, companies: 2 }, rateLimit: false, clickIdFields: false }, { onUnhandledRequest: 'error' })
  open.push(s.close)
  const crm = createCrm(bitrix24({ auth: { kind: 'webhook', url: s.emulator.webhookUrl } }), { rateLimit: { requestsPerSecond: 50, maxConcurrent: 2 } })
  open.push(() => void crm.close())
  return { ...s, crm }
}
const labels = (entity: string) => Object.values(CLICK_ID_FIELDS).map((f) => `${entity}.${f}`)

describe('Bitrix24 setup(): click-id and referrer fields', () => {
  it('creates them on leads and deals, reports them as existing the second time, and click ids can be written after', async () => {
    const { crm, emulator } = start()
    expect(emulator.db.userFields.some((f) => f.fieldName.startsWith('UF_CRM_CRMKIT_'))).toBe(false)
    const before = await crm.deals.create({ title: 'x', source: { clickIds: { gclid: 'abc' } } }).catch((e: unknown) => e)
    expect(before).toBeInstanceOf(ValidationError)
    expect((before as Error).message).toContain('UF_CRM_CRMKIT_GCLID')

    const first = await crm.setup()
    expect(first.created).toEqual(expect.arrayContaining([...labels('leads'), ...labels('deals')]))
    expect(first.existing.filter((x) => x.includes('CRMKIT_') && !x.startsWith('UF_CRM_'))).toEqual([])
    for (const entityId of ['CRM_LEAD', 'CRM_DEAL']) {
      const made = emulator.db.userFields.filter((f) => f.entityId === entityId && f.fieldName.startsWith('UF_CRM_CRMKIT_'))
      expect(made.map((f) => [f.fieldName, f.userTypeId]).sort()).toEqual([
        ['UF_CRM_CRMKIT_FBCLID', 'string'],
        ['UF_CRM_CRMKIT_GCLID', 'string'],
        ['UF_CRM_CRMKIT_REFERRER', 'url'],
        ['UF_CRM_CRMKIT_YCLID', 'string'],
      ])
    }
    const adds = emulator.log.filter((r) => r.restMethod === 'batch' && r.commands === 8)
    expect(adds).toHaveLength(1)

    const second = await crm.setup()
    expect(second.created).toEqual([])
    expect(second.existing).toEqual(expect.arrayContaining([...labels('leads'), ...labels('deals')]))

    const deal = await crm.deals.create({ title: 'With click ids', source: { clickIds: { gclid: 'Cj0KCQ', yclid: '123' }, referrer: 'https://ya.ru/' } })
    expect(deal.source.clickIds).toEqual({ gclid: 'Cj0KCQ', yclid: '123', fbclid: null })
    expect(deal.source.referrer).toBe('https://ya.ru/')
    expect(emulator.db.table(ENTITY.deal).get(Number(deal.id))!.UF_CRM_CRMKIT_GCLID).toBe('Cj0KCQ')
    const lead = await crm.leads.create({ title: 'Lead', source: { clickIds: { fbclid: 'fb.1' } } })
    expect((await crm.leads.get(lead.id)).source.clickIds.fbclid).toBe('fb.1')
  })

  it('tolerates ERROR_FIELD_EXISTS when another run created a field since the fields were read', async () => {
    const { crm, emulator } = start()
    await crm.fields.list('deals') // this client's dictionary: no crmkit fields yet
    const res = await fetch(`${emulator.webhookUrl}crm.deal.userfield.add`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { FIELD_NAME: 'CRMKIT_YCLID', USER_TYPE_ID: 'string' } }),
    })
    expect(res.status).toBe(200)
    const report = await crm.setup()
    expect(report.existing).toContain('deals.UF_CRM_CRMKIT_YCLID')
    expect(report.created).not.toContain('deals.UF_CRM_CRMKIT_YCLID')
    expect(report.created).toContain('deals.UF_CRM_CRMKIT_GCLID')
    expect(emulator.db.userFields.filter((f) => f.entityId === 'CRM_DEAL' && f.fieldName === 'UF_CRM_CRMKIT_YCLID')).toHaveLength(1)
    const deal = await crm.deals.create({ title: 'y', source: { clickIds: { yclid: '42' } } })
    expect(deal.source.clickIds.yclid).toBe('42')
  })
})
