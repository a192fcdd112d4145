import { describe, expect, it } from 'vitest'
import { portal } from './helpers.js'

describe('Bitrix24 emulator: auth', () => {
  it('rejects a wrong webhook code with 401 NO_AUTH_FOUND', async () => {
    const { call, emulator } = portal()
    const r = await call('profile', {}, `${emulator.baseUrl}/rest/1/wrong/`)
    expect(r.status).toBe(401)
    expect(r.body.error).toBe('NO_AUTH_FOUND')
  })

  it('accepts OAuth tokens in the query or the body, and tells expired from invalid', async () => {
    const { call, emulator } = portal()
    const pair = emulator.issueTokens()
    expect((await call(`profile?auth=${pair.access_token}`, {}, emulator.clientEndpoint)).status).toBe(200)
    expect((await call('profile', { auth: pair.access_token }, emulator.clientEndpoint)).status).toBe(200)
    const invalid = await call('profile', { auth: 'nope' }, emulator.clientEndpoint)
    expect([invalid.status, invalid.body.error]).toEqual([401, 'invalid_token'])
    emulator.expireAccessTokens()
    const expired = await call('profile', { auth: pair.access_token }, emulator.clientEndpoint)
    expect([expired.status, expired.body.error]).toEqual([401, 'expired_token'])
  })

  it('rotates the refresh token on the auth server (single use) and counts refreshes', async () => {
    const { emulator } = portal()
    const pair = emulator.issueTokens()
    const refresh = (token: string) =>
      fetch(`${emulator.serverEndpoint.replace(/rest\/$/, '')}oauth/token/?grant_type=refresh_token&client_id=${emulator.oauth.clientId}&client_secret=${emulator.oauth.clientSecret}&refresh_token=${token}`)
    const ok = await refresh(pair.refresh_token)
    const next = (await ok.json()) as { access_token: string; client_endpoint: string; server_endpoint: string; member_id: string }
    expect(ok.status).toBe(200)
    expect(next.client_endpoint).toBe(emulator.clientEndpoint)
    expect(next.member_id).toBe(emulator.memberId)
    const reused = await refresh(pair.refresh_token)
    expect(reused.status).toBe(400)
    expect(((await reused.json()) as { error: string }).error).toBe('invalid_grant')
    expect(emulator.stats.refreshes).toBe(1)
  })
})
