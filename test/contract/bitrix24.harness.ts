import { createCrm } from '../../sdk/index.js'
import { bitrix24, type Bitrix24Auth } from '../../adapters/bitrix24/index.js'
import { setupBitrix24Emulator } from '../../adapters/bitrix24/testing/node.js'
import { ENTITY, type Bitrix24Emulator } from '../../adapters/bitrix24/testing/index.js'
import type { ContractHarness } from './harness.js'

/** OAuth auth for a client of this emulated portal, starting from a freshly issued token pair. */
export function oauthAuthOf(emulator: Bitrix24Emulator): Bitrix24Auth {
  const pair = emulator.issueTokens()
  return {
    kind: 'oauth',
    clientId: emulator.oauth.clientId,
    clientSecret: emulator.oauth.clientSecret,
    clientEndpoint: pair.client_endpoint,
    serverEndpoint: pair.server_endpoint,
    memberId: pair.member_id,
    tokens: { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: new Date(Date.now() + pair.expires_in * 1000) },
  }
}

export const bitrix24Harness: ContractHarness = {
  name: 'Bitrix24',
  // The adapter spaces requests at 1.9/s (5 % under the 2/s drain rate): never 3 in one second.
  defaultRps: 2,
  async start(o = {}) {
    const { emulator, close } = setupBitrix24Emulator(
      {
        seed: 7,
        size: { deals: o.seedDeals ?? 150, leads: 60, contacts: 80, companies: 15 },
        latencyMs: o.latencyMs ?? 0,
        // The portal's real drain rate; a bucket of 10 stands for a portal whose bucket other
        // integrations on the same server already fill, so bursts get 503s as in production.
        ...(o.serverRateLimit === false
          ? { rateLimit: false as const }
          : o.serverRateLimit
            ? { rateLimit: { burst: Math.max(50, o.serverRateLimit), drainPerSecond: o.serverRateLimit } }
            : { rateLimit: { burst: 10, drainPerSecond: 2 } }),
      },
      { onUnhandledRequest: 'error' },
    )
    const auth =
      o.auth === 'oauth'
        ? oauthAuthOf(emulator)
        : { kind: 'webhook' as const, url: o.auth === 'bad-token' ? `${emulator.baseUrl}/rest/1/bad-token-value/` : emulator.webhookUrl }
    const crm = createCrm(bitrix24({ auth }), { retry: { retries: 8, baseDelayMs: 20, maxDelayMs: 200 }, ...o.client })
    return {
      crm,
      log: () => emulator.log.filter((r) => r.restMethod !== 'oauth/token').map((r) => ({ time: r.time, method: r.method, path: r.path, status: r.status })),
      dealIds: () => [...emulator.db.table(ENTITY.deal).keys()].map(String),
      expireAccessTokens: () => emulator.expireAccessTokens(),
      refreshCount: () => emulator.stats.refreshes,
      rateLimitedCount: () => emulator.stats.rateLimited + emulator.stats.operatingLimited,
      breakNextDealsPage: () => emulator.corruptNext('crm.item.list'),
      async enumField() {
        const fields = await crm.fields.list('deals')
        const f = fields.find((d) => d.kind === 'enum' && d.options.length > 0)
        if (!f) throw new Error('seed has no enum field on deals')
        return { key: f.code ?? f.id, optionId: f.options[0]!.id }
      },
      // A contact id the portal does not have: crm.item.add rejects the link.
      missingContactId: '99999',
      async close() {
        await crm.close()
        close()
      },
    }
  },
}
