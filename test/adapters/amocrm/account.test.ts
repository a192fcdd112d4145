import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AccountBlockedError, AuthError, UnsupportedError, createCrm, type Crm } from '../../../sdk/index.js'
import { FileTokenStore } from '../../../sdk/node/index.js'
import { amocrm, authorizeUrl, exchangeCode } from '../../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorOptions } from '../../../adapters/amocrm/testing/node.js'

let cleanup: (() => Promise<void>) | null = null
afterEach(async () => {
  await cleanup?.()
  cleanup = null
})

function start(options: AmoCrmEmulatorOptions = {}) {
  const emu = setupAmoCrmEmulator({ seed: 5, size: { deals: 20, contacts: 10, companies: 2 }, ...options }, { onUnhandledRequest: 'error' })
  const crms: Crm[] = []
  const connect = (auth: Parameters<typeof amocrm>[0]['auth'], store?: FileTokenStore) => {
    const crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth }), { retry: { baseDelayMs: 10, maxDelayMs: 50 }, ...(store ? { tokenStore: store } : {}) })
    crms.push(crm)
    return crm
  }
  cleanup = async () => {
    await Promise.all(crms.map((c) => c.close()))
    emu.close()
  }
  return { ...emu, connect }
}

describe('amoCRM OAuth', () => {
  it('builds the authorize URL', () => {
    const url = new URL(authorizeUrl({ clientId: 'abc', state: 's1' }))
    expect(url.origin).toBe('https://www.amocrm.ru')
    expect(url.pathname).toBe('/oauth')
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'abc', state: 's1', mode: 'post_message' })
  })

  it('exchanges a code, persists the rotated pair in a file, and keeps working across restarts', async () => {
    const { emulator, connect } = start()
    const path = join(await mkdtemp(join(tmpdir(), 'crmkit-')), 'tokens.json')
    const store = new FileTokenStore(path)
    const tokens = await exchangeCode({ baseUrl: emulator.baseUrl, ...emulator.oauth, code: emulator.issueAuthorizationCode(), store })
    expect(tokens.refreshToken).toBeTruthy()
    const oauth = { kind: 'oauth' as const, ...emulator.oauth }

    const first = connect(oauth, store)
    expect((await first.users.list().toArray()).length).toBeGreaterThan(0)
    emulator.expireAccessTokens()
    await first.deals.list().toArray()
    expect(emulator.stats.refreshes).toBe(1)
    const rotated = await store.get(`amocrm:${emulator.baseUrl}`)
    expect(rotated!.refreshToken).not.toBe(tokens.refreshToken)

    // A new process reads the rotated pair from the file; the old refresh token is dead.
    emulator.expireAccessTokens()
    const second = connect(oauth, new FileTokenStore(path))
    await second.deals.list().toArray()
    expect(emulator.stats.refreshes).toBe(2)
  })

  it('a code can be used once', async () => {
    const { emulator } = start()
    const code = emulator.issueAuthorizationCode()
    await exchangeCode({ baseUrl: emulator.baseUrl, ...emulator.oauth, code })
    await expect(exchangeCode({ baseUrl: emulator.baseUrl, ...emulator.oauth, code })).rejects.toBeInstanceOf(AuthError)
  })

  it('says "re-authorise" when the refresh token was already used elsewhere', async () => {
    const { emulator, connect } = start()
    const pair = emulator.issueTokens()
    const tokens = { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: new Date(0) }
    const a = connect({ kind: 'oauth', ...emulator.oauth, tokens })
    await a.users.list().toArray() // refreshes, rotating the pair
    const b = connect({ kind: 'oauth', ...emulator.oauth, tokens }) // a second copy still holding the old pair
    const err = await b.users.list().toArray().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as Error).message).toMatch(/re-authorise/)
    expect((err as Error).message).not.toContain(pair.refresh_token)
  })
})

describe('amoCRM account states', () => {
  it('a rejected long-lived token fails once with AuthError, without retry storms', async () => {
    const { emulator, connect } = start()
    const crm = connect({ kind: 'long-lived-token', token: 'revoked-token' })
    await expect(crm.deals.get('1')).rejects.toBeInstanceOf(AuthError)
    expect(emulator.log).toHaveLength(1)
  })

  it('a blocked account raises AccountBlockedError at once and is not hammered', async () => {
    const { emulator, connect } = start({ rateLimit: { perSecond: 1, blockAfter429: 0 } })
    const raw = (n: number) =>
      Promise.all(Array.from({ length: n }, () => fetch(`${emulator.baseUrl}/api/v4/account`, { headers: { Authorization: `Bearer ${emulator.longLivedToken}` } })))
    await raw(3)
    expect(emulator.isBlocked).toBe(true)
    const before = emulator.log.length
    const crm = connect({ kind: 'long-lived-token', token: emulator.longLivedToken })
    const err = await crm.users.list().toArray().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AccountBlockedError)
    expect((err as AccountBlockedError).reason).toBe('rate-limit-abuse')
    expect(emulator.log.length - before).toBe(1)
  })

  it('a plan without lists gets UnsupportedError that says why', async () => {
    const { emulator, connect } = start({ plan: { catalogs: false } })
    const crm = connect({ kind: 'long-lived-token', token: emulator.longLivedToken })
    const err = await crm.setup().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnsupportedError)
    expect((err as Error).message).toMatch(/plan/)
    await expect(crm.campaigns.list().toArray()).rejects.toBeInstanceOf(UnsupportedError)
  })

  it('campaigns before setup() point at setup()', async () => {
    const { emulator, connect } = start()
    const crm = connect({ kind: 'long-lived-token', token: emulator.longLivedToken })
    await expect(crm.campaigns.list().toArray()).rejects.toThrow(/crm\.setup\(\)/)
  })

  it('delete is unsupported in API v4, and capabilities say so', async () => {
    const { emulator, connect } = start()
    const crm = connect({ kind: 'long-lived-token', token: emulator.longLivedToken })
    expect(crm.capabilities.collections.deals.delete).toBe(false)
    expect(crm.capabilities.leadIsDeal).toBe(true)
    await expect(crm.deals.delete('1')).rejects.toBeInstanceOf(UnsupportedError)
  })

  it('browser-session auth sends no token (same-origin cookies carry the session)', async () => {
    const { emulator, connect } = start()
    const crm = connect({ kind: 'browser-session' })
    await crm.users.list().toArray().catch(() => undefined)
    expect(emulator.log[0]!.auth).toBe('none')
  })
})
