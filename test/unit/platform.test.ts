// Both platforms the SDK runs on honour one contract: the Node one (axios + bottleneck, via
// sdk/platform/index.ts) and the widget-bundle one (fetch + SpacingScheduler, via
// sdk/platform/browser.ts). Every case runs on both, against a real local HTTP server (not msw), so
// axios's http adapter and Node's fetch are exercised for real.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { classifyByStatus } from '../../sdk/classify.js'
import { CrmError, TimeoutError, WriteOutcomeUnknownError } from '../../sdk/errors.js'
import { HttpClient } from '../../sdk/http.js'
import { axiosTransport } from '../../sdk/platform/axios-transport.js'
import { bottleneckScheduler } from '../../sdk/platform/bottleneck-scheduler.js'
import { createScheduler as browserCreateScheduler } from '../../sdk/platform/browser.js'
import { fetchTransport } from '../../sdk/platform/fetch-transport.js'
import { SpacingScheduler } from '../../sdk/platform/spacing-scheduler.js'
import { RateLimiter, type RateLimitCluster, type SchedulerFactory } from '../../sdk/rate-limit.js'
import type { Scheduler, SchedulerSettings } from '../../sdk/scheduler.js'
import { TransportFailure, type Transport, type TransportRequest } from '../../sdk/transport.js'

// ---------------------------------------------------------------------------------------------
// The server: routes by pathname; every request is counted by its full URL (path + query), so
// each test uses its own `?t=` key and reads its own count.

const hits = new Map<string, number>()
const countOf = (url: string) => hits.get(new URL(url).pathname + new URL(url).search) ?? 0
let server: Server
let base = ''
let uniq = 0
/** A URL of this test's own, so its request count is not shared with any other test. */
const url = (path: string) => `${base}${path}?t=${++uniq}`

const COOKIE_EXPIRES = 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/; HttpOnly'

function handle(req: IncomingMessage, res: ServerResponse): void {
  const key = req.url ?? ''
  const n = (hits.get(key) ?? 0) + 1
  hits.set(key, n)
  const path = new URL(key, 'http://x').pathname
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8')
    switch (path) {
      case '/echo':
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Reply-Header': 'Yes', 'X-Multi': ['a', 'b'] })
        res.end(JSON.stringify({ method: req.method, headers: req.headers, body }))
        return
      case '/html500':
        res.writeHead(500, { 'Content-Type': 'text/html; charset=utf-8' })
        res.end('<html><body>Internal error</body></html>')
        return
      case '/empty':
        res.writeHead(204)
        res.end()
        return
      case '/cookies':
        res.writeHead(200, { 'Set-Cookie': ['a=1; Path=/', COOKIE_EXPIRES], 'Content-Type': 'text/plain' })
        res.end('ok')
        return
      case '/redirect':
        res.writeHead(302, { Location: '/target', 'Content-Type': 'text/plain' })
        res.end('moved')
        return
      case '/target':
        res.writeHead(200, { 'Content-Type': 'text/plain' })
        res.end('arrived')
        return
      case '/slow':
        setTimeout(() => {
          res.writeHead(200, { 'Content-Type': 'text/plain' })
          res.end('late')
        }, 80)
        return
      case '/midbody':
        // Headers and part of the body, then the connection drops.
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' })
        res.write('{"partial":')
        setTimeout(() => req.socket.destroy(), 20)
        return
      case '/hang':
        // Never answers; the client gives up (timeout, abort) or afterAll closes the connection.
        return
      case '/destroy':
        // Read the whole request, then drop the connection without a byte of answer.
        req.socket.destroy()
        return
      case '/flaky':
        // First attempt loses its connection, later ones succeed.
        if (n === 1) {
          req.socket.destroy()
          return
        }
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ ok: true, attempt: n }))
        return
      default:
        res.writeHead(404)
        res.end()
    }
  })
}

function listen(s: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port))
  })
}

function close(s: Server): Promise<void> {
  s.closeAllConnections()
  return new Promise((resolve, reject) => s.close((err) => (err ? reject(err) : resolve())))
}

/** A port that was just listened on and closed: nothing accepts connections there. */
let refusedPort = 0

beforeAll(async () => {
  server = createServer(handle)
  // Longer than any client's idle keep-alive, so the server never closes a socket a client is
  // about to reuse (that race would look like a spurious network failure).
  server.keepAliveTimeout = 30_000
  base = `http://127.0.0.1:${await listen(server)}`
  const probe = createServer()
  refusedPort = await listen(probe)
  await close(probe)
})

afterAll(async () => {
  await close(server)
})

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function failureOf(p: Promise<unknown>): Promise<TransportFailure> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TransportFailure)
  return err as TransportFailure
}

// ---------------------------------------------------------------------------------------------

interface TransportCase {
  name: string
  transport: Transport
  /** The one documented difference: what a 302 turns into. */
  redirects: 'returned' | 'followed'
}

const transports: TransportCase[] = [
  { name: 'axios (Node)', transport: axiosTransport, redirects: 'returned' },
  { name: 'fetch (widget bundles)', transport: fetchTransport, redirects: 'followed' },
]

describe.each(transports.map((t) => [t.name, t] as const))('%s transport', (_name, { transport, redirects }) => {
  const req = (u: string, extra: Partial<TransportRequest> = {}): TransportRequest => ({ method: 'GET', url: u, headers: {}, timeoutMs: 5_000, ...extra })

  it('passes method, headers and body through; returns status, lower-cased headers and the text', async () => {
    const body = JSON.stringify({ name: 'Deal', price: 10 })
    const res = await transport(
      req(url('/echo'), { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-Custom-Thing': 'abc 123' }, body }),
    )
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['x-reply-header']).toBe('Yes')
    expect(res.headers['x-multi']).toBe('a, b')
    expect(Object.keys(res.headers).every((k) => k === k.toLowerCase())).toBe(true)
    expect(res.setCookies).toEqual([])
    const echoed = JSON.parse(res.text) as { method: string; headers: Record<string, string>; body: string }
    expect(echoed.method).toBe('PATCH')
    expect(echoed.headers['x-custom-thing']).toBe('abc 123')
    expect(echoed.headers['content-type']).toBe('application/json')
    expect(echoed.body).toBe(body)

    const del = JSON.parse((await transport(req(url('/echo'), { method: 'DELETE' }))).text) as { method: string; body: string }
    expect(del).toMatchObject({ method: 'DELETE', body: '' })
  })

  it('returns a 500 text/html answer as an answer, with its text', async () => {
    const res = await transport(req(url('/html500')))
    expect(res.status).toBe(500)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.text).toBe('<html><body>Internal error</body></html>')
  })

  it('returns a 204 with an empty text', async () => {
    const res = await transport(req(url('/empty'), { method: 'DELETE' }))
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
  })

  it('returns every Set-Cookie separately, even one whose Expires date has a comma', async () => {
    const res = await transport(req(url('/cookies')))
    expect(res.status).toBe(200)
    expect(res.setCookies).toEqual(['a=1; Path=/', COOKIE_EXPIRES])
    // In `headers` it is joined like any repeated header (fetch's Headers yields it once per cookie).
    expect(res.headers['set-cookie']).toBe(`a=1; Path=/, ${COOKIE_EXPIRES}`)
  })

  if (redirects === 'returned') {
    it('returns a 302 as-is with its Location (axios: maxRedirects 0, so adapters classify redirects) — fetch follows instead', async () => {
      const u = url('/redirect')
      const res = await transport(req(u))
      expect(res.status).toBe(302)
      expect(res.headers['location']).toBe('/target')
      expect(res.text).toBe('moved')
      expect(countOf(`${base}/target`)).toBe(0)
    })
  } else {
    it('follows a 302 to its Location (fetch: a page cannot see redirects) — axios returns the 302 instead', async () => {
      const res = await transport(req(url('/redirect')))
      expect(res.status).toBe(200)
      expect(res.text).toBe('arrived')
    })
  }

  it("fails with kind 'timeout' when the server never answers within timeoutMs", async () => {
    const u = url('/hang')
    const started = Date.now()
    const failure = await failureOf(transport(req(u, { timeoutMs: 200 })))
    expect(failure.kind).toBe('timeout')
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
    expect(Date.now() - started).toBeLessThan(4_000)
    expect(countOf(u)).toBe(1)
  })

  it('treats timeoutMs 0 as no timeout (as axios does)', async () => {
    const res = await transport(req(url('/slow'), { timeoutMs: 0 }))
    expect(res.status).toBe(200)
    expect(res.text).toBe('late')
  })

  it("fails with kind 'aborted' when the signal fires mid-request", async () => {
    const u = url('/hang')
    const controller = new AbortController()
    const pending = failureOf(transport(req(u, { signal: controller.signal })))
    // Abort only once the server holds the request: it is really in flight.
    await vi.waitFor(() => expect(countOf(u)).toBe(1), { timeout: 3_000, interval: 10 })
    controller.abort()
    const failure = await pending
    expect(failure.kind).toBe('aborted')
  })

  it("fails with kind 'aborted' for an already-aborted signal, without reaching the server", async () => {
    const u = url('/echo')
    const failure = await failureOf(transport(req(u, { method: 'POST', body: '{}', signal: AbortSignal.abort() })))
    expect(failure.kind).toBe('aborted')
    await sleep(100)
    expect(countOf(u)).toBe(0)
  })

  it("fails with kind 'not-sent' and code ECONNREFUSED when the connection is refused", async () => {
    const failure = await failureOf(transport(req(`http://127.0.0.1:${refusedPort}/echo`, { method: 'POST', body: '{}' })))
    expect(failure.kind).toBe('not-sent')
    expect(failure.code).toBe('ECONNREFUSED')
  })

  it("fails with kind 'network' (not 'not-sent') when the server drops the connection after reading the request", async () => {
    const u = url('/destroy')
    const failure = await failureOf(transport(req(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' })))
    expect(failure.kind).toBe('network')
    expect(countOf(u)).toBe(1)
  })

  it("fails with kind 'network' when the connection drops in the middle of the body", async () => {
    const failure = await failureOf(transport(req(url('/midbody'))))
    expect(failure.kind).toBe('network')
  })

  describe('under HttpClient', () => {
    const client = (timeoutMs = 5_000) =>
      new HttpClient({
        crm: 'test',
        baseURL: base,
        auth: { authorize: async () => ({ headers: {} }) },
        limiter: new RateLimiter({ requestsPerSecond: 100, maxConcurrent: 10 }, 'test'),
        classify: (res) => classifyByStatus(res, 'test', null),
        retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 },
        rateLimitBackoffMs: 50,
        timeoutMs,
        transport,
      })
    const pathOf = (u: string) => u.slice(base.length)

    it('reports a write whose connection dropped as WriteOutcomeUnknownError and sends it once', async () => {
      const u = url('/destroy')
      const err = await client()
        .request({ method: 'POST', path: pathOf(u), body: { name: 'Deal' }, kind: 'write' })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(WriteOutcomeUnknownError)
      expect(countOf(u)).toBe(1)
    })

    it('retries a read whose connection dropped and succeeds on the second attempt', async () => {
      const u = url('/flaky')
      const res = await client().request({ method: 'GET', path: pathOf(u), kind: 'read' })
      expect(res.status).toBe(200)
      expect(res.data).toEqual({ ok: true, attempt: 2 })
      expect(countOf(u)).toBe(2)
    })

    it('gives TimeoutError on a read once the retries are spent', async () => {
      const u = url('/hang')
      const err = await client(200)
        .request({ method: 'GET', path: pathOf(u), kind: 'read' })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TimeoutError)
      expect((err as TimeoutError).code).toBe('timeout')
      expect(countOf(u)).toBe(3)
    })
  })
})

// ---------------------------------------------------------------------------------------------

const schedulers: { name: string; factory: SchedulerFactory }[] = [
  { name: 'bottleneckScheduler (Node)', factory: (s, cluster) => bottleneckScheduler(s, cluster) },
  { name: 'SpacingScheduler (widget bundles)', factory: (s) => new SpacingScheduler(s) },
]

/** Below which a measured gap counts as a violation: timers fire late, never early, but ms rounding. */
const SLACK_MS = 5

describe.each(schedulers.map((s) => [s.name, s] as const))('%s', (_name, { factory }) => {
  const make = (s: SchedulerSettings): Scheduler => factory(s)

  it('starts jobs at least minTime apart', async () => {
    const scheduler = make({ maxConcurrent: 5, minTime: 60 })
    const starts: number[] = []
    await Promise.all(Array.from({ length: 5 }, () => scheduler.schedule(async () => void starts.push(Date.now()))))
    expect(starts).toHaveLength(5)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(60 - SLACK_MS)
    await scheduler.stop()
  })

  it('never has more than maxConcurrent jobs in flight', async () => {
    const scheduler = make({ maxConcurrent: 2, minTime: 0 })
    let inFlight = 0
    let peak = 0
    await Promise.all(
      Array.from({ length: 8 }, () =>
        scheduler.schedule(async () => {
          peak = Math.max(peak, ++inFlight)
          await sleep(20)
          inFlight--
        }),
      ),
    )
    // Exactly 2: the limit is used, and never exceeded.
    expect(peak).toBe(2)
    await scheduler.stop()
  })

  it('applies a smaller maxConcurrent (and a longer minTime) to later jobs', async () => {
    const scheduler = make({ maxConcurrent: 3, minTime: 0 })
    let inFlight = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const first = Array.from({ length: 3 }, () =>
      scheduler.schedule(async () => {
        inFlight++
        await gate
        inFlight--
      }),
    )
    await vi.waitFor(() => expect(inFlight).toBe(3), { timeout: 2_000, interval: 5 })
    scheduler.updateSettings({ maxConcurrent: 1, minTime: 40 })
    const seen: number[] = []
    const starts: number[] = []
    const later = Array.from({ length: 4 }, () =>
      scheduler.schedule(async () => {
        seen.push(++inFlight)
        starts.push(Date.now())
        await sleep(5)
        inFlight--
      }),
    )
    release()
    await Promise.all([...first, ...later])
    expect(seen).toEqual([1, 1, 1, 1])
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(40 - SLACK_MS)
    await scheduler.stop()
  })

  it('applies a smaller minTime to later jobs', async () => {
    const scheduler = make({ maxConcurrent: 1, minTime: 300 })
    const starts: number[] = []
    const jobs = Array.from({ length: 4 }, (_, i) =>
      scheduler.schedule(async () => {
        starts.push(Date.now())
        if (i === 0) scheduler.updateSettings({ maxConcurrent: 1, minTime: 20 })
      }),
    )
    await Promise.all(jobs)
    // The gap already scheduled when the settings changed may keep the old spacing; the ones after
    // it use the new one (300 ms each if the update were ignored).
    expect(starts[2]! - starts[1]!).toBeLessThan(200)
    expect(starts[3]! - starts[2]!).toBeLessThan(200)
    expect(starts[3]! - starts[2]!).toBeGreaterThanOrEqual(20 - SLACK_MS)
    await scheduler.stop()
  })

  it('rejects only the promise of a job that throws; the queue goes on', async () => {
    const scheduler = make({ maxConcurrent: 1, minTime: 0 })
    const boom = new Error('boom')
    const ran: number[] = []
    const results = await Promise.allSettled([
      scheduler.schedule(async () => (ran.push(1), 1)),
      scheduler.schedule(async () => {
        ran.push(2)
        throw boom
      }),
      scheduler.schedule(async () => (ran.push(3), 3)),
    ])
    expect(results).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: boom },
      { status: 'fulfilled', value: 3 },
    ])
    expect(ran).toEqual([1, 2, 3])
    // And it still takes new work afterwards.
    await expect(scheduler.schedule(async () => 'after')).resolves.toBe('after')
    await scheduler.stop()
  })

  it('stop() lets queued jobs finish and resolves after them; a job scheduled after stop() rejects', async () => {
    const scheduler = make({ maxConcurrent: 1, minTime: 30 })
    const done: number[] = []
    const jobs = [1, 2, 3].map((n) =>
      scheduler.schedule(async () => {
        await sleep(10)
        done.push(n)
        return n
      }),
    )
    // Let the scheduler take the jobs in (bottleneck queues asynchronously).
    await sleep(0)
    const stopped = scheduler.stop().then(() => [...done])
    await expect(scheduler.schedule(async () => 'late')).rejects.toThrow(/stopped/i)
    expect(await stopped).toEqual([1, 2, 3])
    await expect(Promise.all(jobs)).resolves.toEqual([1, 2, 3])
    await expect(scheduler.schedule(async () => 'later still')).rejects.toThrow(/stopped/i)
  })

  it("under a RateLimiter: run() after stop() rejects with CrmError code 'closed'", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 50, maxConcurrent: 2 }, 'amocrm', factory)
    await expect(limiter.run(async () => 'ok', async () => {})).resolves.toBe('ok')
    await limiter.stop()
    const send = vi.fn(async () => 'sent')
    const err = await limiter.run(send, async () => {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CrmError)
    expect(err).toMatchObject({ code: 'closed', crm: 'amocrm' })
    expect(send).not.toHaveBeenCalled()
  })

  it("under a RateLimiter: a request waiting out a 429 cooldown when the client closes rejects 'closed', never sent", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 50, maxConcurrent: 2 }, 'amocrm', factory)
    limiter.noteRateLimited(300, 300)
    const send = vi.fn(async () => 'sent')
    const pending = limiter.run(send, (ms) => sleep(ms)).catch((e: unknown) => e)
    await sleep(50)
    await limiter.stop()
    const err = await pending
    expect(err).toBeInstanceOf(CrmError)
    expect(err).toMatchObject({ code: 'closed', crm: 'amocrm' })
    expect(send).not.toHaveBeenCalled()
  })
})

describe.each(schedulers.map((s) => [s.name, s] as const))('%s with a frozen Date (a test clock, a kiosk page)', (_name, { factory }) => {
  it('keeps starting jobs, spaced, and ends a 429 cooldown: spacing runs on the monotonic clock', async () => {
    const frozen = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 2, 10, 9))
    try {
      const limiter = new RateLimiter({ requestsPerSecond: 20, maxConcurrent: 1 }, 'amocrm', factory)
      const started: number[] = []
      const run = () => limiter.run(async () => started.push(performance.now()), (ms) => sleep(ms))
      await Promise.all([run(), run(), run()])
      limiter.noteRateLimited(100, 100)
      await run()
      expect(started).toHaveLength(4)
      for (let i = 1; i < 3; i++) expect(started[i]! - started[i - 1]!).toBeGreaterThanOrEqual(45)
      expect(started[3]! - started[2]!).toBeGreaterThanOrEqual(95)
      await limiter.stop()
    } finally {
      frozen.mockRestore()
    }
  }, 10_000)
})

describe('browser platform createScheduler', () => {
  it('builds a SpacingScheduler without a cluster', () => {
    expect(browserCreateScheduler({ maxConcurrent: 1, minTime: 10 })).toBeInstanceOf(SpacingScheduler)
  })

  it('throws a CrmError when given a cluster (a page cannot reach Redis)', () => {
    const cluster: RateLimitCluster = { id: 'acct-1', datastore: 'ioredis', connection: {} as RateLimitCluster['connection'] }
    expect(() => browserCreateScheduler({ maxConcurrent: 1, minTime: 10 }, cluster)).toThrow(CrmError)
    expect(() => browserCreateScheduler({ maxConcurrent: 1, minTime: 10 }, cluster)).toThrow(expect.objectContaining({ code: 'unsupported' }))
  })
})
