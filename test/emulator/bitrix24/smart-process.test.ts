import { describe, expect, it } from 'vitest'
import { portal } from './helpers.js'

describe('Bitrix24 emulator: smart processes', () => {
  it('crm.type.add checks the entityTypeId range; items of a type get parent links and user fields', async () => {
    const { call } = portal()
    const bad = await call('crm.type.add', { fields: { title: 'X', entityTypeId: 1031 } })
    expect([bad.status, bad.body.error]).toEqual([400, 'INVALID_ARG_VALUE'])
    const campaign = (await call('crm.type.add', { fields: { title: 'Кампании', isBeginCloseDatesEnabled: 'Y', relations: { child: [{ entityTypeId: 2 }] } } })).body.result.type
    expect(campaign.entityTypeId).toBeGreaterThanOrEqual(1030)
    expect(campaign.entityTypeId % 2).toBe(0)
    const field = await call('userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${campaign.id}`, fieldName: `UF_CRM_${campaign.id}_BUDGET`, userTypeId: 'money' } })
    expect(field.body.result.field.fieldName).toBe(`UF_CRM_${campaign.id}_BUDGET`)
    const dup = await call('userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${campaign.id}`, fieldName: `UF_CRM_${campaign.id}_BUDGET`, userTypeId: 'money' } })
    expect(dup.status).toBe(400)
    const item = await call('crm.item.add', { entityTypeId: campaign.entityTypeId, useOriginalUfNames: 'Y', fields: { title: 'Весна', begindate: '2026-03-01', [`UF_CRM_${campaign.id}_BUDGET`]: '250000.50|RUB' } })
    expect(item.body.result.item).toMatchObject({ title: 'Весна', begindate: '2026-03-01T03:00:00+03:00', [`UF_CRM_${campaign.id}_BUDGET`]: '250000.50|RUB' })
    const badMoney = await call('crm.item.add', { entityTypeId: campaign.entityTypeId, useOriginalUfNames: 'Y', fields: { [`UF_CRM_${campaign.id}_BUDGET`]: '250000.50' } })
    expect(badMoney.body.error).toBe('INVALID_ARG_VALUE')
    // Deals now carry a parent link to the campaign type.
    const deal = await call('crm.item.update', { entityTypeId: 2, id: 5001, fields: { [`parentId${campaign.entityTypeId}`]: item.body.result.item.id } })
    expect(deal.body.result.item[`parentId${campaign.entityTypeId}`]).toBe(item.body.result.item.id)
    const missingParent = await call('crm.item.update', { entityTypeId: 2, id: 5001, fields: { [`parentId${campaign.entityTypeId}`]: 999 } })
    expect(missingParent.body.error).toBe('INVALID_ARG_VALUE')
    const types = await call('crm.type.list')
    expect(types.body.result.types.map((t: { title: string }) => t.title)).toEqual(['Кампании'])
  })
})
