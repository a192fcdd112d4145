import { describe, expect, it } from 'vitest'
import { NGINX_429_HTML, type AmoCrmEmulator } from '../../../adapters/amocrm/testing/index.js'
import { api, manualClock, startEmulator, useMswServer } from './helpers.js'

useMswServer()

const statuses = async (emu: AmoCrmEmulator, n: number, path = '/account') => {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await api(emu, path)).status)
  return out
}

describe('rate limit (7 requests/s per integration)', () => {
  it('answers the 8th request in a second with an nginx HTML 429 and no Retry-After', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now, rateLimit: {} })
    expect(await statuses(emu, 7)).toEqual([200, 200, 200, 200, 200, 200, 200])
    const res = await api(emu, '/account')
    expect(res.status).toBe(429)
    expect(res.headers.get('content-type')).toBe('text/html')
    expect(res.headers.get('retry-after')).toBeNull()
    const html = await res.text()
    expect(html).toBe(NGINX_429_HTML)
    expect(html).toContain('<center><h1>429 Too Many Requests</h1></center>')
    expect(emu.stats.rateLimited).toBe(1)
    clock.advance(1000)
    expect((await api(emu, '/account')).status).toBe(200)
  })

  it('uses a sliding window, and rejected requests do not count', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now, rateLimit: { perSecond: 7 } })
    expect(await statuses(emu, 4)).toEqual([200, 200, 200, 200])
    clock.advance(600)
    expect(await statuses(emu, 5)).toEqual([200, 200, 200, 429, 429])
    clock.advance(400) // t=1000: the 4 from t=0 have left the window, the 2 rejected never entered
    expect(await statuses(emu, 5)).toEqual([200, 200, 200, 200, 429])
  })

  it('lets exactly 7 of 10 concurrent real-time requests through', async () => {
    const emu = startEmulator({ rateLimit: {} })
    const results = await Promise.all(Array.from({ length: 10 }, () => api(emu, '/leads?limit=1').then((r) => r.status)))
    expect(results.filter((s) => s === 200)).toHaveLength(7)
    expect(results.filter((s) => s === 429)).toHaveLength(3)
    // the log lets tests check that no 1-second window holds more than 7 accepted requests
    const accepted = emu.log.filter((e) => e.status === 200).map((e) => e.time)
    for (const t of accepted) expect(accepted.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(7)
  })

  it('limits each caller separately (integration vs. widget session) and honours perSecond', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now, rateLimit: { perSecond: 2 } })
    expect(await statuses(emu, 3)).toEqual([200, 200, 429])
    const session = await api(emu, '/account', { token: null, headers: { Cookie: `session_id=${emu.sessionId}` } })
    expect(session.status).toBe(200)
  })

  it('can be disabled', async () => {
    const emu = startEmulator({ rateLimit: false })
    expect(new Set(await statuses(emu, 30))).toEqual(new Set([200]))
    expect(emu.isBlocked).toBe(false)
  })

  it('does not limit the OAuth endpoint', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now, rateLimit: { perSecond: 1 } })
    const codes = Array.from({ length: 3 }, () => emu.issueAuthorizationCode())
    for (const code of codes) {
      const res = await fetch(`${emu.baseUrl}/oauth2/access_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_id: emu.oauth.clientId, client_secret: emu.oauth.clientSecret, grant_type: 'authorization_code', code, redirect_uri: emu.oauth.redirectUri }),
      })
      expect(res.status).toBe(200)
    }
  })
})

describe('account block after repeated 429s', () => {
  it('blocks every /api/v4 call with nginx 403 after more than blockAfter429 429s in 60 s, until unblock()', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now, rateLimit: { perSecond: 1, blockAfter429: 20 } })
    expect((await api(emu, '/account')).status).toBe(200)
    for (let i = 0; i < 20; i++) {
      clock.advance(100)
      expect((await api(emu, '/account')).status).toBe(i % 10 === 9 ? 200 : 429)
    }
    expect(emu.stats.rateLimited).toBe(18)
    expect(emu.isBlocked).toBe(false)
    // 60 s later the old 429s are forgotten; 21 fresh ones within a minute block the account
    clock.advance(61_000)
    expect((await api(emu, '/account')).status).toBe(200)
    for (let i = 0; i < 21; i++) expect((await api(emu, '/account')).status).toBe(429)
    expect(emu.isBlocked).toBe(true)

    clock.advance(5_000)
    for (const res of [await api(emu, '/leads'), await api(emu, '/leads', { token: null }), await api(emu, '/account', { token: null, headers: { Cookie: `session_id=${emu.sessionId}` } })]) {
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toBe('text/html')
      expect(await res.text()).toContain('403 Forbidden')
    }
    emu.unblock()
    expect(emu.isBlocked).toBe(false)
    expect((await api(emu, '/account')).status).toBe(200)
  })
})

describe('latency and the request log', () => {
  it('delays every response by latencyMs, logging the arrival time', async () => {
    const emu = startEmulator({ latencyMs: 120 })
    const started = Date.now()
    const res = await api(emu, '/leads?limit=1&with=contacts')
    const answeredAt = Date.now()
    expect(res.status).toBe(200)
    expect(answeredAt - started).toBeGreaterThanOrEqual(115)
    expect(emu.log).toEqual([{ time: expect.any(Number), method: 'GET', path: '/api/v4/leads', search: '?limit=1&with=contacts', status: 200, auth: 'bearer' }])
    // Logged on arrival, i.e. a full latency before the answer.
    expect(answeredAt - emu.log[0]!.time).toBeGreaterThanOrEqual(115)
  })

  it('jitters latency within {min, max}', async () => {
    const emu = startEmulator({ latencyMs: { min: 40, max: 90 } })
    for (let i = 0; i < 4; i++) {
      const started = performance.now()
      await api(emu, '/account')
      const elapsed = performance.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(38)
    }
  })

  it('reset() re-seeds and clears log, stats and the block', async () => {
    const clock = manualClock()
    const emu = startEmulator({ now: clock.now, rateLimit: { perSecond: 1, blockAfter429: 0 } })
    const token = emu.longLivedToken
    await api(emu, '/leads', { method: 'POST', json: [{ name: 'temp' }] })
    await api(emu, '/account')
    expect(emu.isBlocked).toBe(true)
    emu.reset()
    expect([emu.isBlocked, emu.log.length, emu.stats.rateLimited, emu.db.leads.size, emu.longLivedToken]).toEqual([false, 0, 0, 300, token])
    expect((await api(emu, '/account')).status).toBe(200)
  })
})
