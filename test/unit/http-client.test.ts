import { http as mswHttp, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { classifyByStatus } from '../../sdk/classify.js'
import { HttpClient, type AuthStrategy } from '../../sdk/http.js'
import { AbortError, AuthError, NetworkError, RateLimitError, ServerError, UnexpectedResponseError, WriteOutcomeUnknownError, parseResponse } from '../../sdk/index.js'
import { RateLimiter } from '../../sdk/rate-limit.js'
import { z } from 'zod'

const base = 'https://crm.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

function client(auth: AuthStrategy = { authorize: async () => ({ headers: {} }) }, rps = 100) {
  return new HttpClient({
    crm: 'test',
    baseURL: base,
    auth,
    limiter: new RateLimiter({ requestsPerSecond: rps, maxConcurrent: 10 }),
    classify: (res) => classifyByStatus(res, 'test', null),
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 },
    rateLimitBackoffMs: 50,
    timeoutMs: 2_000,
  })
}

describe('HttpClient', () => {
  it('retries a read after 5xx and succeeds', async () => {
    let calls = 0
    server.use(mswHttp.get(`${base}/x`, () => (++calls < 3 ? new HttpResponse('oops', { status: 502 }) : HttpResponse.json({ ok: 1 }))))
    const res = await client().request({ method: 'GET', path: '/x', kind: 'read' })
    expect(res.data).toEqual({ ok: 1 })
    expect(calls).toBe(3)
  })

  it('gives up on reads after the retry budget with a typed error', async () => {
    let calls = 0
    server.use(mswHttp.get(`${base}/x`, () => (calls++, new HttpResponse(null, { status: 500 }))))
    await expect(client().request({ method: 'GET', path: '/x', kind: 'read' })).rejects.toBeInstanceOf(ServerError)
    expect(calls).toBe(4)
  })

  it('never repeats a write the server may have applied', async () => {
    let calls = 0
    server.use(mswHttp.post(`${base}/x`, () => (calls++, new HttpResponse(null, { status: 500 }))))
    await expect(client().request({ method: 'POST', path: '/x', body: [1], kind: 'write' })).rejects.toBeInstanceOf(WriteOutcomeUnknownError)
    expect(calls).toBe(1)
  })

  it('reports a write whose connection broke as outcome-unknown, once', async () => {
    let calls = 0
    server.use(mswHttp.post(`${base}/x`, () => (calls++, HttpResponse.error())))
    await expect(client().request({ method: 'POST', path: '/x', body: [1], kind: 'write' })).rejects.toBeInstanceOf(WriteOutcomeUnknownError)
    expect(calls).toBe(1)
  })

  it('retries a read whose connection broke', async () => {
    let calls = 0
    server.use(mswHttp.get(`${base}/x`, () => (++calls === 1 ? HttpResponse.error() : HttpResponse.json([]))))
    await expect(client().request({ method: 'GET', path: '/x', kind: 'read' })).resolves.toMatchObject({ status: 200 })
    expect(calls).toBe(2)
  })

  it('retries a write after 429 (not applied) and pauses the whole queue', async () => {
    const times: number[] = []
    server.use(
      mswHttp.post(`${base}/x`, () => {
        times.push(Date.now())
        return times.length === 1 ? new HttpResponse('<html>429</html>', { status: 429, headers: { 'Content-Type': 'text/html' } }) : HttpResponse.json({})
      }),
    )
    await client().request({ method: 'POST', path: '/x', body: {}, kind: 'write' })
    expect(times.length).toBe(2)
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(45)
  })

  it('honours Retry-After', async () => {
    const times: number[] = []
    server.use(
      mswHttp.get(`${base}/x`, () => {
        times.push(Date.now())
        return times.length === 1 ? new HttpResponse(null, { status: 503, headers: { 'Retry-After': '1' } }) : HttpResponse.json({})
      }),
    )
    await client().request({ method: 'GET', path: '/x', kind: 'read' })
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950)
  })

  it('stops retrying 429s after the budget with RateLimitError', async () => {
    server.use(mswHttp.get(`${base}/x`, () => new HttpResponse(null, { status: 429 })))
    await expect(client().request({ method: 'GET', path: '/x', kind: 'read' })).rejects.toBeInstanceOf(RateLimitError)
  }, 10_000)

  it('refreshes once on 401 and retries once; a second 401 is an AuthError', async () => {
    let token = 'old'
    let refreshes = 0
    const auth: AuthStrategy = {
      authorize: async () => ({ headers: { Authorization: `Bearer ${token}` }, credential: token }),
      handleUnauthorized: async () => {
        refreshes++
        token = 'new'
        return true
      },
    }
    server.use(mswHttp.get(`${base}/ok`, ({ request }) => (request.headers.get('authorization') === 'Bearer new' ? HttpResponse.json({}) : new HttpResponse(null, { status: 401 }))))
    await client(auth).request({ method: 'GET', path: '/ok', kind: 'read' })
    expect(refreshes).toBe(1)
    server.use(mswHttp.get(`${base}/never`, () => new HttpResponse(null, { status: 401 })))
    await expect(client(auth).request({ method: 'GET', path: '/never', kind: 'read' })).rejects.toBeInstanceOf(AuthError)
    expect(refreshes).toBe(2)
  })

  it('flags a truncated JSON body instead of throwing SyntaxError', async () => {
    // A 2xx cut off in transit: a read is retried, then fails typed; a write is never repeated.
    let calls = 0
    const cut = () => (calls++, new HttpResponse('{"_embedded":{"leads":[{"id":1', { headers: { 'Content-Type': 'application/hal+json' } }))
    server.use(mswHttp.get(`${base}/x`, cut), mswHttp.post(`${base}/x`, cut))
    await expect(client().request({ method: 'GET', path: '/x', kind: 'read' })).rejects.toBeInstanceOf(UnexpectedResponseError)
    expect(calls).toBe(4)
    calls = 0
    await expect(client().request({ method: 'POST', path: '/x', kind: 'write', body: {} })).rejects.toBeInstanceOf(WriteOutcomeUnknownError)
    expect(calls).toBe(1)
  })

  it('cancels a request in flight and during backoff', async () => {
    server.use(mswHttp.get(`${base}/slow`, async () => new Promise((r) => setTimeout(() => r(HttpResponse.json({})), 500))))
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 30)
    await expect(client().request({ method: 'GET', path: '/slow', kind: 'read', signal: ac.signal })).rejects.toBeInstanceOf(AbortError)
    server.use(mswHttp.get(`${base}/fail`, () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': '5' } })))
    const ac2 = new AbortController()
    setTimeout(() => ac2.abort(), 50)
    const started = Date.now()
    await expect(client().request({ method: 'GET', path: '/fail', kind: 'read', signal: ac2.signal })).rejects.toBeInstanceOf(AbortError)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('spaces request starts so no one-second window exceeds the limit', async () => {
    const times: number[] = []
    server.use(mswHttp.get(`${base}/x`, () => (times.push(Date.now()), HttpResponse.json({}))))
    const c = client(undefined, 10)
    await Promise.all(Array.from({ length: 25 }, () => c.request({ method: 'GET', path: '/x', kind: 'read' })))
    times.sort((a, b) => a - b)
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(1000)
  })

  it('classifies a refused connection as a retryable network error that was never sent', async () => {
    const c = new HttpClient({
      crm: 'test',
      baseURL: 'http://127.0.0.1:1',
      auth: { authorize: async () => ({ headers: {} }) },
      limiter: new RateLimiter({ requestsPerSecond: 100, maxConcurrent: 1 }),
      classify: (res) => classifyByStatus(res, 'test', null),
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
      rateLimitBackoffMs: 1,
      timeoutMs: 1000,
    })
    server.close()
    try {
      const err = await c.request({ method: 'POST', path: '/x', body: {}, kind: 'write' }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(NetworkError)
      expect((err as NetworkError).mayHaveApplied).toBe(false)
    } finally {
      server.listen({ onUnhandledRequest: 'error' })
    }
  })
})
