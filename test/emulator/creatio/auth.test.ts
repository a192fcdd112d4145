import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator } from './helpers.js'

let stop: (() => void) | null = null
afterEach(() => {
  stop?.()
  stop = null
})
const start = (...a: Parameters<typeof startEmulator>) => {
  const s = startEmulator(...a)
  stop = s.close
  return s
}

describe('Creatio emulator: cookie login quirks', () => {
  it('answers a wrong password with HTTP 200 and Code 1, and sets no cookies', async () => {
    const { e } = start()
    const res = await fetch(`${e.siteUrl}/ServiceModel/AuthService.svc/Login`, { method: 'POST', body: JSON.stringify({ UserName: e.credentials.userName, UserPassword: 'x' }) })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ Code: 1, Message: expect.stringMatching(/Invalid/) })
    expect(res.headers.getSetCookie()).toEqual([])
    expect(e.stats.failedLogins).toBe(1)
  })

  it('sets BPMLOADER, .ASPXAUTH, BPMCSRF and UserName on success', async () => {
    const { login } = start()
    const { res, cookies } = await login()
    expect(await res.json()).toMatchObject({ Code: 0 })
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['.ASPXAUTH', 'BPMCSRF', 'BPMLOADER', 'UserName'])
  })

  it('refuses a session request without the BPMCSRF header (403), and one without cookies (401)', async () => {
    const { e, login, odata } = start()
    const { cookie } = await login()
    const noCsrf = await fetch(`${e.siteUrl}/0/odata/Lead?$top=1`, { headers: { Cookie: cookie } })
    expect(noCsrf.status).toBe(403)
    expect(JSON.stringify(await noCsrf.json())).toContain('BPMCSRF')
    expect((await fetch(`${e.siteUrl}/0/odata/Lead?$top=1`)).status).toBe(401)
    expect((await odata('Lead?$top=1')).status).toBe(200)
  })

  it('serves the HTML login page with 200 once the session expired', async () => {
    const { e, odata } = start()
    expect((await odata('Lead?$top=1')).status).toBe(200)
    e.expireSessions()
    const res = await odata('Lead?$top=1')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(await res.text()).toMatch(/<html/)
    expect(e.stats.loginPages).toBe(1)
  })
})

describe('Creatio emulator: OAuth client credentials', () => {
  it('publishes the token endpoint, issues 3600 s tokens and rejects expired ones', async () => {
    const { e } = start()
    const disco = (await (await fetch(`${e.siteUrl}/0/.well-known/openid-configuration`)).json()) as { token_endpoint: string }
    expect(disco.token_endpoint).toBe(`${e.siteUrl}/0/connect/token`)
    const form = new URLSearchParams({ client_id: e.oauth.clientId, client_secret: e.oauth.clientSecret, grant_type: 'client_credentials' })
    const tok = (await (await fetch(disco.token_endpoint, { method: 'POST', body: form })).json()) as { access_token: string; expires_in: number }
    expect(tok.expires_in).toBe(3600)
    const auth = { Authorization: `Bearer ${tok.access_token}` }
    expect((await fetch(`${e.siteUrl}/0/odata/Contact?$top=1`, { headers: auth })).status).toBe(200)
    e.expireAccessTokens()
    expect((await fetch(`${e.siteUrl}/0/odata/Contact?$top=1`, { headers: auth })).status).toBe(401)
    const bad = await fetch(disco.token_endpoint, { method: 'POST', body: new URLSearchParams({ client_id: 'x', client_secret: 'y', grant_type: 'client_credentials' }) })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ error: 'invalid_client' })
  })

  it('throttles with 429 + Retry-After only when a rate is configured, and logs every request', async () => {
    const { e, odata } = start({ rateLimit: { perSecond: 3 } })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await odata('Contact?$top=1')).status)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
    expect(e.stats.rateLimited).toBe(statuses.filter((s) => s === 429).length)
    expect(e.log.filter((r) => r.path.startsWith('/0/odata/Contact'))).toHaveLength(6)
  })
})
