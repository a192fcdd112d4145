import { http } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { createCrm, type Crm, type Logger } from '../../../sdk/index.js'
import { amocrm } from '../../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../../adapters/amocrm/testing/node.js'

// What the adapter puts on the wire, read from the emulator's log and from a spy in front of it:
// the contract suite would pass with 50-row pages or 250-item batches, amoCRM's advice would not.
let emu: AmoCrmEmulatorServer
let crm: Crm
afterEach(async () => {
  await crm?.close()
  emu?.close()
})

describe('amoCRM adapter on the wire', () => {
  it('reads 250 rows a page with the main contact embedded, and stops on the short last page', async () => {
    emu = setupAmoCrmEmulator({ seed: 3, size: { deals: 600, contacts: 50, companies: 5 }, rateLimit: false }, { onUnhandledRequest: 'error' })
    crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }))
    const deals = await crm.deals.list().toArray()
    expect(deals).toHaveLength(600)
    const pages = emu.emulator.log.filter((r) => r.method === 'GET' && r.path === '/api/v4/leads').map((r) => new URLSearchParams(r.search))
    expect(pages.length).toBeGreaterThanOrEqual(3)
    for (const q of pages) {
      expect(q.get('limit')).toBe('250')
      expect(q.get('with')?.split(',')).toContain('contacts')
    }
    // 250 + 250 + 100: the third page is short, so there is no fourth request to learn of the end.
    const answered = emu.emulator.log.filter((r) => r.path === '/api/v4/leads' && r.status === 200)
    expect(answered).toHaveLength(3)
  })

  it('writes in POSTs of at most 50, as amoCRM recommends, and matches results back in input order', async () => {
    emu = setupAmoCrmEmulator({ seed: 3, size: { deals: 5, contacts: 5, companies: 1 }, rateLimit: false }, { onUnhandledRequest: 'error' })
    crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }))
    const sizes: number[] = []
    emu.server.use(
      http.post(`${emu.emulator.baseUrl}/api/v4/leads`, async ({ request }) => {
        sizes.push(((await request.clone().json()) as unknown[]).length)
        return undefined // on to the emulator
      }),
    )
    const out = await crm.deals.createMany(Array.from({ length: 120 }, (_, i) => ({ title: `Пакет ${i}` })))
    expect([...sizes].sort((a, b) => b - a)).toEqual([50, 50, 20]) // sent in parallel within the limit
    expect(out.every((o) => o.ok)).toBe(true)
    const titles = await Promise.all(out.map(async (o) => (o.ok ? (await crm.deals.get(o.record.id)).title : null)))
    expect(titles).toEqual(Array.from({ length: 120 }, (_, i) => `Пакет ${i}`))
  })

  it('never puts a token in what it logs or in its errors, through throttling, refresh and rejection', async () => {
    emu = setupAmoCrmEmulator({ seed: 3, size: { deals: 60, contacts: 10, companies: 1 } }, { onUnhandledRequest: 'error' })
    const pair = emu.emulator.issueTokens()
    const lines: string[] = []
    const logger: Logger = {
      debug: (message, meta) => lines.push(`${message} ${JSON.stringify(meta ?? {})}`),
      warn: (message, meta) => lines.push(`${message} ${JSON.stringify(meta ?? {})}`),
    }
    crm = createCrm(
      amocrm({
        baseUrl: emu.emulator.baseUrl,
        auth: { kind: 'oauth', ...emu.emulator.oauth, tokens: { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: new Date(Date.now() + 3_600_000) } },
      }),
      // Faster than the account's 7/s, so amoCRM throttles and the client logs its pauses.
      { logger, rateLimit: { requestsPerSecond: 20, maxConcurrent: 20 }, rateLimitBackoffMs: 200, retry: { baseDelayMs: 20, maxDelayMs: 100 } },
    )
    const deals = await crm.deals.list().toArray()
    emu.emulator.expireAccessTokens()
    await Promise.all(deals.slice(0, 30).map((d) => crm.deals.get(d.id)))
    expect(emu.emulator.stats.refreshes).toBe(1)
    expect(emu.emulator.stats.rateLimited).toBeGreaterThan(0)
    expect(lines.length).toBeGreaterThan(0)

    const rejected = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: 'secret-token-never-shown' } }), { logger })
    const err = (await rejected.deals.list().toArray().catch((e: unknown) => e)) as Error
    await rejected.close()
    const secrets = [pair.access_token, pair.refresh_token, emu.emulator.oauth.clientSecret, 'secret-token-never-shown']
    const seen = [...lines, err.message, JSON.stringify(err), String(err.stack)].join('\n')
    for (const secret of secrets) expect(seen).not.toContain(secret)
  }, 30_000)
})
