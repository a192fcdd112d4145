// A stateful, faithful fake of one amoCRM account's REST API v4, as msw handlers: seeded data,
// OAuth with rotating refresh tokens, a long-lived token, widget session auth, 7 req/s limit with
// the 429 → 403 escalation, and configurable latency. Browser-safe (works with setupWorker too).
import type { HttpHandler } from 'msw'
import { AuthService, type OAuthClientConfig, type TokenPair } from './auth.js'
import { AmoDb, type AmoDbSnapshot } from './db.js'
import { createHandlers, type EmulatorState, type EmulatorStats, type PagingQuirks, type RequestLogEntry } from './handlers.js'
import { RateLimiter, type RateLimitOptions } from './limits.js'
import { trackAccountBlocks } from './block-registry.js'
import { withChaos, type Chaos, type ChaosOptions } from '../../../sdk/testing/chaos.js'
import { CHAOS_SHAPES } from './chaos-shapes.js'
import { createRandom, deriveSeed } from '../../../sdk/testing/random.js'
import { DEFAULT_ANCHOR_DATE, seedAccount, toUnixSeconds, type SeedSize } from './seed.js'

export interface AmoCrmEmulatorOptions {
  /** Default `acme`. */
  subdomain?: string
  /** Default `https://{subdomain}.amocrm.ru`. */
  baseUrl?: string
  /** Same seed → byte-identical account. Default 1. */
  seed?: number
  /** End of the seeded year of deals. Default `2026-11-01T00:00:00Z`. */
  anchorDate?: string | number | Date
  /** Default `{ deals: 300, contacts: 200, companies: 40, users: 8 }`. */
  size?: Partial<SeedSize>
  /** Delay before every response: fixed ms, or a seeded uniform jitter. Default 0. */
  latencyMs?: number | { min: number; max: number }
  /**
   * Keep at least the newest this many request-log entries (default: all of them). The sandbox
   * sets it, so a server left running for days keeps bounded memory.
   */
  logLimit?: number
  /** Default `{ perSecond: 7, blockAfter429: 20 }`; `false` disables limiting and blocking. */
  rateLimit?: RateLimitOptions | false
  /** The integration's OAuth credentials; defaults are derived from the seed. */
  oauth?: Partial<OAuthClientConfig>
  /** Default 86400. */
  accessTokenTtlSec?: number
  /** `catalogs: false` → the plan has no lists and `/catalogs` answers 402. */
  plan?: { catalogs?: boolean }
  /** Emulator clock (ms): write timestamps, token expiry, rate-limit windows, the log. Default `Date.now`. */
  now?: () => number
  /** Start from a saved `snapshot()` instead of seeding (the sandbox keeps edits across restarts). */
  state?: AmoDbSnapshot
  /**
   * Paging quirks of real accounts (research §2.2): by default `limit` > 250 is a 400 and every
   * non-empty list page links `next`; `{ oversizedLimit: 'default' }` serves 50 rows instead.
   */
  paging?: PagingQuirks
  /** Seeded fault injection (5xx, 429, slow, timeouts, drops, truncated JSON, lost write answers). */
  chaos?: ChaosOptions
}

export interface AmoCrmEmulator {
  readonly handlers: HttpHandler[]
  readonly baseUrl: string
  /** Current state; replaced by `reset()`. */
  readonly db: AmoDb
  readonly log: RequestLogEntry[]
  readonly stats: EmulatorStats
  /** A valid long-lived token (admin rights, never expires here). */
  readonly longLivedToken: string
  /** Value of the `session_id` cookie that authenticates same-origin widget calls. */
  readonly sessionId: string
  readonly oauth: OAuthClientConfig
  readonly isBlocked: boolean
  /** Chaos controls and injected-fault stats; null without the `chaos` option. */
  readonly chaos: Chaos | null
  now(): number
  /** A fresh authorization code (single use, 20 min), as amoCRM redirects with after consent. */
  issueAuthorizationCode(): string
  /** A fresh access/refresh pair, as if the OAuth flow had completed. */
  issueTokens(): TokenPair
  /** Expires every OAuth access token now (long-lived tokens stay valid). */
  expireAccessTokens(): void
  /** Lifts the 403 block (what amoCRM support does). */
  unblock(): void
  /** Re-seeds the account and clears tokens, log, stats and limits. Tokens/session id stay the same strings. */
  reset(): void
  /** The account's data as plain JSON, for `options.state` on a later start. */
  snapshot(): AmoDbSnapshot
}

const DAY_SEC = 86_400

export function createAmoCrmEmulator(options: AmoCrmEmulatorOptions = {}): AmoCrmEmulator {
  const subdomain = options.subdomain ?? 'acme'
  const baseUrl = (options.baseUrl ?? `https://${subdomain}.amocrm.ru`).replace(/\/+$/, '')
  const seed = options.seed ?? 1
  const now = options.now ?? Date.now
  const plan = { catalogs: options.plan?.catalogs ?? true }
  const anchor = toUnixSeconds(options.anchorDate ?? DEFAULT_ANCHOR_DATE)
  const host = new URL(baseUrl).hostname
  const baseDomain = host.split('.').slice(1).join('.') || host

  const ids = createRandom(deriveSeed(seed, 'oauth-client'))
  const uuid = `${ids.string(8)}-${ids.string(4)}-4${ids.string(3)}-a${ids.string(3)}-${ids.string(12)}`
  const oauth: OAuthClientConfig = {
    clientId: options.oauth?.clientId ?? uuid,
    clientSecret: options.oauth?.clientSecret ?? ids.string(64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    redirectUri: options.oauth?.redirectUri ?? 'https://app.example.com/oauth/amocrm/callback',
  }
  const stats: EmulatorStats = { requests: 0, rateLimited: 0, refreshes: 0 }
  const blocks = trackAccountBlocks(baseUrl, options.rateLimit !== false && options.rateLimit?.blockAfter429 !== undefined)
  const log: RequestLogEntry[] = []

  // The saved state is used for the first build only; reset() goes back to the seed.
  let initial = options.state
  const build = (): EmulatorState => {
    const db = initial
      ? AmoDb.fromJSON(initial)
      : seedAccount({ seed, anchorDate: anchor * 1000, size: options.size ?? {}, subdomain, catalogs: plan.catalogs })
    const auth = new AuthService({
      random: createRandom(deriveSeed(seed, 'auth')), now, client: oauth, accessTokenTtlSec: options.accessTokenTtlSec ?? DAY_SEC,
      accountId: db.account.id, userId: db.adminUser().id, baseDomain, longLivedIssuedAt: anchor - 30 * DAY_SEC,
      onRefresh: () => void stats.refreshes++,
    })
    const limiter = options.rateLimit === false ? null : new RateLimiter(options.rateLimit ?? {}, now, () => void blocks.blocks++)
    initial = undefined
    return { db, auth, limiter }
  }

  const latencyFor = (): (() => number) => {
    const spec = options.latencyMs ?? 0
    if (typeof spec === 'number') return () => spec
    const r = createRandom(deriveSeed(seed, 'latency'))
    return () => Math.round(spec.min + r.next() * (spec.max - spec.min))
  }

  const state = build()
  let latency = latencyFor()
  const served = createHandlers({ baseUrl, state, now, log, ...(options.logLimit !== undefined ? { logLimit: options.logLimit } : {}), stats, latency: () => latency(), plan, ...(options.paging ? { paging: options.paging } : {}) })
  const chaotic = options.chaos ? withChaos(CHAOS_SHAPES, served, options.chaos, { seed, origins: [baseUrl] }) : null
  const handlers = chaotic?.handlers ?? served

  return {
    handlers,
    baseUrl,
    get db() { return state.db },
    log,
    stats,
    get longLivedToken() { return state.auth.longLivedToken },
    get sessionId() { return state.auth.sessionId },
    oauth,
    get isBlocked() { return state.limiter?.isBlocked ?? false },
    chaos: chaotic?.chaos ?? null,
    now,
    issueAuthorizationCode: () => state.auth.issueAuthorizationCode(),
    issueTokens: () => state.auth.issueTokens(),
    expireAccessTokens: () => state.auth.expireAccessTokens(),
    unblock: () => state.limiter?.unblock(),
    snapshot: () => state.db.toJSON(),
    reset: () => {
      Object.assign(state, build())
      latency = latencyFor()
      log.length = 0
      Object.assign(stats, { requests: 0, rateLimited: 0, refreshes: 0 })
      chaotic?.chaos.reset()
    },
  }
}
