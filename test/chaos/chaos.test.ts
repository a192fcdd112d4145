// The chaos mode itself: deterministic by seed, each CRM's real failure shapes, writes applied when
// their answer is lost, auth endpoints spared, options validated; and the client's handling of a
// truncated 2xx (retried when reading, outcome-unknown when writing).
import { getResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createCrm, UnexpectedResponseError, ValidationError, WriteOutcomeUnknownError } from '../../sdk/index.js'
import { serveHandlers } from '../../sdk/node/index.js'
import type { ChaosOptions } from '../../sdk/testing/chaos.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { createAmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { setupAmoCrmEmulator } from '../../adapters/amocrm/testing/node.js'
import { createBitrix24Emulator } from '../../adapters/bitrix24/testing/index.js'
import { createCreatioEmulator } from '../../adapters/creatio/testing/index.js'

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

describe('chaos mode', () => {
  it('is deterministic: same seed and requests, same faults; another seed, other faults', async () => {
    const run = async (seed: number) => {
      const { emulator, send } = amo({ seed, rate: 0.5 })
      const out: string[] = []
      for (let i = 0; i < 60; i++) out.push(await seen(await send(`/api/v4/leads?limit=5&page=${(i % 5) + 1}`)))
      return { out, stats: emulator.chaos!.stats }
    }
    const a = await run(1)
    const b = await run(1)
    const c = await run(2)
    expect(a.out).toEqual(b.out)
    expect(a.stats).toEqual(b.stats)
    expect(c.out).not.toEqual(a.out)
    // The stats account for every fault the client saw.
    const faults = Object.values(a.stats.injected).reduce((x, y) => x + y, 0)
    expect(faults).toBeGreaterThan(10)
    expect(a.stats.requests).toBe(60)
    expect(a.out.filter((s) => s === '429')).toHaveLength(a.stats.injected['rate-limit'])
    expect(a.out.filter((s) => s.endsWith(':unparseable'))).toHaveLength(a.stats.injected['truncated-json'])
    expect(a.out.filter((s) => s === 'network-error')).toHaveLength(a.stats.injected.drop)
    // Reads never get 'lost-write-response'.
    expect(a.stats.injected['lost-write-response']).toBe(0)
  })

  it('answers in each CRM\'s own shapes', async () => {
    const a = amo({ probabilities: { 'rate-limit': 1 } })
    const r429 = await a.send('/api/v4/leads')
    expect(r429.status).toBe(429)
    expect(r429.headers.get('retry-after')).toBeNull()
    expect(await r429.text()).toContain('<center><h1>429 Too Many Requests</h1></center>')

    const b24 = createBitrix24Emulator({ seed: 5, rateLimit: false, chaos: { probabilities: { 'rate-limit': 0.5, '5xx': 0.5 } } })
    const b24Answers = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const res = (await getResponse(b24.handlers, new Request(`${b24.webhookUrl}crm.item.list`, { method: 'POST', body: '{}' })))!
      b24Answers.add(`${res.status} ${(await res.json()).error}`)
    }
    expect([...b24Answers].sort()).toEqual(['500 INTERNAL_SERVER_ERROR', '503 QUERY_LIMIT_EXCEEDED'])

    const creatio = createCreatioEmulator({ seed: 5, chaos: { probabilities: { '5xx': 1 } } })
    const c500 = (await getResponse(creatio.handlers, new Request(`${creatio.siteUrl}${creatio.root}/Opportunity`)))!
    expect(c500.status).toBe(500)
    const body = (await c500.json()) as { error: { code: string; innererror: { message: string } } }
    expect(body.error.code).toBe('')
    expect(body.error.innererror.message).toMatch(/Timeout expired/i)
    const html = createCreatioEmulator({ seed: 5, chaos: { probabilities: { 'html-error': 1 } } })
    const page = (await getResponse(html.handlers, new Request(`${html.siteUrl}${html.root}/Opportunity`)))!
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('Service Unavailable')
  })

  it('lost-write-response applies the write, then loses the answer', async () => {
    const { emulator, send } = amo({ probabilities: { 'lost-write-response': 1 } })
    const before = emulator.db.leads.rows.length
    const answers: string[] = []
    for (let i = 0; i < 6; i++) {
      answers.push(await seen(await send('/api/v4/leads', { method: 'POST', body: JSON.stringify([{ name: `lost-${i}` }]) })))
    }
    expect(emulator.db.leads.rows.length).toBe(before + 6)
    expect(answers.every((a) => a === 'network-error' || a === '504')).toBe(true)
    expect(new Set(answers).size).toBe(2) // both ways of losing it occur
    expect(emulator.chaos!.stats.injected['lost-write-response']).toBe(6)
  })

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
