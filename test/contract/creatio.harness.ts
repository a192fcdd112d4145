import { http, HttpResponse } from 'msw'
import { createCrm } from '../../sdk/index.js'
import { creatio, type CreatioAuth } from '../../adapters/creatio/index.js'
import { setupCreatioEmulator } from '../../adapters/creatio/testing/node.js'
import type { ContractHarness } from './harness.js'

/**
 * Creatio publishes no rate limit; the harness puts the emulator's WAF-style throttle at 15/s, above
 * the adapter's default of 10/s, so the suite can see both "never over the limit" and "backs off".
 */
const HARNESS_SERVER_RPS = 15

export const creatioHarness: ContractHarness = {
  name: 'Creatio',
  defaultRps: 10,
  async start(o = {}) {
    const { emulator, server, close } = setupCreatioEmulator(
      {
        seed: 11,
        size: { deals: o.seedDeals ?? 150, leads: 120, contacts: 80, accounts: 15 },
        latencyMs: o.latencyMs ?? 0,
        rateLimit: o.serverRateLimit === false ? false : { perSecond: o.serverRateLimit || HARNESS_SERVER_RPS },
      },
      { onUnhandledRequest: 'error' },
    )
    const auth: CreatioAuth =
      o.auth === 'oauth'
        ? { kind: 'oauth-client-credentials', ...emulator.oauth }
        : { kind: 'cookie', userName: emulator.credentials.userName, password: o.auth === 'bad-token' ? 'bad-token-value' : emulator.credentials.password }
    const crm = createCrm(creatio({ siteUrl: emulator.siteUrl, auth }), { retry: { baseDelayMs: 20, maxDelayMs: 200 }, ...o.client })
    return {
      crm,
      log: () => emulator.log.filter((r) => r.path.includes('/odata')).map((r) => ({ time: r.time, method: r.method, path: r.path, status: r.status })),
      dealIds: () => emulator.db.rows('Opportunity').map((r) => String(r['Id'])),
      expireAccessTokens: () => emulator.expireAccessTokens(),
      refreshCount: () => emulator.stats.tokensIssued,
      rateLimitedCount: () => emulator.stats.rateLimited,
      breakNextDealsPage: () =>
        server.use(
          http.get(
            `${emulator.siteUrl}${emulator.root}/Opportunity`,
            () =>
              HttpResponse.json({
                '@odata.context': `${emulator.siteUrl}${emulator.root}/$metadata#Opportunity`,
                value: [{ Id: '8141b62d-0f3f-41c0-b173-c29d424dbd16', Title: 'ok', Amount: 'lots', CreatedOn: '2026-03-02T09:14:27.153Z', ModifiedOn: '2026-03-02T09:14:27.153Z' }],
              }),
            { once: true },
          ),
        ),
      async enumField() {
        const fields = await crm.fields.list('deals')
        const f = fields.find((d) => d.kind === 'enum' && d.options.length > 0)
        if (!f) throw new Error('the site has no lookup custom column on Opportunity')
        return { key: f.code ?? f.id, optionId: f.options[0]!.id }
      },
      // A well-formed GUID no Contact has: Creatio's foreign key rejects it server-side.
      missingContactId: '0b8f7c1e-5d2a-4c3b-9e6f-1a2b3c4d5e6f',
      async close() {
        await crm.close()
        close()
      },
    }
  },
}
