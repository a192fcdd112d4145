// One emulator with chaos on and a client tuned for fast tests (short timeouts and backoffs), per
// CRM, as the chaos suite drives them. The emulator's db is the ground truth the tests compare with.
// Below, the same emulators bare (rawTargets), for tests of the chaos mode itself.
import { getResponse } from 'msw'
import { createCrm, type Crm, type CrmOptions } from '../../sdk/index.js'
import type { Chaos, ChaosOptions } from '../../sdk/testing/chaos.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { createAmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { setupAmoCrmEmulator } from '../../adapters/amocrm/testing/node.js'
import { bitrix24 } from '../../adapters/bitrix24/index.js'
import { setupBitrix24Emulator } from '../../adapters/bitrix24/testing/node.js'
import { createBitrix24Emulator, ENTITY } from '../../adapters/bitrix24/testing/index.js'
import { oauthAuthOf } from '../contract/bitrix24.harness.js'
import { creatio } from '../../adapters/creatio/index.js'
import { createCreatioEmulator } from '../../adapters/creatio/testing/index.js'
import { setupCreatioEmulator } from '../../adapters/creatio/testing/node.js'

export interface ChaosEnv {
  crm: Crm
  chaos: Chaos
  /** Ids and titles of every deal the emulator holds. */
  deals(): { id: string; title: string }[]
  /** Expires the credentials the client holds (OAuth access tokens). */
  expire(): void
  /** Successful refreshes (token grants) the emulator performed. */
  refreshes(): number
  /** Requests to the token endpoint in the emulator's log, successful or not. */
  refreshCalls(): number
  close(): Promise<void>
}

export interface ChaosHarness {
  name: string
  start(chaos: ChaosOptions, o?: { deals?: number; oauth?: boolean }): ChaosEnv
}

/**
 * A client timeout well under the chaos 'timeout' hold, retries enough to outlast a run of faults
 * (≥ 5 in a row at rate 0.25 is rare and the seed is fixed), short pauses to keep the suite fast.
 */
const client: CrmOptions = {
  timeoutMs: 250,
  retry: { retries: 8, baseDelayMs: 5, maxDelayMs: 40 },
  rateLimitBackoffMs: 20,
  rateLimit: { requestsPerSecond: 60 },
}

/** Chaos defaults for the suite: short slow answers, 'timeout' holds just past the client timeout. */
export const fastChaos = (o: ChaosOptions): ChaosOptions => ({ slowMs: 20, timeoutMs: 400, ...o })

export const harnesses: ChaosHarness[] = [
  {
    name: 'amoCRM',
    start(chaos, o = {}) {
      // The real limit is kept (7/s per integration would make the suite slow, so 100/s), and with
      // it the 403 block: the suite-wide guard fails if chaos ever pushes the client into it.
      const { emulator, close } = setupAmoCrmEmulator(
        { seed: 21, size: { deals: o.deals ?? 120, contacts: 20, companies: 5 }, rateLimit: { perSecond: 100 }, chaos: fastChaos(chaos) },
        { onUnhandledRequest: 'error' },
      )
      const pair = emulator.issueTokens()
      const auth = o.oauth
        ? { kind: 'oauth' as const, ...emulator.oauth, tokens: { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: new Date(Date.now() + pair.expires_in * 1000) } }
        : { kind: 'long-lived-token' as const, token: emulator.longLivedToken }
      const crm = createCrm(amocrm({ baseUrl: emulator.baseUrl, auth }), client)
      return {
        crm,
        chaos: emulator.chaos!,
        deals: () => emulator.db.leads.rows.filter((l) => !l.is_deleted).map((l) => ({ id: String(l.id), title: l.name })),
        expire: () => emulator.expireAccessTokens(),
        refreshes: () => emulator.stats.refreshes,
        refreshCalls: () => emulator.log.filter((e) => e.path === '/oauth2/access_token').length,
        async close() {
          await emulator.chaos!.idle()
          await crm.close()
          close()
        },
      }
    },
  },
  {
    name: 'Bitrix24',
    start(chaos, o = {}) {
      const { emulator, close } = setupBitrix24Emulator(
        { seed: 22, size: { deals: o.deals ?? 120, leads: 20, contacts: 20, companies: 5 }, rateLimit: { burst: 250, drainPerSecond: 50 }, chaos: fastChaos(chaos) },
        { onUnhandledRequest: 'error' },
      )
      const auth = o.oauth ? oauthAuthOf(emulator) : { kind: 'webhook' as const, url: emulator.webhookUrl }
      const crm = createCrm(bitrix24({ auth }), client)
      return {
        crm,
        chaos: emulator.chaos!,
        deals: () => [...emulator.db.table(ENTITY.deal).values()].map((d) => ({ id: String(d.id), title: String(d['title'] ?? '') })),
        expire: () => emulator.expireAccessTokens(),
        refreshes: () => emulator.stats.refreshes,
        refreshCalls: () => emulator.log.filter((e) => e.restMethod === 'oauth/token').length,
        async close() {
          await emulator.chaos!.idle()
          await crm.close()
          close()
        },
      }
    },
  },
  {
    name: 'Creatio',
    start(chaos, o = {}) {
      const { emulator, close } = setupCreatioEmulator(
        { seed: 23, size: { deals: o.deals ?? 120, leads: 20, contacts: 20, accounts: 5 }, chaos: fastChaos(chaos) },
        { onUnhandledRequest: 'error' },
      )
      const auth = o.oauth
        ? { kind: 'oauth-client-credentials' as const, ...emulator.oauth }
        : { kind: 'cookie' as const, ...emulator.credentials }
      const crm = createCrm(creatio({ siteUrl: emulator.siteUrl, auth }), client)
      return {
        crm,
        chaos: emulator.chaos!,
        deals: () => emulator.db.rows('Opportunity').map((r) => ({ id: String(r['Id']), title: String(r['Title'] ?? '') })),
        expire: () => emulator.expireAccessTokens(),
        refreshes: () => emulator.stats.tokensIssued,
        refreshCalls: () => emulator.log.filter((e) => e.path.startsWith('/0/connect/token')).length,
        async close() {
          await emulator.chaos!.idle()
          await crm.close()
          close()
        },
      }
    },
  },
]

/** One emulator with chaos on, driven by raw requests (no client): for tests of the chaos mode itself. */
export interface RawChaosEnv {
  chaos: Chaos
  /** One page of deals, as a read the emulator does not change state for (GET). */
  read(i: number): Promise<Response>
  /** Creates one deal titled `title`. */
  write(title: string): Promise<Response>
  /** Every deal's title the emulator holds, in storage order. */
  titles(): string[]
}

export interface RawChaosTarget {
  name: string
  start(chaos: ChaosOptions, seed?: number): RawChaosEnv
}

/**
 * Rate limits off (the chaos mode alone answers with limit statuses) and a frozen clock, so the
 * same request gets the same bytes twice (Bitrix24 stamps its answers with the time).
 */
const FROZEN = Date.parse('2026-10-15T09:00:00Z')
const frozen = () => FROZEN
const send = (handlers: Parameters<typeof getResponse>[0], url: string, init: RequestInit = {}) =>
  getResponse(handlers, new Request(url, init)).then((r) => r ?? new Response(`unhandled ${url}`, { status: 599 }))

export const rawTargets: RawChaosTarget[] = [
  {
    name: 'amoCRM',
    start(chaos, seed = 5) {
      const e = createAmoCrmEmulator({ seed, now: frozen, size: { deals: 30, contacts: 5, companies: 1 }, rateLimit: false, chaos })
      const headers = { Authorization: `Bearer ${e.longLivedToken}`, 'Content-Type': 'application/json' }
      return {
        chaos: e.chaos!,
        read: (i) => send(e.handlers, `${e.baseUrl}/api/v4/leads?limit=5&page=${(i % 5) + 1}`, { headers }),
        write: (title) => send(e.handlers, `${e.baseUrl}/api/v4/leads`, { method: 'POST', headers, body: JSON.stringify([{ name: title }]) }),
        titles: () => e.db.leads.rows.map((l) => l.name),
      }
    },
  },
  {
    name: 'Bitrix24',
    start(chaos, seed = 5) {
      const e = createBitrix24Emulator({ seed, now: frozen, size: { deals: 30, leads: 5, contacts: 5, companies: 1 }, rateLimit: false, operating: false, chaos })
      return {
        chaos: e.chaos!,
        // Bitrix24 takes reads as GET too; the client POSTs them (chaos then treats them as writes).
        read: (i) => send(e.handlers, `${e.webhookUrl}crm.item.list?entityTypeId=${ENTITY.deal}&start=${(i % 5) * 5}`),
        write: (title) =>
          send(e.handlers, `${e.webhookUrl}crm.item.add`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ entityTypeId: ENTITY.deal, fields: { title } }) }),
        titles: () => [...e.db.table(ENTITY.deal).values()].map((d) => String(d['title'] ?? '')),
      }
    },
  },
  {
    name: 'Creatio',
    start(chaos, seed = 5) {
      const e = createCreatioEmulator({ seed, now: frozen, size: { deals: 30, leads: 5, contacts: 5, accounts: 1 }, chaos })
      const headers = { Authorization: `Bearer ${e.issueAccessToken()}`, 'Content-Type': 'application/json' }
      return {
        chaos: e.chaos!,
        read: (i) => send(e.handlers, `${e.siteUrl}${e.root}/Opportunity?$top=5&$skip=${(i % 5) * 5}&$orderby=CreatedOn`, { headers }),
        write: (title) => send(e.handlers, `${e.siteUrl}${e.root}/Opportunity`, { method: 'POST', headers, body: JSON.stringify({ Title: title }) }),
        titles: () => e.db.rows('Opportunity').map((r) => String(r['Title'] ?? '')),
      }
    },
  },
]
