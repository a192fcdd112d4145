import { describe, expect, it } from 'vitest'
import type { AmoCrmEmulator } from '../../../adapters/amocrm/testing/index.js'
import { api, manualClock, startEmulator, useMswServer } from './helpers.js'

useMswServer()

function token(emu: AmoCrmEmulator, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${emu.baseUrl}/oauth2/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: emu.oauth.clientId, client_secret: emu.oauth.clientSecret, redirect_uri: emu.oauth.redirectUri, ...body }),
  })
}

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'))

describe('API authentication', () => {
  it('answers 401 problem json without credentials or with an unknown token', async () => {
    const emu = startEmulator()
    for (const res of [await api(emu, '/leads', { token: null }), await api(emu, '/leads', { token: 'nope' })]) {
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      const body = await res.json()
      expect(Object.keys(body)).toEqual(['title', 'type', 'status', 'detail'])
      expect(body).toMatchObject({ title: 'Unauthorized', type: 'https://httpstatus.es/401', status: 401 })
    }
    expect(emu.log.map((e) => [e.status, e.auth])).toEqual([[401, 'none'], [401, 'bearer']])
  })

  it('accepts the seeded long-lived token, which looks like a JWT', async () => {
    const emu = startEmulator()
    expect((await api(emu, '/account')).status).toBe(200)
    const claims = decode(emu.longLivedToken)
    expect(claims).toMatchObject({ account_id: emu.db.account.id, sub: String(emu.db.adminUser().id) })
    expect(claims.exp - claims.iat).toBeGreaterThan(365 * 86_400)
    expect(emu.log[0]!.auth).toBe('bearer')
  })

  it('accepts the browser session cookie of a same-origin widget call (no token)', async () => {
    const emu = startEmulator()
    const ok = await api(emu, '/leads/pipelines', { token: null, headers: { Cookie: `session_id=${emu.sessionId}` } })
    expect(ok.status).toBe(200)
    const me = await (await api(emu, '/account', { token: null, headers: { Cookie: `other=1; session_id=${emu.sessionId}` } })).json()
    expect(me.current_user_id).toBe(emu.db.adminUser().id)
    const wrong = await api(emu, '/leads/pipelines', { token: null, headers: { Cookie: 'session_id=stolen' } })
    expect(wrong.status).toBe(401)
    expect(emu.log.map((e) => e.auth)).toEqual(['session', 'session', 'session'])
  })
})

describe('OAuth 2.0', () => {
  it('exchanges an authorization code once for a Bearer pair that works', async () => {
    const emu = startEmulator({ accessTokenTtlSec: 3600 })
    const code = emu.issueAuthorizationCode()
    const res = await token(emu, { grant_type: 'authorization_code', code })
    expect(res.status).toBe(200)
    const pair = await res.json()
    expect(Object.keys(pair).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type'])
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 3600 })
    const claims = decode(pair.access_token)
    expect(claims.exp - claims.iat).toBe(3600)
    expect(claims).toMatchObject({ account_id: emu.db.account.id, aud: emu.oauth.clientId })
    expect(typeof claims.jti).toBe('string')
    expect((await api(emu, '/account', { token: pair.access_token })).status).toBe(200)

    const again = await token(emu, { grant_type: 'authorization_code', code })
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ hint: 'Authorization code has been revoked', type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson' })
  })

  it('rotates refresh tokens: the old one is rejected with "Token has been revoked"', async () => {
    const emu = startEmulator()
    const first = emu.issueTokens()
    const res = await token(emu, { grant_type: 'refresh_token', refresh_token: first.refresh_token })
    expect(res.status).toBe(200)
    const second = await res.json()
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.access_token).not.toBe(first.access_token)
    expect(emu.stats.refreshes).toBe(1)
    expect((await api(emu, '/account', { token: second.access_token })).status).toBe(200)

    const reused = await token(emu, { grant_type: 'refresh_token', refresh_token: first.refresh_token })
    expect(reused.status).toBe(401)
    expect(reused.headers.get('content-type')).toBe('application/problem+json')
    expect(await reused.json()).toEqual({
      hint: 'Token has been revoked',
      title: 'Некорректный запрос',
      type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
      status: 401,
      detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
    })
    expect(emu.stats.refreshes).toBe(1)
    // the new refresh token still works exactly once
    expect((await token(emu, { grant_type: 'refresh_token', refresh_token: second.refresh_token })).status).toBe(200)
    expect(emu.stats.refreshes).toBe(2)
  })

  it('rejects a wrong client_secret with 401 problem json', async () => {
    const emu = startEmulator()
    const { refresh_token } = emu.issueTokens()
    const res = await token(emu, { grant_type: 'refresh_token', refresh_token, client_secret: 'wrong' })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect((await res.json()).status).toBe(401)
    expect(emu.stats.refreshes).toBe(0)
  })

  it('expires access tokens after their TTL on the emulator clock; refresh restores access', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now, accessTokenTtlSec: 60 })
    const pair = emu.issueTokens()
    expect((await api(emu, '/account', { token: pair.access_token })).status).toBe(200)
    clock.advance(59_000)
    expect((await api(emu, '/account', { token: pair.access_token })).status).toBe(200)
    clock.advance(1_000)
    const expired = await api(emu, '/account', { token: pair.access_token })
    expect(expired.status).toBe(401)
    expect((await expired.json()).title).toBe('Unauthorized')
    const fresh = await (await token(emu, { grant_type: 'refresh_token', refresh_token: pair.refresh_token })).json()
    expect((await api(emu, '/account', { token: fresh.access_token })).status).toBe(200)
    // the long-lived token is unaffected by time
    expect((await api(emu, '/account')).status).toBe(200)
  })

  it('expireAccessTokens() invalidates OAuth access tokens only', async () => {
    const emu = startEmulator()
    const pair = emu.issueTokens()
    emu.expireAccessTokens()
    expect((await api(emu, '/account', { token: pair.access_token })).status).toBe(401)
    expect((await api(emu, '/account')).status).toBe(200)
  })

  it('authorization codes expire after 20 minutes', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now })
    const code = emu.issueAuthorizationCode()
    clock.advance(20 * 60_000 + 1)
    const res = await token(emu, { grant_type: 'authorization_code', code })
    expect(res.status).toBe(400)
    expect((await res.json()).hint).toBe('Authorization code has expired')
  })
})
