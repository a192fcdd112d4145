import { http, HttpResponse } from 'msw'
import { createCrm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator } from '../../adapters/amocrm/testing/node.js'
import type { ContractHarness } from './harness.js'

export const amocrmHarness: ContractHarness = {
  name: 'amoCRM',
  defaultRps: 7,
  async start(o = {}) {
    const { emulator, server, close } = setupAmoCrmEmulator(
      {
        seed: 11,
        size: { deals: o.seedDeals ?? 150, contacts: 80, companies: 15 },
        latencyMs: o.latencyMs ?? 0,
        ...(o.serverRateLimit === false ? { rateLimit: false as const } : o.serverRateLimit ? { rateLimit: { perSecond: o.serverRateLimit } } : {}),
      },
      { onUnhandledRequest: 'error' },
    )
    const pair = emulator.issueTokens()
    const auth =
      o.auth === 'oauth'
        ? {
            kind: 'oauth' as const,
            ...emulator.oauth,
            tokens: { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: new Date(Date.now() + pair.expires_in * 1000) },
          }
        : { kind: 'long-lived-token' as const, token: o.auth === 'bad-token' ? 'bad-token-value' : emulator.longLivedToken }
    const crm = createCrm(amocrm({ baseUrl: emulator.baseUrl, auth }), { retry: { baseDelayMs: 20, maxDelayMs: 200 }, ...o.client })
    return {
      crm,
      log: () => emulator.log.map((r) => ({ time: r.time, method: r.method, path: r.path, status: r.status })),
      dealIds: () => emulator.db.leads.rows.filter((l) => !l.is_deleted).map((l) => String(l.id)),
      expireAccessTokens: () => emulator.expireAccessTokens(),
      refreshCount: () => emulator.stats.refreshes,
      rateLimitedCount: () => emulator.stats.rateLimited,
      breakNextDealsPage: () =>
        server.use(
          http.get(
            `${emulator.baseUrl}/api/v4/leads`,
            () =>
              HttpResponse.json(
                { _page: 1, _links: {}, _embedded: { leads: [{ id: 1, name: 'ok', price: 'lots', status_id: 1, pipeline_id: 1, created_at: 0, updated_at: 0 }] } },
                { headers: { 'Content-Type': 'application/hal+json' } },
              ),
            { once: true },
          ),
        ),
      async enumField() {
        const fields = await crm.fields.list('deals')
        const f = fields.find((d) => d.kind === 'enum' && d.options.length > 0)
        if (!f) throw new Error('seed has no enum field on deals')
        return { key: f.code ?? f.id, optionId: f.options[0]!.id }
      },
      missingContactId: '1',
      async close() {
        await crm.close()
        close()
      },
    }
  },
}
