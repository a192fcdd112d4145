import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { createBitrix24Emulator } from '../../adapters/bitrix24/testing/index.js'
import { createCreatioEmulator } from '../../adapters/creatio/testing/index.js'
import { serveHandlers } from '../../sdk/node/serve-handlers.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/server.js'
import { proxyTargetsFromEnv } from '../../scripts/sandbox/proxy.js'

// Proxy mode: a second local server with its own emulated accounts stands in for the "real"
// amoCRM, Bitrix24 and Creatio; the sandbox forwards the API paths there, adding the credential
// server-side. The browser side only ever holds the sandbox's own session.
const realAmo = createAmoCrmEmulator({ subdomain: 'real', seed: 7, size: { deals: 20, contacts: 10, companies: 2, users: 2 } })
const realBx = createBitrix24Emulator({ baseUrl: 'https://real.bitrix24.ru', seed: 7, size: { deals: 7, leads: 3, contacts: 3, companies: 1, users: 2 } })
const realCr = createCreatioEmulator({ siteUrl: 'https://real.creatio.com', seed: 7, size: { deals: 4, leads: 4, contacts: 4, accounts: 1, users: 2 } })
let real: Awaited<ReturnType<typeof serveHandlers>>
let sandbox: Sandbox

const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')

beforeAll(async () => {
  real = await serveHandlers([...realAmo.handlers, ...realBx.handlers, ...realCr.handlers], {
    port: 0,
    rewriteOrigin: (path) => (path.startsWith('/rest/') ? realBx.baseUrl : path.startsWith('/0/') || path.startsWith('/ServiceModel/') ? realCr.siteUrl : realAmo.baseUrl),
  })
  sandbox = await startSandbox({
    port: 0,
    deals: 50,
    latencyMs: 0,
    proxy: {
      amocrm: { baseUrl: real.url, token: realAmo.longLivedToken },
      bitrix24: { webhookUrl: realBx.webhookUrl.replace(realBx.baseUrl, real.url) },
      creatio: { siteUrl: real.url, userName: realCr.credentials.userName, password: realCr.credentials.password },
    },
  })
}, 60_000)

afterAll(async () => {
  await sandbox?.close()
  await real?.close()
})

describe('sandbox proxy mode', () => {
  it('reads the targets from the environment', () => {
    expect(proxyTargetsFromEnv({ AMOCRM_SUBDOMAIN: 'acme', AMOCRM_TOKEN: 't' })).toEqual({ amocrm: { baseUrl: 'https://acme.amocrm.ru', token: 't' } })
    expect(proxyTargetsFromEnv({ AMOCRM_SUBDOMAIN: 'acme' })).toEqual({})
    expect(() => proxyTargetsFromEnv({ BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.ru/oops' })).toThrow(/BITRIX24_WEBHOOK_URL/)
    expect(proxyTargetsFromEnv({ CREATIO_URL: 'https://s.creatio.com/0/', CREATIO_USER: 'u', CREATIO_PASSWORD: 'p' }).creatio?.siteUrl).toBe('https://s.creatio.com')
  })

  it('never seeds a proxied account', () => {
    expect(sandbox.modes).toEqual({ amocrm: 'proxy', bitrix24: 'proxy', creatio: 'proxy' })
    expect(realAmo.log.filter((l) => l.method !== 'GET')).toEqual([])
    expect(realBx.log).toEqual([])
    expect(realCr.log).toEqual([])
  })

  it('amoCRM: forwards /api/v4 with the token added server-side, only for the sandbox page’s session', async () => {
    const denied = await fetch(`${sandbox.url}/api/v4/account`)
    expect(denied.status).toBe(401)
    expect(realAmo.log).toEqual([])
    const page = await fetch(`${sandbox.url}/amocrm/`)
    expect(await page.text()).not.toContain(realAmo.longLivedToken)
    const res = await fetch(`${sandbox.url}/api/v4/account`, { headers: { Cookie: cookieOf(page) } })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { subdomain: string }).subdomain).toBe('real')
    expect(realAmo.log.map((l) => [l.path, l.auth])).toEqual([['/api/v4/account', 'bearer']])
  })

  it('Bitrix24: forwards /rest/ to the webhook for a frame token the sandbox issued, never with a guessed one', async () => {
    const page = await (await fetch(`${sandbox.url}/bitrix24/`)).text()
    expect(page).not.toContain(new URL(realBx.webhookUrl).pathname)
    const token = /name="AUTH_ID" value="([^"]+)"/.exec(page)![1]!
    const call = (auth: string) =>
      fetch(`${sandbox.url}/rest/crm.item.list.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ auth, entityTypeId: 2 }) })
    expect((await call('guessed')).status).toBe(401)
    expect(realBx.log).toEqual([])
    const res = await call(token)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { result: { items: unknown[] } }).result.items).toHaveLength(7)
    expect(realBx.log.map((l) => [l.restMethod, l.auth])).toEqual([['crm.item.list', 'webhook']])
  })

  it('Creatio: logs in server-side once and forwards /0/odata with that session', async () => {
    const denied = await fetch(`${sandbox.url}/0/odata/Contact?$top=1`)
    expect(denied.status).toBe(401)
    const page = await fetch(`${sandbox.url}/creatio/`)
    // No emulator session is handed out in proxy mode: only the sandbox's own cookie.
    expect(cookieOf(page)).not.toContain('.ASPXAUTH')
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sandbox.url}/0/odata/Opportunity?$select=Id`, { headers: { Cookie: cookieOf(page), Accept: 'application/json' } })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { value: unknown[] }).value).toHaveLength(4)
    }
    expect(realCr.stats.logins).toBe(1)
    // An expired session is renewed and the request repeated.
    realCr.expireSessions()
    const again = await fetch(`${sandbox.url}/0/odata/Opportunity?$select=Id`, { headers: { Cookie: cookieOf(page), Accept: 'application/json' } })
    expect(again.status).toBe(200)
    expect(realCr.stats.logins).toBe(2)
  })
})
