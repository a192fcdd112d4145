import { describe, expect, it } from 'vitest'
import { ENTITY } from '../../../adapters/bitrix24/testing/index.js'
import { portal } from './helpers.js'

describe('Bitrix24 emulator: lists and filters', () => {
  it('pages 50 rows with total/next and a time object including operating', async () => {
    const { call } = portal({ operating: { limitSec: 480, windowSec: 600 } })
    const first = await call('crm.item.list', { entityTypeId: 2 })
    expect(first.body.result.items).toHaveLength(50)
    expect(first.body.total).toBe(120)
    expect(first.body.next).toBe(50)
    expect(first.body.time.operating).toBeGreaterThan(0)
    expect(first.body.time.operating_reset_at).toBeTypeOf('number')
    expect(first.body.time.date_start).toMatch(/\+03:00$/)
    const last = await call('crm.item.list', { entityTypeId: 2, start: 100 })
    expect(last.body.result.items).toHaveLength(20)
    expect(last.body.next).toBeUndefined()
  })

  it('start=-1 skips the count: total 0, no next', async () => {
    const { call } = portal()
    const r = await call('crm.item.list', { entityTypeId: 2, start: -1, order: { id: 'ASC' }, filter: { '>id': 5050 } })
    expect(r.body.total).toBe(0)
    expect(r.body.next).toBeUndefined()
    expect(r.body.result.items[0].id).toBe(5051)
  })

  it('applies the filter operators >, >=, =, %, @ and !', async () => {
    const { call, emulator } = portal()
    const all = [...emulator.db.table(ENTITY.deal).values()]
    const ids = async (filter: Record<string, unknown>) => {
      const out: number[] = []
      for (let start = 0; ; start += 50) {
        const r = await call('crm.item.list', { entityTypeId: 2, filter, start, select: ['id'] })
        out.push(...r.body.result.items.map((i: { id: number }) => i.id))
        if (r.body.next === undefined) return out
      }
    }
    const mid = all[60]!
    expect(await ids({ '>id': mid.id })).toEqual(all.filter((d) => d.id > mid.id).map((d) => d.id))
    expect((await ids({ '>=updatedTime': mid.updatedTime })).length).toBe(all.filter((d) => Date.parse(String(d.updatedTime)) >= Date.parse(String(mid.updatedTime))).length)
    expect(await ids({ '=stageId': 'WON' })).toEqual(all.filter((d) => d.stageId === 'WON').map((d) => d.id))
    expect(await ids({ '@id': [all[1]!.id, all[2]!.id] })).toEqual([all[1]!.id, all[2]!.id])
    expect(await ids({ '%title': 'сделка 7' })).toContain(all[6]!.id)
    expect(await ids({ '!stageId': 'WON' })).toEqual(all.filter((d) => d.stageId !== 'WON').map((d) => d.id))
  })

  it('rejects unknown filter fields with INVALID_ARG_VALUE and unknown items with NOT_FOUND', async () => {
    const { call } = portal()
    const bad = await call('crm.item.list', { entityTypeId: 2, filter: { '>nonsense': 1 } })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toBe('INVALID_ARG_VALUE')
    const missing = await call('crm.item.get', { entityTypeId: 2, id: 1 })
    expect(missing.body.error).toBe('NOT_FOUND')
  })

  it('answers the deprecated crm.deal.list in the legacy shape (strings, UPPER_SNAKE)', async () => {
    const { call } = portal()
    const r = await call('crm.deal.list', { order: { ID: 'ASC' }, filter: { '>ID': 0 }, select: ['ID', 'TITLE', 'OPPORTUNITY', 'STAGE_ID'], start: -1 })
    const d = r.body.result[0]
    expect(d.ID).toBe('5001')
    expect(d.OPPORTUNITY).toMatch(/^\d+\.\d{2}$/)
    expect(Object.keys(d).sort()).toEqual(['ID', 'OPPORTUNITY', 'STAGE_ID', 'TITLE'])
    const leads = await call('crm.lead.list', { select: ['ID', 'STATUS_ID'] })
    expect(leads.body.total).toBe(40)
    expect(leads.body.result[0].STATUS_ID).toBeTypeOf('string')
  })

  it('answers the deprecated crm.lead.list: STATUS_ID, strings, filters, offset paging and start=-1', async () => {
    const { call, emulator } = portal()
    const leads = [...emulator.db.table(ENTITY.lead).values()]
    const converted = leads.filter((l) => l.stageId === 'CONVERTED')
    expect(converted.length).toBeGreaterThan(0)
    const r = await call('crm.lead.list', { filter: { STATUS_ID: 'CONVERTED' }, order: { ID: 'DESC' }, select: ['ID', 'TITLE', 'STATUS_ID', 'OPPORTUNITY', 'DATE_CREATE', 'UTM_SOURCE'] })
    expect(r.status).toBe(200)
    expect(r.body.total).toBe(converted.length)
    const rows = r.body.result as Record<string, unknown>[]
    expect(rows.map((x) => x.ID)).toEqual(converted.map((l) => String(l.id)).reverse())
    const first = rows[0]!
    expect(Object.keys(first).sort()).toEqual(['DATE_CREATE', 'ID', 'OPPORTUNITY', 'STATUS_ID', 'TITLE', 'UTM_SOURCE'])
    expect(first.STATUS_ID).toBe('CONVERTED')
    expect(first.OPPORTUNITY).toMatch(/^\d+\.\d{2}$/)
    expect(first.DATE_CREATE).toMatch(/\+03:00$/)
    // Offset paging: 40 leads → 50 per page, no next on the last; start=-1 skips the count.
    const all = await call('crm.lead.list', { select: ['ID'], start: 0 })
    expect([all.body.total, all.body.next, all.body.result.length]).toEqual([40, undefined, 40])
    const fast = await call('crm.lead.list', { order: { ID: 'ASC' }, filter: { '>ID': leads[9]!.id }, select: ['ID'], start: -1 })
    expect(fast.body.total).toBe(0)
    expect(fast.body.next).toBeUndefined()
    expect(fast.body.result[0].ID).toBe(String(leads[10]!.id))
    const one = await call('crm.lead.get', { id: leads[0]!.id })
    expect(one.body.result).toMatchObject({ ID: String(leads[0]!.id), STATUS_ID: leads[0]!.stageId })
    expect(one.body.result.STAGE_ID).toBeUndefined()
    const missing = await call('crm.lead.get', { id: 1 })
    expect([missing.status, missing.body.error]).toEqual([400, ''])
  })

  it('keeps the camelCase UF names unless useOriginalUfNames=Y', async () => {
    const { call } = portal()
    const camel = await call('crm.item.get', { entityTypeId: 2, id: 5001 })
    const original = await call('crm.item.get', { entityTypeId: 2, id: 5001, useOriginalUfNames: 'Y' })
    expect(Object.keys(camel.body.result.item)).toContain('ufCrmDelivery')
    expect(Object.keys(original.body.result.item)).toContain('UF_CRM_DELIVERY')
  })
})
