import { afterEach, describe, expect, it } from 'vitest'
import { AuthError, MemoryTokenStore, createCrm, type TokenSet } from '../../../sdk/index.js'
import { bitrix24, frameAuthFromPlacement } from '../../../adapters/bitrix24/index.js'
import { setupBitrix24Emulator } from '../../../adapters/bitrix24/testing/node.js'

const open: (() => void)[] = []
afterEach(() => {
  while (open.length) open.pop()!()
})
function portal(oauthServer?: string) {
  const s = setupBitrix24Emulator({ seed: 2, size: { deals: 20, leads: 5, contacts: 5, companies: 2 }, rateLimit: false, operating: false, ...(oauthServer ? { oauthServer } : {}) }, { onUnhandledRequest: 'error' })
  open.push(s.close)
  return s.emulator
}
const tokensOf = (p: { access_token: string; refresh_token: string; expires_in: number }): TokenSet => ({
  accessToken: p.access_token,
  refreshToken: p.refresh_token,
  expiresAt: new Date(Date.now() + p.expires_in * 1000),
})

describe('Bitrix24 auth', () => {
  it('OAuth: refreshes at the auth server named by server_endpoint and persists the rotated pair before using it', async () => {
    const emulator = portal('https://oauth.bitrix24.tech')
    const pair = emulator.issueTokens()
    const store = new MemoryTokenStore()
    const saved: string[] = []
    const origSet = store.set.bind(store)
    store.set = async (k, t) => (saved.push(t.accessToken), origSet(k, t))
    const crm = createCrm(
      bitrix24({ auth: { kind: 'oauth', clientId: emulator.oauth.clientId, clientSecret: emulator.oauth.clientSecret, clientEndpoint: pair.client_endpoint, serverEndpoint: pair.server_endpoint, memberId: pair.member_id, tokens: tokensOf(pair) } }),
      { tokenStore: store },
    )
    await crm.deals.get('5001')
    emulator.expireAccessTokens()
    await crm.deals.get('5002')
    expect(emulator.stats.refreshes).toBe(1)
    expect(emulator.log.some((r) => r.restMethod === 'oauth/token' && r.path === '/oauth/token/')).toBe(true)
    const stored = await store.get(`bitrix24:${pair.member_id}`)
    expect(stored!.accessToken).not.toBe(pair.access_token)
    expect(saved.at(-1)).toBe(stored!.accessToken)
    // The new token went on the wire in the query, not as a header.
    const last = emulator.log.at(-1)!
    expect(last.auth).toBe('oauth')
    await crm.close()
  })

  it('OAuth: a dead refresh token (invalid_grant) is an AuthError that says to re-authorise', async () => {
    const emulator = portal()
    const pair = emulator.issueTokens()
    const crm = createCrm(
      bitrix24({ auth: { kind: 'oauth', clientId: emulator.oauth.clientId, clientSecret: emulator.oauth.clientSecret, clientEndpoint: pair.client_endpoint, tokens: { ...tokensOf(pair), refreshToken: 'used-up' } } }),
    )
    emulator.expireAccessTokens()
    const err = await crm.deals.get('5001').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as AuthError).message).toMatch(/re-authorised or reinstalled/)
    expect((err as AuthError).message).not.toContain(emulator.oauth.clientSecret)
    await crm.close()
  })

  it('frame auth: AUTH_ID from the placement POST, one refresh through the callback for concurrent expiries, no client secret', async () => {
    const emulator = portal()
    const first = emulator.issueTokens()
    const auth = frameAuthFromPlacement(
      { AUTH_ID: first.access_token, AUTH_EXPIRES: '3600', REFRESH_ID: first.refresh_token, member_id: emulator.memberId },
      new URLSearchParams({ DOMAIN: new URL(emulator.baseUrl).host, PROTOCOL: '1' }),
    )
    expect(auth).toMatchObject({ kind: 'frame', domain: new URL(emulator.baseUrl).host, memberId: emulator.memberId, protocol: 'https' })
    let refreshes = 0
    const crm = createCrm(
      bitrix24({
        auth: {
          ...auth,
          refresh: async () => {
            refreshes++
            return { authId: emulator.issueTokens().access_token }
          },
        },
      }),
      { rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 } },
    )
    await crm.deals.get('5001')
    emulator.expireAccessTokens()
    const got = await Promise.all(['5001', '5002', '5003', '5004'].map((id) => crm.deals.get(id)))
    expect(got.map((d) => d.id)).toEqual(['5001', '5002', '5003', '5004'])
    expect(refreshes).toBe(1)
    await crm.close()
  })

  it('frame auth without a refresh callback: an expired AUTH_ID is an AuthError', async () => {
    const emulator = portal()
    const crm = createCrm(bitrix24({ auth: { kind: 'frame', authId: emulator.issueTokens().access_token, domain: new URL(emulator.baseUrl).host, memberId: emulator.memberId } }))
    emulator.expireAccessTokens()
    await expect(crm.deals.get('5001')).rejects.toBeInstanceOf(AuthError)
    await crm.close()
  })

  it('validates the webhook URL shape', () => {
    expect(() => bitrix24({ auth: { kind: 'webhook', url: 'https://portal.bitrix24.ru/rest/' } })).toThrow(TypeError)
    expect(bitrix24({ auth: { kind: 'webhook', url: 'https://portal.bitrix24.ru/rest/1/abc/profile.json' } }).baseURL).toBe('https://portal.bitrix24.ru/rest/1/abc/')
  })
})
