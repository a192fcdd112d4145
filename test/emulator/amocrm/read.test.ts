import { describe, expect, it } from 'vitest'
import { api, getJson, startEmulator, useMswServer } from './helpers.js'

useMswServer()

describe('reading leads, contacts and companies', () => {
  it('answers a HAL page without totals, with a next link, as application/hal+json', async () => {
    const emu = startEmulator()
    const res = await api(emu, '/leads?limit=3')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/hal+json')
    const body = await res.json()
    expect(Object.keys(body)).toEqual(['_page', '_links', '_embedded'])
    expect(body._page).toBe(1)
    expect(body._links.self.href).toBe(`${emu.baseUrl}/api/v4/leads?limit=3&page=1`)
    expect(body._links.next.href).toBe(`${emu.baseUrl}/api/v4/leads?limit=3&page=2`)
    expect(body._embedded.leads.map((l: { id: number }) => l.id)).toEqual(emu.db.leads.rows.slice(0, 3).map((l) => l.id))
    const lead = body._embedded.leads[0]
    expect(lead._links.self.href).toBe(`${emu.baseUrl}/api/v4/leads/${lead.id}`)
    expect(Object.keys(lead._embedded).sort()).toEqual(['companies', 'tags'])
  })

  it('defaults to 50 per page and pages through everything exactly once at limit 250', async () => {
    const emu = startEmulator({ size: { deals: 620 } })
    expect((await getJson(emu, '/leads'))._embedded.leads).toHaveLength(50)
    const seen: number[] = []
    for (let page = 1; page < 10; page++) {
      const res = await api(emu, `/leads?limit=250&page=${page}`)
      if (res.status === 204) break
      seen.push(...(await res.json())._embedded.leads.map((l: { id: number }) => l.id))
    }
    expect(seen).toEqual(emu.db.leads.rows.map((l) => l.id))
  })

  it('keeps the next link on a full last page, then answers 204 with no body', async () => {
    const emu = startEmulator()
    const [a, b] = emu.db.leads.rows
    const body = await getJson(emu, `/leads?filter[id][]=${a!.id}&filter[id][]=${b!.id}&limit=2`)
    expect(body._embedded.leads).toHaveLength(2)
    const next = body._links.next.href as string
    expect(next).toContain('page=2')
    const res = await fetch(next, { headers: { Authorization: `Bearer ${emu.longLivedToken}` } })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    // A short page links `next` too (these methods cannot count, #209): the end is the short page.
    const short = await getJson(emu, `/leads?filter[id][]=${a!.id}&limit=2`)
    expect(short._links.next.href).toContain('page=2')
    const strict = startEmulator({ paging: { nextOnShortPage: false } })
    expect((await getJson(strict, `/leads?filter[id][]=${a!.id}&limit=2`))._links.next).toBeUndefined()
  })

  it('answers 204 for an empty match and for a page past the end', async () => {
    const emu = startEmulator()
    expect((await api(emu, '/leads?filter[id]=1')).status).toBe(204)
    expect((await api(emu, '/contacts?page=100')).status).toBe(204)
    expect((await api(emu, '/companies?query=нет-такой-компании')).status).toBe(204)
  })

  it('rejects limit > 250 with problem json', async () => {
    const emu = startEmulator()
    const res = await api(emu, '/leads?limit=251')
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ title: 'Bad Request', type: 'https://httpstatus.es/400', status: 400 })
    expect((await api(emu, '/leads?limit=250')).status).toBe(200)
  })

  it("with paging.oversizedLimit 'default', serves 50 rows for limit > 250, as a real account once did (#210)", async () => {
    const emu = startEmulator({ paging: { oversizedLimit: 'default' } })
    const res = await api(emu, '/leads?limit=500')
    expect(res.status).toBe(200)
    expect((await res.json())._embedded.leads).toHaveLength(50)
  })

  it('embeds contacts only with with=contacts, and loss reasons with with=loss_reason', async () => {
    const emu = startEmulator()
    const lost = emu.db.leads.rows.find((l) => l.status_id === 143 && emu.db.links.leadCompany.has(l.id))!
    const plain = await getJson(emu, `/leads/${lost.id}`)
    expect(plain._embedded.contacts).toBeUndefined()
    expect(plain._embedded.companies).toEqual([{ id: emu.db.links.leadCompany.get(lost.id), _links: { self: { href: `${emu.baseUrl}/api/v4/companies/${emu.db.links.leadCompany.get(lost.id)}` } } }])

    const full = await getJson(emu, `/leads/${lost.id}?with=contacts,loss_reason`)
    const main = emu.db.links.leadContacts.get(lost.id)![0]!
    expect(full._embedded.contacts).toEqual([{ id: main.id, is_main: true, _links: { self: { href: `${emu.baseUrl}/api/v4/contacts/${main.id}` } } }])
    const reason = emu.db.lossReasons.get(lost.loss_reason_id!)!
    expect(full._embedded.loss_reason).toEqual([{ ...reason, _links: { self: { href: `${emu.baseUrl}/api/v4/leads/loss_reasons/${reason.id}` } } }])

    const list = await getJson(emu, '/leads?with=contacts&limit=5')
    for (const l of list._embedded.leads) expect(l._embedded.contacts.filter((c: { is_main: boolean }) => c.is_main)).toHaveLength(1)
  })

  it('embeds leads on contacts and companies with with=leads', async () => {
    const emu = startEmulator()
    const [leadId, links] = [...emu.db.links.leadContacts.entries()][0]!
    const contact = await getJson(emu, `/contacts/${links[0]!.id}?with=leads`)
    expect(contact._embedded.leads.map((l: { id: number }) => l.id)).toContain(leadId)
    const without = await getJson(emu, `/contacts/${links[0]!.id}`)
    expect(without._embedded.leads).toBeUndefined()
    const [companyId, leadIds] = [...emu.db.links.companyLeads.entries()].find(([, ids]) => ids.length > 0)!
    const company = await getJson(emu, `/companies/${companyId}?with=leads`)
    expect(company._embedded.leads.map((l: { id: number }) => l.id).sort()).toEqual([...leadIds].sort())
  })

  it('sends custom_fields_values as null, not [], when nothing is filled', async () => {
    const emu = startEmulator()
    const empty = emu.db.leads.rows.find((l) => l.custom_fields_values === null)!
    const body = await getJson(emu, `/leads/${empty.id}`)
    expect(body.custom_fields_values).toBeNull()
  })

  it('answers 404 problem json for a missing entity', async () => {
    const emu = startEmulator()
    for (const path of ['/leads/1', '/contacts/1', '/companies/1', '/users/1', '/leads/pipelines/1']) {
      const res = await api(emu, path)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
  })

  it('answers 404 for unknown routes and 405 for DELETE on entities', async () => {
    const emu = startEmulator()
    const unknown = await api(emu, '/widgets/nothing')
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).status).toBe(404)
    for (const path of ['/leads', '/leads/' + emu.db.leads.rows[0]!.id, '/contacts', '/companies']) {
      const res = await api(emu, path, { method: 'DELETE' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).not.toContain('DELETE')
    }
  })
})

describe('account, users, pipelines, loss reasons, custom fields', () => {
  it('describes the account (RUB; timezone via with=datetime_settings, as in the real API)', async () => {
    const emu = startEmulator({ subdomain: 'romashka' })
    const account = await getJson(emu, '/account?with=datetime_settings')
    expect(account).toMatchObject({ id: emu.db.account.id, subdomain: 'romashka', currency: 'RUB', currency_symbol: '₽', country: 'RU', current_user_id: emu.db.adminUser().id })
    expect(account._embedded.datetime_settings.timezone).toBe('Europe/Moscow')
    expect(emu.baseUrl).toBe('https://romashka.amocrm.ru')
  })

  it('lists users with totals and pages, and one user', async () => {
    const emu = startEmulator()
    const body = await getJson(emu, '/users?limit=5')
    expect(body).toMatchObject({ _total_items: 8, _page: 1, _page_count: 2 })
    expect(body._embedded.users).toHaveLength(5)
    expect((await getJson(emu, '/users?limit=5&page=2'))._embedded.users).toHaveLength(3)
    const user = await getJson(emu, `/users/${body._embedded.users[1].id}`)
    expect(user.name).toBe(body._embedded.users[1].name)
  })

  it('lists pipelines with embedded statuses, 142/143 in each', async () => {
    const emu = startEmulator()
    const body = await getJson(emu, '/leads/pipelines')
    expect(body._total_items).toBe(2)
    for (const p of body._embedded.pipelines) {
      const ids = p._embedded.statuses.map((s: { id: number }) => s.id)
      expect(ids).toContain(142)
      expect(ids).toContain(143)
      expect(p._links.self.href).toBe(`${emu.baseUrl}/api/v4/leads/pipelines/${p.id}`)
    }
    const one = await getJson(emu, `/leads/pipelines/${body._embedded.pipelines[1].id}`)
    expect(one.name).toBe('Партнёры')
  })

  it('lists loss reasons', async () => {
    const emu = startEmulator()
    const body = await getJson(emu, '/leads/loss_reasons')
    expect(body._embedded.loss_reasons.map((r: { name: string }) => r.name)).toContain('Дорого')
    expect(Object.keys(body._embedded.loss_reasons[0]).sort()).toEqual(['_links', 'created_at', 'id', 'name', 'sort', 'updated_at'])
  })

  it('pages custom fields at most 50 at a time with _total_items and _page_count', async () => {
    const emu = startEmulator()
    const more = Array.from({ length: 40 }, (_, i) => ({ name: `Поле ${i}`, type: 'text' }))
    expect((await api(emu, '/leads/custom_fields', { method: 'POST', json: more })).status).toBe(200)
    const total = emu.db.fieldsOf('leads').size
    expect(total).toBeGreaterThan(50)
    const first = await getJson(emu, '/leads/custom_fields?limit=250')
    expect(first._embedded.custom_fields).toHaveLength(50)
    expect(first).toMatchObject({ _total_items: total, _page: 1, _page_count: Math.ceil(total / 50) })
    expect(first._links.next).toBeDefined()
    const second = await getJson(emu, '/leads/custom_fields?page=2')
    expect(second._embedded.custom_fields).toHaveLength(total - 50)
    expect(second._links.next).toBeUndefined()
    expect((await api(emu, '/leads/custom_fields?page=3')).status).toBe(204)
    const phone = (await getJson(emu, '/contacts/custom_fields'))._embedded.custom_fields.find((f: { code: string }) => f.code === 'PHONE')
    expect(phone.enums.map((e: { value: string }) => e.value)).toContain('MOB')
  })
})
