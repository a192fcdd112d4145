import { http as mswHttp, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { classifyByStatus } from '../../sdk/classify.js'
import { HttpClient, type AuthStrategy } from '../../sdk/http.js'
import { AuthError } from '../../sdk/index.js'
import { RateLimiter } from '../../sdk/rate-limit.js'

const base = 'https://crm.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

function client(auth: AuthStrategy) {
  return new HttpClient({
    crm: 'test',
    baseURL: base,
    auth,
    limiter: new RateLimiter({ requestsPerSecond: 100, maxConcurrent: 10 }),
    classify: (res) => classifyByStatus(res, 'test', null),
    retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 },
    rateLimitBackoffMs: 50,
    timeoutMs: 2_000,
  })
}

describe('Authorization.query (credentials as query parameters)', () => {
  it('appends the credential to the URL, after the request query', async () => {
    const seen: string[] = []
    server.use(mswHttp.post(`${base}/m`, ({ request }) => (seen.push(new URL(request.url).search), HttpResponse.json({ ok: 1 }))))
    await client({ authorize: async () => ({ headers: {}, query: 'auth=t%2B1' }) }).request({ method: 'POST', path: '/m', query: 'a=1', body: {}, kind: 'read' })
    await client({ authorize: async () => ({ headers: {}, query: 'auth=t2' }) }).request({ method: 'POST', path: '/m', body: {}, kind: 'read' })
    expect(seen).toEqual(['?a=1&auth=t%2B1', '?auth=t2'])
  })

  it('takes the credential at send time, so a retry after refresh carries the new one, and keeps it out of errors', async () => {
    const seen: (string | null)[] = []
    server.use(
      mswHttp.post(`${base}/m`, ({ request }) => {
        const token = new URL(request.url).searchParams.get('auth')
        seen.push(token)
        return token === 'fresh' ? HttpResponse.json({ ok: 1 }) : new HttpResponse(null, { status: 401 })
      }),
    )
    let token = 'stale-secret'
    const auth: AuthStrategy = {
      authorize: async () => ({ headers: {}, query: `auth=${token}`, credential: token }),
      handleUnauthorized: async () => ((token = 'fresh'), true),
    }
    const res = await client(auth).request({ method: 'POST', path: '/m', body: {}, kind: 'read' })
    expect(res.data).toEqual({ ok: 1 })
    expect(seen).toEqual(['stale-secret', 'fresh'])

    token = 'revoked-secret'
    const err = await client({ authorize: async () => ({ headers: {}, query: `auth=${token}` }) })
      .request({ method: 'POST', path: '/m', body: {}, kind: 'read' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthError)
    expect(String((err as Error).message)).not.toContain('revoked-secret')
  })
})
