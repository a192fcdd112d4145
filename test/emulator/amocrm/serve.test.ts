// The emulator over real loopback HTTP through serveHandlers (what `npm start` does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAmoCrmEmulator } from '../../../adapters/amocrm/testing/index.js'
import { serveHandlers, type ServedHandlers } from '../../../sdk/node/serve-handlers.js'

describe('serveHandlers', () => {
  const emu = createAmoCrmEmulator({ rateLimit: { perSecond: 7 }, seed: 3 })
  let served: ServedHandlers
  const auth = { Authorization: `Bearer ${emu.longLivedToken}` }

  beforeAll(async () => {
    served = await serveHandlers(emu.handlers, { rewriteOrigin: emu.baseUrl })
  })
  afterAll(async () => {
    await served.close()
  })

  it('answers on 127.0.0.1 as the emulated https origin', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${served.url}/api/v4/leads?limit=2&with=contacts`, { headers: auth })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/hal+json')
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100)
    const body = await res.json()
    expect(body._embedded.leads.map((l: { id: number }) => l.id)).toEqual(emu.db.leads.rows.slice(0, 2).map((l) => l.id))
    expect(body._links.self.href.startsWith(`${emu.baseUrl}/api/v4/leads?`)).toBe(true)
    expect(emu.log.at(-1)).toMatchObject({ path: '/api/v4/leads', search: '?limit=2&with=contacts', status: 200 })
  })

  it('forwards request bodies, UTF-8 intact', async () => {
    const res = await fetch(`${served.url}/api/v4/leads`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify([{ name: 'Заявка «через сокет» ✓', request_id: 'sock' }]),
    })
    expect(res.status).toBe(200)
    const created = (await res.json())._embedded.leads[0]
    expect(created.request_id).toBe('sock')
    expect(emu.db.leads.get(created.id)!.name).toBe('Заявка «через сокет» ✓')
  })

  it('sends 204 without a body, and 404 when no handler matches', async () => {
    const empty = await fetch(`${served.url}/api/v4/leads?filter[id]=1`, { headers: auth })
    expect(empty.status).toBe(204)
    expect(await empty.text()).toBe('')
    const none = await fetch(`${served.url}/not-amocrm`)
    expect(none.status).toBe(404)
  })

  it('copies headers of non-JSON answers (nginx 429)', async () => {
    await new Promise((r) => setTimeout(r, 1100))
    const statuses = await Promise.all(Array.from({ length: 9 }, () => fetch(`${served.url}/api/v4/account`, { headers: auth }).then(async (r) => [r.status, r.headers.get('content-type'), r.headers.get('server'), await r.text()] as const)))
    const limited = statuses.filter(([s]) => s === 429)
    expect(limited.length).toBe(2)
    expect(limited[0]!.slice(1, 3)).toEqual(['text/html', 'nginx'])
    expect(limited[0]![3]).toContain('429 Too Many Requests')
  })
})
