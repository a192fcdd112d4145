// Unit tests of generic core hooks (first needed by Creatio): `classifySuccess` (failures
// disguised as 2xx), `idempotent` writes (retried like reads) and `AuthStrategy.prepare` (login
// before taking a limiter slot).
import { http as mswHttp, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { classifyByStatus } from '../../sdk/classify.js'
import { HttpClient, type AuthStrategy, type SuccessClassifier } from '../../sdk/http.js'
import { AuthError, WriteOutcomeUnknownError } from '../../sdk/index.js'
import { RateLimiter } from '../../sdk/rate-limit.js'

const base = 'https://hooks.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

function client(auth: AuthStrategy, classifySuccess?: SuccessClassifier) {
  return new HttpClient({
    crm: 'test',
    baseURL: base,
    auth,
    limiter: new RateLimiter({ requestsPerSecond: 100, maxConcurrent: 10 }),
    classify: (res) => classifyByStatus(res, 'test', null),
    ...(classifySuccess ? { classifySuccess } : {}),
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 },
    rateLimitBackoffMs: 50,
    timeoutMs: 2_000,
  })
}
const htmlIsExpired: SuccessClassifier = (res) =>
  /text\/html/.test(res.headers['content-type'] ?? '') ? { error: new AuthError('login page', { crm: 'test', status: res.status }), notApplied: true } : null

describe('core hooks', () => {
  it('classifySuccess turns a 200 login page into an auth failure that refreshes once and retries', async () => {
    let calls = 0
    let refreshes = 0
    server.use(mswHttp.get(`${base}/x`, () => (++calls === 1 ? new HttpResponse('<html>login</html>', { headers: { 'Content-Type': 'text/html' } }) : HttpResponse.json({ ok: 1 }))))
    const auth: AuthStrategy = { authorize: async () => ({ headers: {}, credential: String(refreshes) }), handleUnauthorized: async () => (refreshes++, true) }
    const res = await client(auth, htmlIsExpired).request({ method: 'GET', path: '/x', kind: 'read' })
    expect(res.data).toEqual({ ok: 1 })
    expect([calls, refreshes]).toEqual([2, 1])
  })

  it('classifySuccess: a second login page after the refresh is an AuthError', async () => {
    server.use(mswHttp.get(`${base}/x`, () => new HttpResponse('<html>login</html>', { headers: { 'Content-Type': 'text/html' } })))
    const auth: AuthStrategy = { authorize: async () => ({ headers: {} }), handleUnauthorized: async () => true }
    await expect(client(auth, htmlIsExpired).request({ method: 'GET', path: '/x', kind: 'read' })).rejects.toBeInstanceOf(AuthError)
  })

  it('retries an idempotent write after a 5xx, but never a plain one', async () => {
    let calls = 0
    server.use(mswHttp.post(`${base}/x`, () => (++calls < 3 ? new HttpResponse(null, { status: 502 }) : HttpResponse.json({ ok: 1 }, { status: 201 }))))
    const auth: AuthStrategy = { authorize: async () => ({ headers: {} }) }
    const res = await client(auth).request({ method: 'POST', path: '/x', body: {}, kind: 'write', idempotent: true })
    expect([res.status, calls]).toEqual([201, 3])
    calls = 0
    await expect(client(auth).request({ method: 'POST', path: '/x', body: {}, kind: 'write' })).rejects.toBeInstanceOf(WriteOutcomeUnknownError)
    expect(calls).toBe(1)
  })

  it('calls prepare before each attempt, outside the limiter slot', async () => {
    const order: string[] = []
    server.use(mswHttp.get(`${base}/x`, () => (order.push('send'), HttpResponse.json({}))))
    const auth: AuthStrategy = { prepare: async () => void order.push('prepare'), authorize: async () => (order.push('authorize'), { headers: {} }) }
    await client(auth).request({ method: 'GET', path: '/x', kind: 'read' })
    expect(order).toEqual(['prepare', 'authorize', 'send'])
  })
})
