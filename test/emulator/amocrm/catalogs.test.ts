import { describe, expect, it } from 'vitest'
import { api, getJson, startEmulator, useMswServer } from './helpers.js'

useMswServer()

describe('lists (catalogs)', () => {
  it('lists the seeded products catalog and its elements', async () => {
    const emu = startEmulator()
    const body = await getJson(emu, '/catalogs')
    expect(body._embedded.catalogs).toHaveLength(1)
    const catalog = body._embedded.catalogs[0]
    expect(catalog).toMatchObject({ name: 'Товары', type: 'products', account_id: emu.db.account.id })
    expect((await getJson(emu, `/catalogs/${catalog.id}`)).name).toBe('Товары')

    const elements = await getJson(emu, `/catalogs/${catalog.id}/elements?limit=3`)
    expect(elements._embedded.elements).toHaveLength(3)
    expect(elements._links.next).toBeDefined()
    expect(elements._embedded.elements[0]).toMatchObject({ catalog_id: catalog.id, is_deleted: false })
    const target = elements._embedded.elements[1]
    const byId = await getJson(emu, `/catalogs/${catalog.id}/elements?filter[id]=${target.id}`)
    expect(byId._embedded.elements.map((e: { id: number }) => e.id)).toEqual([target.id])
    const byQuery = await getJson(emu, `/catalogs/${catalog.id}/elements?query=${encodeURIComponent('SKU-1002')}`)
    expect(byQuery._embedded.elements).toHaveLength(1)
    expect((await api(emu, `/catalogs/${catalog.id}/elements?page=50`)).status).toBe(204)
    expect((await api(emu, '/catalogs/1/elements')).status).toBe(404)
    expect((await getJson(emu, `/catalogs/${catalog.id}/elements/${target.id}`)).name).toBe(target.name)
  })

  it('caps an account at 10 lists (the customer\'s own included)', async () => {
    const emu = startEmulator()
    const nine = Array.from({ length: 9 }, (_, i) => ({ name: `Список ${i}`, request_id: `l${i}` }))
    const ok = await api(emu, '/catalogs', { method: 'POST', json: nine })
    expect(ok.status).toBe(200)
    const created = (await ok.json())._embedded.catalogs
    expect(created.map((c: { request_id: string }) => c.request_id)).toEqual(nine.map((c) => c.request_id))
    expect(created[0]).toMatchObject({ name: 'Список 0', type: 'regular' })
    expect(emu.db.catalogs.size).toBe(10)

    const full = await api(emu, '/catalogs', { method: 'POST', json: [{ name: 'Маркетинговые кампании' }] })
    expect(full.status).toBe(400)
    expect(full.headers.get('content-type')).toBe('application/problem+json')
    expect((await full.json()).status).toBe(400)
    expect(emu.db.catalogs.size).toBe(10)
  })

  it('rejects a batch that would overflow the cap without creating anything', async () => {
    const emu = startEmulator()
    const res = await api(emu, '/catalogs', { method: 'POST', json: Array.from({ length: 10 }, (_, i) => ({ name: `L${i}` })) })
    expect(res.status).toBe(400)
    expect(emu.db.catalogs.size).toBe(1)
  })

  it('answers 402 on a plan without lists', async () => {
    const emu = startEmulator({ plan: { catalogs: false } })
    for (const [method, json] of [['GET', undefined], ['POST', [{ name: 'Маркетинговые кампании' }]]] as const) {
      const res = await api(emu, '/catalogs', { method, json })
      expect(res.status).toBe(402)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      const body = await res.json()
      expect(body).toMatchObject({ status: 402, type: 'https://httpstatus.es/402' })
      expect(body.detail).toContain('Расширенный')
    }
    expect(emu.db.catalogs.size).toBe(0)
    // the rest of the API is unaffected
    expect((await api(emu, '/leads?limit=1')).status).toBe(200)
  })

  it('stores a campaigns list: own custom fields, elements by field_id, PATCH, validation', async () => {
    const emu = startEmulator()
    const created = await api(emu, '/catalogs', { method: 'POST', json: [{ name: 'Маркетинговые кампании' }] })
    const catalogId = (await created.json())._embedded.catalogs[0].id as number
    const fieldsRes = await api(emu, `/catalogs/${catalogId}/custom_fields`, {
      method: 'POST',
      json: [
        { name: 'Бюджет', type: 'numeric' },
        { name: 'UTM-кампания', type: 'text', code: 'UTM_CAMPAIGN_CODE' },
        { name: 'Старт', type: 'date' },
      ],
    })
    expect(fieldsRes.status).toBe(200)
    const [budget, utm, start] = (await fieldsRes.json())._embedded.custom_fields
    expect(budget).toMatchObject({ entity_type: 'catalogs', catalog_id: catalogId })
    expect((await getJson(emu, `/catalogs/${catalogId}/custom_fields`))._total_items).toBe(3)

    const el = await api(emu, `/catalogs/${catalogId}/elements`, {
      method: 'POST',
      json: [{ name: 'Весенняя распродажа', request_id: 'spring', custom_fields_values: [
        { field_id: budget.id, values: [{ value: 250000 }] },
        { field_code: 'UTM_CAMPAIGN_CODE', values: [{ value: 'spring_sale_2026' }] },
        { field_id: start.id, values: [{ value: '2026-03-01' }] },
      ] }],
    })
    expect(el.status).toBe(200)
    const { id, request_id } = (await el.json())._embedded.elements[0]
    expect(request_id).toBe('spring')
    const element = await getJson(emu, `/catalogs/${catalogId}/elements/${id}`)
    expect(element.custom_fields_values).toEqual([
      { field_id: budget.id, field_name: 'Бюджет', field_code: null, field_type: 'numeric', values: [{ value: '250000' }] },
      { field_id: utm.id, field_name: 'UTM-кампания', field_code: 'UTM_CAMPAIGN_CODE', field_type: 'text', values: [{ value: 'spring_sale_2026' }] },
      { field_id: start.id, field_name: 'Старт', field_code: null, field_type: 'date', values: [{ value: Date.parse('2026-03-01') / 1000 }] },
    ])

    const patched = await api(emu, `/catalogs/${catalogId}/elements`, { method: 'PATCH', json: [{ id, name: 'Весна 2026' }] })
    expect(patched.status).toBe(200)
    expect(emu.db.elementsOf(catalogId).get(id)!.name).toBe('Весна 2026')

    const bad = await api(emu, `/catalogs/${catalogId}/elements`, { method: 'POST', json: [{ custom_fields_values: [{ field_id: budget.id, values: [{ value: 'много' }] }] }] })
    expect(bad.status).toBe(400)
    expect((await bad.json())['validation-errors'][0].errors.map((e: { code: string; path: string }) => `${e.code}@${e.path}`))
      .toEqual(['FieldMissing@name', 'InvalidType@custom_fields_values.0.values.0.value'])
    expect(emu.db.elementsOf(catalogId).size).toBe(1)
  })
})
