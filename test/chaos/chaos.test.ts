// The chaos mode itself: deterministic by seed, each CRM's real failure shapes, writes applied when
// their answer is lost (all three emulators); auth endpoints spared, options validated; and the
// client's handling of a truncated 2xx (retried when reading, outcome-unknown when writing).
import { getResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createCrm, UnexpectedResponseError, ValidationError, WriteOutcomeUnknownError } from '../../sdk/index.js'
import { serveHandlers } from '../../sdk/node/index.js'
import type { ChaosFault, ChaosOptions } from '../../sdk/testing/chaos.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { createAmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { setupAmoCrmEmulator } from '../../adapters/amocrm/testing/node.js'
import { rawTargets, type RawChaosEnv } from './harness.js'

const quick = (o: ChaosOptions): ChaosOptions => ({ slowMs: 0, timeoutMs: 0, ...o })

function amo(chaos: ChaosOptions) {
  const emulator = createAmoCrmEmulator({ seed: 5, size: { deals: 30, contacts: 5, companies: 1 }, rateLimit: false, chaos: quick(chaos) })
  const send = async (path: string, init: RequestInit = {}) => {
    const headers = { Authorization: `Bearer ${emulator.longLivedToken}`, 'Content-Type': 'application/json', ...init.headers }
    return (await getResponse(emulator.handlers, new Request(`${emulator.baseUrl}${path}`, { ...init, headers })))!
  }
  return { emulator, send }
}

/** What a client would see: a network error, or a status and whether a JSON body parses. */
async function seen(res: Response): Promise<string> {
  if (res.type === 'error') return 'network-error'
  const text = await res.text()
  if (!/json/.test(res.headers.get('content-type') ?? '')) return String(res.status)
  try {
    if (text) JSON.parse(text)
    return String(res.status)
  } catch {
    return `${res.status}:unparseable`
  }
}

/** A fault answer as the wire carries it; `text` is a substring of the body, `json` a subset of it. */
interface Shape {
  status: number
  type: RegExp
  retryAfter?: string | null
  server?: string
  text?: string
  json?: unknown
}

const nginxShape = (status: number, code: string): Shape => ({ status, type: /^text\/html/, server: 'nginx', retryAfter: null, text: `<center><h1>${code}</h1></center>` })
const iis503: Shape = { status: 503, type: /^text\/html/, server: 'Microsoft-HTTPAPI/2.0', text: '<p>HTTP Error 503. The service is unavailable.</p>' }

/** What each CRM's chaos-shapes.ts promises, per fault kind that answers without the real body. */
const SHAPES: Record<string, { '5xx': Shape[]; 'rate-limit': Shape; 'html-error': Shape; lostAnswer: Shape }> = {
  amoCRM: {
    // Both variants: the application's problem+json 500 and the gateway's 504 page.
    '5xx': [
      { status: 500, type: /^application\/problem\+json/, json: { status: 500, title: 'Internal Server Error' } },
      nginxShape(504, '504 Gateway Time-out'),
    ],
    // The gateway's 429: an HTML page without Retry-After.
    'rate-limit': nginxShape(429, '429 Too Many Requests'),
    'html-error': nginxShape(502, '502 Bad Gateway'),
    lostAnswer: nginxShape(504, '504 Gateway Time-out'),
  },
  Bitrix24: {
    '5xx': [{ status: 500, type: /^application\/json/, json: { error: 'INTERNAL_SERVER_ERROR' } }],
    'rate-limit': { status: 503, type: /^application\/json/, json: { error: 'QUERY_LIMIT_EXCEEDED' } },
    'html-error': nginxShape(502, '502 Bad Gateway'),
    lostAnswer: nginxShape(504, '504 Gateway Time-out'),
  },
  Creatio: {
    '5xx': [{ status: 500, type: /^application\/json/, json: { error: { code: '', message: 'An error has occurred.', innererror: { type: 'System.Data.SqlClient.SqlException' } } } }],
    // The WAF's 429, which does say when to come back.
    'rate-limit': { status: 429, type: /^text\/plain/, retryAfter: '1', text: 'Too many requests' },
    'html-error': iis503,
    lostAnswer: iis503,
  },
}

/** Index of the first shape in `shapes` that `res` has; fails naming what it was otherwise. */
async function shapeIndex(res: Response, shapes: Shape[]): Promise<number> {
  expect(res.type).not.toBe('error')
  const text = await res.text()
  const headers = { type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), server: res.headers.get('server') }
  const i = shapes.findIndex((s) => {
    if (res.status !== s.status || !s.type.test(headers.type)) return false
    if (s.retryAfter !== undefined && headers.retryAfter !== s.retryAfter) return false
    if (s.server !== undefined && headers.server !== s.server) return false
    if (s.text !== undefined && !text.includes(s.text)) return false
    if (s.json !== undefined) {
      try {
        expect(JSON.parse(text)).toMatchObject(s.json as object)
      } catch {
        return false
      }
    }
    return true
  })
  expect(i, `unexpected answer ${res.status} ${JSON.stringify(headers)}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(0)
  return i
}

const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now()
  const out = await f()
  return [out, performance.now() - t0]
}

for (const target of rawTargets) {
  const shapes = SHAPES[target.name]!
  /** Every fault of one kind, and the client-facing knobs short. */
  const only = (kind: ChaosFault, o: ChaosOptions = {}): RawChaosEnv => target.start(quick({ probabilities: { [kind]: 1 }, ...o }))

  describe(`chaos mode: ${target.name}`, () => {
    it('is deterministic: same seed and requests, same faults and data; another seed, other faults', async () => {
      const run = async (seed: number) => {
        const env = target.start(quick({ seed, rate: 0.5 }))
        const reads: string[] = []
        for (let i = 0; i < 60; i++) reads.push(await seen(await env.read(i)))
        const afterReads = structuredClone(env.chaos.stats)
        const writes: string[] = []
        for (let i = 0; i < 20; i++) writes.push(await seen(await env.write(`det-${i}`)))
        return { reads, afterReads, writes, stats: env.chaos.stats, titles: env.titles() }
      }
      const a = await run(1)
      const b = await run(1)
      const c = await run(2)
      expect(a.reads).toEqual(b.reads)
      expect(a.writes).toEqual(b.writes)
      expect(a.stats).toEqual(b.stats)
      // Same faults on the writes → the same of them applied.
      expect(a.titles).toEqual(b.titles)
      expect(c.reads).not.toEqual(a.reads)
      // The stats account for every fault the reads met.
      const faults = Object.values(a.afterReads.injected).reduce((x, y) => x + y, 0)
      expect(faults).toBeGreaterThan(10)
      expect(a.afterReads.requests).toBe(60)
      expect(a.reads.filter((s) => s === String(shapes['rate-limit'].status))).toHaveLength(a.afterReads.injected['rate-limit'])
      expect(a.reads.filter((s) => s.endsWith(':unparseable'))).toHaveLength(a.afterReads.injected['truncated-json'])
      expect(a.reads.filter((s) => s === 'network-error')).toHaveLength(a.afterReads.injected.drop)
      // Reads (GET) never get 'lost-write-response'; the writes did.
      expect(a.afterReads.injected['lost-write-response']).toBe(0)
      expect(a.stats.injected['lost-write-response']).toBeGreaterThan(0)
      expect(a.stats.requests).toBe(80)
    })

    it('lost-write-response applies the write, then loses the answer', async () => {
      const env = only('lost-write-response')
      const before = env.titles().length
      const answers: ('network-error' | number)[] = []
      for (let i = 0; i < 12; i++) {
        const res = await env.write(`lost-${i}`)
        answers.push(res.type === 'error' ? 'network-error' : await shapeIndex(res, [shapes.lostAnswer]))
      }
      // Every write landed, once.
      expect(env.titles()).toHaveLength(before + 12)
      for (let i = 0; i < 12; i++) expect(env.titles().filter((t) => t === `lost-${i}`)).toHaveLength(1)
      // Both ways of losing it occur: a reset connection and the CRM's own gateway answer.
      expect(new Set(answers)).toEqual(new Set(['network-error', 0]))
      expect(env.chaos.stats.injected['lost-write-response']).toBe(12)
      // Reads are never "lost writes": they pass untouched.
      expect((await env.read(0)).status).toBe(200)
      expect(env.chaos.stats.injected['lost-write-response']).toBe(12)
    })

    it('answers 5xx, rate-limit and HTML-error faults in the CRM\'s own shapes, applying nothing', async () => {
      for (const kind of ['5xx', 'rate-limit', 'html-error'] as const) {
        const expected = kind === '5xx' ? shapes['5xx'] : [shapes[kind]]
        const env = only(kind)
        const before = env.titles()
        const variants = new Set<number>()
        for (let i = 0; i < 12; i++) variants.add(await shapeIndex(await env.read(i), expected))
        for (let i = 0; i < 4; i++) variants.add(await shapeIndex(await env.write(`${kind}-${i}`), expected))
        expect(variants.size, `${kind}: every variant occurs`).toBe(expected.length)
        expect(env.chaos.stats.injected[kind]).toBe(16)
        // The application never saw these requests.
        expect(env.titles()).toEqual(before)
      }
    })

    it('drops the connection before the request reaches the CRM', async () => {
      const env = only('drop')
      const before = env.titles()
      expect((await env.read(0)).type).toBe('error')
      expect((await env.write('dropped')).type).toBe('error')
      expect(env.titles()).toEqual(before)
      expect(env.chaos.stats.injected.drop).toBe(2)
    })

    it('truncates JSON mid-body: a 200 whose body is a strict prefix of the real one and does not parse', async () => {
      const env = only('truncated-json')
      for (let i = 0; i < 5; i++) {
        env.chaos.enabled = false
        const whole = await env.read(i)
        const full = await whole.text()
        env.chaos.enabled = true
        const cut = await env.read(i)
        expect(cut.status).toBe(200)
        expect(cut.headers.get('content-type')).toBe(whole.headers.get('content-type'))
        const text = await cut.text()
        expect(text.length).toBeGreaterThan(0)
        expect(text.length).toBeLessThan(full.length)
        expect(full.startsWith(text)).toBe(true)
        expect(() => JSON.parse(text)).toThrow()
      }
      expect(env.chaos.stats.injected['truncated-json']).toBe(5)
      // A write's answer is cut too, after the write was applied.
      const res = await env.write('cut-answer')
      expect(await seen(res)).toMatch(/^20\d:unparseable$/)
      expect(env.titles().filter((t) => t === 'cut-answer')).toHaveLength(1)
    })

    it('slow and timed-out answers are the real answer, late; a timed-out write has landed', async () => {
      for (const [kind, ms] of [['slow', 60], ['timeout', 150]] as const) {
        const env = target.start({ probabilities: { [kind]: 1 }, slowMs: 60, timeoutMs: 150 })
        env.chaos.enabled = false
        const full = await (await env.read(1)).text()
        env.chaos.enabled = true
        const [res, took] = await timed(() => env.read(1))
        expect(res.status).toBe(200)
        expect(await res.text()).toBe(full)
        expect(took, `${kind} took ${took} ms`).toBeGreaterThanOrEqual(ms - 5)
        const [w, wTook] = await timed(() => env.write(`${kind}-write`))
        expect(w.status).toBeLessThan(300)
        expect(wTook).toBeGreaterThanOrEqual(ms - 5)
        expect(env.titles().filter((t) => t === `${kind}-write`)).toHaveLength(1)
        expect(env.chaos.stats.injected[kind]).toBe(2)
      }
    })
  })
}

describe('chaos mode', () => {
  it('spares login and token endpoints unless asked', async () => {
    const { emulator, send } = amo({ rate: 1 })
    const res = await send('/oauth2/access_token', { method: 'POST', body: JSON.stringify({ grant_type: 'refresh_token' }) })
    expect(res.status).toBe(401) // the emulator's own answer: wrong client credentials
    expect(emulator.chaos!.stats.requests).toBe(0)
  })

  it('rejects bad options with a ValidationError naming the field', () => {
    const bad = (chaos: ChaosOptions) => {
      try {
        createAmoCrmEmulator({ chaos })
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError)
        return (e as ValidationError).issues[0]!.path
      }
      throw new Error('accepted')
    }
    expect(bad({ rate: 2 })).toEqual(['chaos', 'rate'])
    expect(bad({ faults: ['5xx', 'nope' as never] })).toEqual(['chaos', 'faults', 1])
    expect(bad({ probabilities: { drop: 0.7, '5xx': 0.7 } })).toEqual(['chaos', 'probabilities'])
    expect(bad({ slowMs: -1 })).toEqual(['chaos', 'slowMs'])
  })

  it('a dropped connection over real HTTP is a reset socket, not an answer', async () => {
    const emulator = createAmoCrmEmulator({ seed: 5, rateLimit: false, chaos: { probabilities: { drop: 1 } } })
    const served = await serveHandlers(emulator.handlers, { rewriteOrigin: emulator.baseUrl })
    try {
      await expect(fetch(`${served.url}/api/v4/leads`, { headers: { Authorization: `Bearer ${emulator.longLivedToken}` } })).rejects.toThrow()
      expect(emulator.chaos!.stats.injected.drop).toBe(1)
    } finally {
      await served.close()
    }
  })

  it('a truncated 2xx is retried when reading and reported as outcome-unknown when writing', async () => {
    const { emulator, close } = setupAmoCrmEmulator({ seed: 5, size: { deals: 10, contacts: 2, companies: 1 }, rateLimit: false, chaos: { probabilities: { 'truncated-json': 1 } } })
    const crm = createCrm(amocrm({ baseUrl: emulator.baseUrl, auth: { kind: 'long-lived-token', token: emulator.longLivedToken }, currency: 'RUB' }), {
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    })
    try {
      // Fixtures (and whatever the client caches, e.g. field definitions) without chaos.
      emulator.chaos!.enabled = false
      await crm.deals.createMany([{ title: 'warm-up' }])
      emulator.chaos!.enabled = true

      const id = String(emulator.db.leads.rows[0]!.id)
      await expect(crm.deals.get(id)).rejects.toBeInstanceOf(UnexpectedResponseError)
      expect(emulator.log.filter((e) => e.path === `/api/v4/leads/${id}`)).toHaveLength(3) // first try + 2 retries

      const [outcome] = await crm.deals.createMany([{ title: 'cut-off answer' }])
      expect(outcome!.ok).toBe(false)
      expect(!outcome!.ok && outcome!.error).toBeInstanceOf(WriteOutcomeUnknownError)
      expect(emulator.db.leads.rows.filter((l) => l.name === 'cut-off answer')).toHaveLength(1) // applied once, not repeated
    } finally {
      await crm.close()
      close()
    }
  })
})
