import { describe, expect, it } from 'vitest'
import { parseBracketQuery, type AmoCrmEmulator, type Lead } from '../../../adapters/amocrm/testing/index.js'
import { api, startEmulator, useMswServer } from './helpers.js'

useMswServer()

describe('parseBracketQuery', () => {
  it('parses PHP-style nested brackets', () => {
    expect(parseBracketQuery('filter[id][]=1&filter[id][]=2&filter[name]=x')).toEqual({ filter: { id: ['1', '2'], name: 'x' } })
    expect(parseBracketQuery('filter[id]=5')).toEqual({ filter: { id: '5' } })
    expect(parseBracketQuery('filter[updated_at][from]=10&filter[updated_at][to]=20')).toEqual({ filter: { updated_at: { from: '10', to: '20' } } })
    expect(parseBracketQuery('filter[statuses][0][pipeline_id]=7&filter[statuses][0][status_id]=142&filter[statuses][1][pipeline_id]=8&filter[statuses][1][status_id]=143'))
      .toEqual({ filter: { statuses: { 0: { pipeline_id: '7', status_id: '142' }, 1: { pipeline_id: '8', status_id: '143' } } } })
    expect(parseBracketQuery('order[created_at]=desc&query=%D0%90%D0%BD%D0%BD%D0%B0&with=contacts')).toEqual({ order: { created_at: 'desc' }, query: 'Анна', with: 'contacts' })
  })
})

/** All lead ids the API returns for a query, across pages. */
async function leadIds(emu: AmoCrmEmulator, query: string, entity = 'leads'): Promise<number[]> {
  const out: number[] = []
  for (let page = 1; page < 20; page++) {
    const res = await api(emu, `/${entity}?${query}${query ? '&' : ''}limit=250&page=${page}`)
    if (res.status === 204) return out
    expect(res.status).toBe(200)
    out.push(...(await res.json())._embedded[entity].map((l: { id: number }) => l.id))
  }
  throw new Error('pagination never ended with 204')
}

const expected = (emu: AmoCrmEmulator, pred: (l: Lead) => boolean) => emu.db.leads.rows.filter(pred).map((l) => l.id)

describe('list filters', () => {
  const emu = () => startEmulator({ size: { deals: 400 } })

  it('filter[id][] and filter[id]', async () => {
    const e = emu()
    const [a, b, c] = [e.db.leads.rows[3]!, e.db.leads.rows[10]!, e.db.leads.rows[200]!]
    expect(await leadIds(e, `filter[id][]=${c.id}&filter[id][]=${a.id}&filter[id][]=${b.id}`)).toEqual([a.id, b.id, c.id])
    expect(await leadIds(e, `filter[id]=${b.id}`)).toEqual([b.id])
  })

  it('filter[updated_at|created_at|closed_at][from|to] (inclusive)', async () => {
    const e = emu()
    const rows = e.db.leads.rows
    const from = rows[100]!.created_at, to = rows[180]!.created_at
    expect(await leadIds(e, `filter[created_at][from]=${from}&filter[created_at][to]=${to}`)).toEqual(expected(e, (l) => l.created_at >= from && l.created_at <= to))
    const since = rows[250]!.updated_at
    const updated = await leadIds(e, `filter[updated_at][from]=${since}`)
    expect(updated).toEqual(expected(e, (l) => l.updated_at >= since))
    expect(updated.length).toBeGreaterThan(0)
    expect(updated.length).toBeLessThan(rows.length)
    const closedTo = rows[200]!.created_at
    const closed = await leadIds(e, `filter[closed_at][to]=${closedTo}`)
    expect(closed).toEqual(expected(e, (l) => l.closed_at !== null && l.closed_at <= closedTo))
    expect(closed.length).toBeGreaterThan(10)
  })

  it('filter[responsible_user_id][] and filter[pipeline_id][]', async () => {
    const e = emu()
    const [u1, u2] = e.db.users.rows
    const byUser = await leadIds(e, `filter[responsible_user_id][]=${u1!.id}&filter[responsible_user_id][]=${u2!.id}`)
    expect(byUser).toEqual(expected(e, (l) => l.responsible_user_id === u1!.id || l.responsible_user_id === u2!.id))
    expect(byUser.length).toBeGreaterThan(0)
    const partners = e.db.pipelines.rows[1]!.id
    const byPipeline = await leadIds(e, `filter[pipeline_id][]=${partners}`)
    expect(byPipeline).toEqual(expected(e, (l) => l.pipeline_id === partners))
    expect(byPipeline.length).toBeGreaterThan(20)
  })

  it('filter[statuses] pairs 142/143 with their pipeline', async () => {
    const e = emu()
    const [sales, partners] = e.db.pipelines.rows.map((p) => p.id) as [number, number]
    const wonInSales = await leadIds(e, `filter[statuses][0][pipeline_id]=${sales}&filter[statuses][0][status_id]=142`)
    expect(wonInSales).toEqual(expected(e, (l) => l.pipeline_id === sales && l.status_id === 142))
    const mixed = await leadIds(e, `filter[statuses][0][pipeline_id]=${sales}&filter[statuses][0][status_id]=142&filter[statuses][1][pipeline_id]=${partners}&filter[statuses][1][status_id]=143`)
    expect(mixed).toEqual(expected(e, (l) => (l.pipeline_id === sales && l.status_id === 142) || (l.pipeline_id === partners && l.status_id === 143)))
    expect(mixed.length).toBeGreaterThan(wonInSales.length)
  })

  it('filter[name] matches the whole name', async () => {
    const e = emu()
    const name = e.db.leads.rows.find((l) => l.name.startsWith('Внедрение CRM —'))!.name
    expect(await leadIds(e, `filter[name]=${encodeURIComponent(name)}`)).toEqual(expected(e, (l) => l.name === name))
    expect(await leadIds(e, `filter[name]=${encodeURIComponent('Внедрение')}`)).toEqual([])
  })

  it('query= searches names, custom field values and contact phones regardless of format', async () => {
    const e = emu()
    const campaign = await leadIds(e, 'query=webinar_may')
    expect(campaign.length).toBeGreaterThan(0)
    expect(campaign).toEqual(expected(e, (l) => !!l.custom_fields_values?.some((f) => f.values.some((v) => String(v.value).includes('webinar_may')))))

    // a deal found by its contact's phone typed differently ("8 916 ..." vs "+7 (916) ...")
    const lead = e.db.leads.rows[50]!
    const contact = e.db.contacts.get(e.db.links.leadContacts.get(lead.id)![0]!.id)!
    const phone = String(contact.custom_fields_values!.find((f) => f.field_code === 'PHONE')!.values[0]!.value)
    const digits = phone.replace(/\D/g, '').replace(/^7/, '8')
    const typed = `${digits.slice(0, 1)} ${digits.slice(1, 4)} ${digits.slice(4)}`
    expect(await leadIds(e, `query=${encodeURIComponent(typed)}`)).toContain(lead.id)

    const email = e.db.contacts.rows.flatMap((c) => c.custom_fields_values?.find((f) => f.field_code === 'EMAIL')?.values ?? [])[0]!.value as string
    expect((await leadIds(e, `query=${encodeURIComponent(email.toUpperCase())}`, 'contacts')).length).toBeGreaterThan(0)
    const nameHits = await leadIds(e, `query=${encodeURIComponent('Аудит воронки')}`)
    expect(nameHits).toEqual(expected(e, (l) => l.name.includes('Аудит воронки') || !!l.custom_fields_values?.some((f) => f.values.some((v) => String(v.value).toLowerCase().includes('аудит воронки')))))
  })

  it('order[created_at|updated_at|id]=asc|desc', async () => {
    const e = emu()
    const desc = await leadIds(e, 'order[id]=desc')
    expect(desc).toEqual(e.db.leads.rows.map((l) => l.id).reverse())
    const byUpdated = await leadIds(e, 'order[updated_at]=desc')
    const sorted = [...e.db.leads.rows].sort((a, b) => b.updated_at - a.updated_at || a.id - b.id).map((l) => l.id)
    expect(byUpdated).toEqual(sorted)
    expect(byUpdated).not.toEqual(desc)
    const asc = await leadIds(e, 'order[created_at]=asc&filter[pipeline_id]=' + e.db.pipelines.rows[0]!.id)
    const createdAt = asc.map((id) => e.db.leads.get(id)!.created_at)
    expect(createdAt).toEqual([...createdAt].sort((a, b) => a - b))
  })

  it('filters page correctly when combined with limit/page', async () => {
    const e = emu()
    const all = expected(e, (l) => l.status_id === 142)
    const res = await api(e, `/leads?filter[statuses][0][pipeline_id]=${e.db.pipelines.rows[0]!.id}&filter[statuses][0][status_id]=142&filter[statuses][1][pipeline_id]=${e.db.pipelines.rows[1]!.id}&filter[statuses][1][status_id]=142&limit=7&page=3`)
    const ids = (await res.json())._embedded.leads.map((l: { id: number }) => l.id)
    expect(ids).toEqual(all.slice(14, 21))
  })
})
