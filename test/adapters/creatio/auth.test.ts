import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthError, createCrm } from '../../../sdk/index.js'
import { creatio, type CreatioAuth } from '../../../adapters/creatio/index.js'
import { setupCreatioEmulator, type CreatioEmulatorOptions } from '../../../adapters/creatio/testing/node.js'

let cleanup: (() => Promise<void>) | null = null
afterEach(async () => {
  await cleanup?.()
  cleanup = null
})

function start(auth: (e: ReturnType<typeof setupCreatioEmulator>['emulator']) => CreatioAuth, o: CreatioEmulatorOptions = {}, zeroPrefix = true) {
  const s = setupCreatioEmulator({ seed: 3, size: { deals: 30, leads: 20, contacts: 10, accounts: 3 }, ...o }, { onUnhandledRequest: 'error' })
  const crm = createCrm(creatio({ siteUrl: s.emulator.siteUrl, auth: auth(s.emulator), zeroPrefix }), { retry: { baseDelayMs: 5, maxDelayMs: 20 } })
  cleanup = async () => {
    await crm.close()
    s.close()
  }
  return { ...s, crm }
}
const cookie = (e: { credentials: { userName: string; password: string } }): CreatioAuth => ({ kind: 'cookie', ...{ userName: e.credentials.userName, password: e.credentials.password } })

describe('Creatio cookie login', () => {
  it('logs in once, then sends the cookies and the BPMCSRF header', async () => {
    const { emulator, crm } = start(cookie)
    const deals = await crm.deals.list().toArray()
    expect(deals).toHaveLength(30)
    expect(emulator.stats.logins).toBe(1)
    const data = emulator.log.filter((r) => r.path.includes('/0/odata/'))
    expect(data.every((r) => r.auth === 'cookie' && r.status === 200)).toBe(true)
  })

  it('treats HTTP 200 with Code ≠ 0 as a failed login, without leaking the password', async () => {
    const { emulator, crm } = start((e) => ({ kind: 'cookie', userName: e.credentials.userName, password: 'wrong-password-123' }))
    const err = await crm.deals.list().toArray().catch((x: unknown) => x)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as AuthError).message).toMatch(/Code 1/)
    expect((err as AuthError).message).not.toContain('wrong-password-123')
    expect(emulator.stats.failedLogins).toBe(1)
    expect(emulator.log.some((r) => r.path.includes('/odata/'))).toBe(false)
  })

  it('re-logs in exactly once when 20 concurrent calls meet the HTML login page', async () => {
    const { emulator, crm } = start(cookie)
    const deals = await crm.deals.list().toArray()
    emulator.expireSessions()
    const got = await Promise.all(deals.slice(0, 20).map((d) => crm.deals.get(d.id)))
    expect(got.map((d) => d.id)).toEqual(deals.slice(0, 20).map((d) => d.id))
    expect(emulator.stats.loginPages).toBeGreaterThan(0)
    expect(emulator.stats.logins).toBe(2)
  })

  it('fails with AuthError when the login page comes back even after re-logging in', async () => {
    const { emulator, server, crm } = start(cookie)
    const [deal] = await crm.deals.list({ pageSize: 1 }).pages()[Symbol.asyncIterator]().next().then((r) => r.value!)
    server.use(http.get(/\/0\/odata\/Opportunity\(/, () => new HttpResponse('<!DOCTYPE html><html>login</html>', { headers: { 'Content-Type': 'text/html' } })))
    const err = await crm.deals.get(deal!.id).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as AuthError).code).toBe('session_expired')
    expect(emulator.stats.logins).toBe(2)
  })

  it('serves .NET 8 sites without the /0 prefix', async () => {
    const { emulator, crm } = start(cookie, { netCore: true }, false)
    expect(emulator.root).toBe('/odata')
    expect((await crm.contacts.list().toArray()).length).toBeGreaterThan(0)
    expect(emulator.log.some((r) => r.path.startsWith('/odata/Contact'))).toBe(true)
  })
})

describe('Creatio OAuth 2.0 client credentials', () => {
  it('discovers the token URL, then uses the Bearer token', async () => {
    const { emulator, crm } = start((e) => ({ kind: 'oauth-client-credentials', ...e.oauth }))
    await crm.users.list().toArray()
    expect(emulator.log.some((r) => r.path === '/0/.well-known/openid-configuration')).toBe(true)
    expect(emulator.stats.tokensIssued).toBe(1)
    expect(emulator.log.filter((r) => r.path.includes('/odata/')).every((r) => r.auth === 'bearer')).toBe(true)
  })

  it('skips discovery with an explicit tokenUrl and fetches a new token once after expiry', async () => {
    const { emulator, crm } = start((e) => ({ kind: 'oauth-client-credentials', ...e.oauth, tokenUrl: `${e.siteUrl}/0/connect/token` }))
    const deals = await crm.deals.list().toArray()
    emulator.expireAccessTokens()
    await Promise.all(deals.slice(0, 10).map((d) => crm.deals.get(d.id)))
    expect(emulator.log.some((r) => r.path.includes('openid-configuration'))).toBe(false)
    expect(emulator.stats.tokensIssued).toBe(2)
  })

  it('rejects a wrong secret with AuthError naming the OAuth error', async () => {
    const { crm } = start((e) => ({ kind: 'oauth-client-credentials', clientId: e.oauth.clientId, clientSecret: 'nope-secret' }))
    const err = await crm.deals.list().toArray().catch((x: unknown) => x)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as AuthError).detail).toBe('invalid_client')
    expect((err as AuthError).message).not.toContain('nope-secret')
  })

  it('explains an HTML discovery page (Identity Service not connected)', async () => {
    const { emulator, server, crm } = start((e) => ({ kind: 'oauth-client-credentials', ...e.oauth }))
    server.use(http.get(`${emulator.siteUrl}/0/.well-known/openid-configuration`, () => new HttpResponse('<html>login</html>', { headers: { 'Content-Type': 'text/html' } })))
    const err = await crm.deals.list().toArray().catch((x: unknown) => x)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as AuthError).message).toMatch(/Identity Service/)
  })
})

describe('Creatio browser session', () => {
  it('reads BPMCSRF from document.cookie and sends it with ForceUseSession', async () => {
    const g = globalThis as { document?: { cookie: string } }
    g.document = { cookie: 'UserName=x; BPMCSRF=csrf-token-1' }
    try {
      const seen: (string | null)[][] = []
      const s = setupCreatioEmulator({ seed: 3, size: { deals: 5 } }, { onUnhandledRequest: 'error' })
      s.server.use(
        http.get(`${s.emulator.siteUrl}/0/odata/$metadata`, ({ request }) => {
          seen.push([request.headers.get('bpmcsrf'), request.headers.get('forceusesession')])
          return new HttpResponse(null, { status: 401 })
        }),
      )
      const crm = createCrm(creatio({ siteUrl: s.emulator.siteUrl, auth: { kind: 'browser-session' } }), { retry: { retries: 0 } })
      cleanup = async () => {
        await crm.close()
        s.close()
      }
      await expect(crm.deals.list().toArray()).rejects.toBeInstanceOf(AuthError)
      expect(seen[0]).toEqual(['csrf-token-1', 'true'])
    } finally {
      delete g.document
    }
  })
})
