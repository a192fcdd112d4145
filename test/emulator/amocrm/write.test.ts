import { describe, expect, it } from 'vitest'
import type { AmoCrmEmulator } from '../../../adapters/amocrm/testing/index.js'
import { api, getJson, manualClock, startEmulator, useMswServer } from './helpers.js'

useMswServer()

const field = (emu: AmoCrmEmulator, scope: 'leads' | 'contacts', name: string) =>
  emu.db.fieldsOf(scope).rows.find((f) => f.code === name || f.name === name)!

async function validationErrors(res: Response) {
  expect(res.status).toBe(400)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  return (await res.json())['validation-errors'] as { request_id: string; errors: { code: string; path: string; detail: string }[] }[]
}

describe('batch create', () => {
  it('creates leads from a JSON array and echoes request_id (index by default)', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now })
    const contact = emu.db.contacts.rows[5]!
    const company = emu.db.companies.rows[3]!
    const channel = field(emu, 'leads', 'Канал')
    const res = await api(emu, '/leads', {
      method: 'POST',
      json: [
        {
          name: 'Вебинар: заявка', price: 150000, request_id: 'ext-1',
          custom_fields_values: [
            { field_code: 'UTM_SOURCE', values: [{ value: 'yandex' }] },
            { field_code: 'utm_campaign', values: [{ value: 'spring_sale_2026' }] },
            { field_id: channel.id, values: [{ enum_id: channel.enums![0]!.id }] },
          ],
          _embedded: { contacts: [{ id: contact.id }], companies: [{ id: company.id }], tags: [{ name: 'Вебинар' }, { name: 'Новый тег' }] },
        },
        { price: 0 },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/hal+json')
    const body = await res.json()
    const [first, second] = body._embedded.leads
    expect(first.request_id).toBe('ext-1')
    expect(second.request_id).toBe('1')
    expect(first._links.self.href).toBe(`${emu.baseUrl}/api/v4/leads/${first.id}`)
    expect(second.id).toBe(first.id + 1)

    const lead = await getJson(emu, `/leads/${first.id}?with=contacts`)
    expect(lead).not.toHaveProperty('request_id')
    expect(lead).toMatchObject({ name: 'Вебинар: заявка', price: 150000, pipeline_id: emu.db.mainPipeline().id, closed_at: null, created_at: Math.floor(clock.now() / 1000) })
    // API-created leads skip "unsorted" and land in the first working status
    expect(lead.status_id).toBe(emu.db.mainPipeline()._embedded.statuses[1]!.id)
    const cf = Object.fromEntries(lead.custom_fields_values.map((f: { field_code: string | null; field_name: string; values: { value: unknown }[] }) => [f.field_code ?? f.field_name, f.values[0]]))
    expect(cf).toMatchObject({ UTM_SOURCE: { value: 'yandex' }, UTM_CAMPAIGN: { value: 'spring_sale_2026' }, 'Канал': { value: channel.enums![0]!.value, enum_id: channel.enums![0]!.id } })
    expect(lead._embedded.contacts).toMatchObject([{ id: contact.id, is_main: true }])
    expect(lead._embedded.companies[0].id).toBe(company.id)
    expect(lead._embedded.tags.map((t: { name: string }) => t.name)).toEqual(['Вебинар', 'Новый тег'])
    // amoCRM's default name for an unnamed deal
    expect((await getJson(emu, `/leads/${second.id}`)).name).toBe(`Сделка #${second.id}`)
  })

  it('creates contacts with phones (enum_code) and companies', async () => {
    const emu = startEmulator()
    const res = await api(emu, '/contacts', {
      method: 'POST',
      json: [{ first_name: 'Пётр', last_name: 'Сидоров', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+7 900 000-00-01', enum_code: 'MOB' }, { value: '+7 495 000-00-02' }] }] }],
    })
    expect(res.status).toBe(200)
    const id = (await res.json())._embedded.contacts[0].id
    const contact = await getJson(emu, `/contacts/${id}`)
    expect(contact.name).toBe('Пётр Сидоров')
    expect(contact.custom_fields_values[0].values.map((v: { enum_code: string }) => v.enum_code)).toEqual(['MOB', 'WORK'])
    const company = await api(emu, '/companies', { method: 'POST', json: [{ name: 'ООО «Новая»', request_id: 'c1' }] })
    expect((await company.json())._embedded.companies[0].request_id).toBe('c1')
    expect(emu.db.companies.rows.at(-1)!.name).toBe('ООО «Новая»')
  })

  it('rejects the whole batch when one item is bad, in the documented shape, applying nothing', async () => {
    const emu = startEmulator()
    const channel = field(emu, 'leads', 'Канал')
    const before = JSON.stringify(emu.db.toJSON())
    const res = await api(emu, '/leads', {
      method: 'POST',
      json: [
        { name: 'fine' },
        { name: 'ok', custom_fields_values: [{ field_code: 'UTM_SOURCE', values: [{ value: 'x' }] }, { field_id: channel.id, values: [{ enum_id: 1 }] }] },
        { name: 'legacy', custom_fields_values: [{ field_id: channel.id, values: [{ value: 'SEO', enum: 5 }] }] },
      ],
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      'validation-errors': [
        { request_id: '1', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.1.values.0.enum_id', detail: 'The value you selected is not a valid choice.' }] },
        {
          request_id: '2',
          errors: [
            { code: 'FieldNotExpected', path: 'custom_fields_values.0.values.0.enum', detail: 'This field was not expected.' },
            { code: 'NotSupportedChoice', path: 'custom_fields_values.0.values.0.value', detail: 'The value you selected is not a valid choice.' },
          ],
        },
      ],
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    })
    expect(JSON.stringify(emu.db.toJSON())).toBe(before)
  })

  it('reports type errors, unknown fields, statuses, contacts and users', async () => {
    const emu = startEmulator()
    const [sales, partners] = emu.db.pipelines.rows
    const partnersOnly = partners!._embedded.statuses.find((s) => s.type === 0 && s.id > 143)!
    const errs = await validationErrors(await api(emu, '/leads', {
      method: 'POST',
      json: [
        { name: 123, request_id: 'a' },
        { price: 10.5, request_id: 'b' },
        { price: '1000', request_id: 'c' },
        { custom_fields_values: [{ field_id: 999, values: [{ value: 'x' }] }], request_id: 'd' },
        { pipeline_id: sales!.id, status_id: partnersOnly.id, request_id: 'e' },
        { _embedded: { contacts: [{ id: 1 }] }, request_id: 'f' },
        { responsible_user_id: 1, request_id: 'g' },
        { pipeline_id: 1, request_id: 'h' },
        { unknown_field: true, request_id: 'i' },
      ],
    }))
    const byId = Object.fromEntries(errs.map((e) => [e.request_id, e.errors.map((x) => `${x.code}@${x.path}`)]))
    expect(byId).toEqual({
      a: ['InvalidType@name'],
      b: ['InvalidType@price'],
      c: ['InvalidType@price'],
      d: ['NotSupportedChoice@custom_fields_values.0.field_id'],
      e: ['NotSupportedChoice@status_id'],
      f: ['NotFound@_embedded.contacts.0.id'],
      g: ['NotSupportedChoice@responsible_user_id'],
      h: ['NotSupportedChoice@pipeline_id'],
      i: ['FieldNotExpected@unknown_field'],
    })
  })

  it('rejects more than 250 items and non-array bodies', async () => {
    const emu = startEmulator()
    const tooMany = await api(emu, '/leads', { method: 'POST', json: Array.from({ length: 251 }, () => ({ name: 'x' })) })
    expect(tooMany.status).toBe(400)
    expect(tooMany.headers.get('content-type')).toBe('application/problem+json')
    expect((await api(emu, '/leads', { method: 'POST', json: { name: 'x' } })).status).toBe(400)
    expect((await api(emu, '/leads', { method: 'POST', json: Array.from({ length: 250 }, () => ({ name: 'x' })) })).status).toBe(200)
  })
})

describe('updates', () => {
  it('PATCH /leads moves to 142 (closed_at = now), bumps updated_at, merges custom fields', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now })
    const open = emu.db.leads.rows.find((l) => l.status_id !== 142 && l.status_id !== 143 && (l.custom_fields_values?.length ?? 0) >= 3)!
    const untouched = open.custom_fields_values!.filter((f) => f.field_code !== 'UTM_SOURCE')
    clock.advance(5_000)
    const res = await api(emu, '/leads', {
      method: 'PATCH',
      json: [{ id: open.id, status_id: 142, price: 777, request_id: 'r', custom_fields_values: [{ field_code: 'UTM_SOURCE', values: [{ value: 'patched' }] }] }],
    })
    expect(res.status).toBe(200)
    const nowSec = Math.floor(clock.now() / 1000)
    expect((await res.json())._embedded.leads[0]).toMatchObject({ id: open.id, updated_at: nowSec, request_id: 'r' })
    const lead = await getJson(emu, `/leads/${open.id}`)
    expect(lead).toMatchObject({ status_id: 142, price: 777, closed_at: nowSec, updated_at: nowSec, pipeline_id: open.pipeline_id })
    expect(lead.custom_fields_values.find((f: { field_code: string }) => f.field_code === 'UTM_SOURCE').values).toEqual([{ value: 'patched' }])
    for (const f of untouched) expect(lead.custom_fields_values).toContainEqual(f)
  })

  it('PATCH /leads/{id} takes one object, answers {id, updated_at}; reopening clears closed_at', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now })
    const lost = emu.db.leads.rows.find((l) => l.status_id === 143)!
    const working = emu.db.pipelines.get(lost.pipeline_id)!._embedded.statuses[2]!
    clock.advance(60_000)
    const res = await api(emu, `/leads/${lost.id}`, { method: 'PATCH', json: { status_id: working.id, name: 'Вернулись' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: lost.id, updated_at: Math.floor(clock.now() / 1000), _links: { self: { href: `${emu.baseUrl}/api/v4/leads/${lost.id}` } } })
    expect(emu.db.leads.get(lost.id)).toMatchObject({ status_id: working.id, closed_at: null, name: 'Вернулись' })
    expect((await api(emu, '/leads/1', { method: 'PATCH', json: { name: 'x' } })).status).toBe(404)
  })

  it('PATCH of a missing id fails the batch with NotFound at id', async () => {
    const emu = startEmulator()
    const real = emu.db.leads.rows[0]!
    const errs = await validationErrors(await api(emu, '/leads', { method: 'PATCH', json: [{ id: real.id, name: 'changed' }, { id: 1, name: 'ghost' }, { name: 'no id' }] }))
    expect(errs).toEqual([
      { request_id: '1', errors: [{ code: 'NotFound', path: 'id', detail: expect.any(String) }] },
      { request_id: '2', errors: [{ code: 'FieldMissing', path: 'id', detail: expect.any(String) }] },
    ])
    expect(emu.db.leads.get(real.id)!.name).not.toBe('changed')
  })

  it('created custom fields are writable right away; select by exact text works', async () => {
    const emu = startEmulator()
    const res = await api(emu, '/leads/custom_fields', { method: 'POST', json: [{ name: 'Бюджет кампании', type: 'numeric', request_id: 'f' }, { name: 'Формат', type: 'select', enums: [{ value: 'Онлайн' }, { value: 'Офлайн' }] }] })
    expect(res.status).toBe(200)
    const [budget, format] = (await res.json())._embedded.custom_fields
    expect(budget).toMatchObject({ name: 'Бюджет кампании', type: 'numeric', request_id: 'f', entity_type: 'leads' })
    const lead = emu.db.leads.rows[0]!
    const ok = await api(emu, `/leads/${lead.id}`, { method: 'PATCH', json: { custom_fields_values: [{ field_id: budget.id, values: [{ value: 5000 }] }, { field_id: format.id, values: [{ value: 'Офлайн' }] }] } })
    expect(ok.status).toBe(200)
    const stored = emu.db.leads.get(lead.id)!.custom_fields_values!
    expect(stored.find((f) => f.field_id === format.id)!.values).toEqual([{ value: 'Офлайн', enum_id: format.enums[1].id, enum_code: null }])
    const wrongCase = await validationErrors(await api(emu, `/leads/${lead.id}`, { method: 'PATCH', json: { custom_fields_values: [{ field_id: format.id, values: [{ value: 'офлайн' }] }] } }))
    expect(wrongCase[0]!.errors[0]!.code).toBe('NotSupportedChoice')
  })
})
