// A stateful, faithful fake of one Bitrix24 portal's REST API as msw handlers: inbound webhook and
// OAuth URLs, `crm.item.*`, dictionaries, smart processes, `batch` (50-command cap, `$result[…]`
// references, `halt`, per-command errors), `total`/`next`/`time` envelopes with `operating`,
// `start=-1`, filter operators, the leaky bucket (503 QUERY_LIMIT_EXCEEDED), the operating budget
// (429 OPERATION_TIME_LIMIT), expiring OAuth tokens with a rotating refresh token on the auth
// server, latency and a request log. Browser-safe (works with setupWorker too).
import { appendToLog } from '../../../sdk/testing/request-log.js'
import { delay, http, type HttpHandler } from 'msw'
import { parsePhpQuery } from '../php-query.js'
import { Bitrix24Db, portalDate, type Bitrix24DbSnapshot } from './db.js'
import { LeakyBucket, OperatingBudget, type LeakyBucketOptions, type OperatingOptions } from './limits.js'
import { METHODS, type MethodContext, type MethodResult } from './methods.js'
import { createRandom, deriveSeed } from '../../../sdk/testing/random.js'
import { withChaos, type Chaos, type ChaosOptions } from '../../../sdk/testing/chaos.js'
import { CHAOS_SHAPES } from './chaos-shapes.js'
import { DEFAULT_ANCHOR_DATE, DEFAULT_SIZE, seedPortal, type SeedSize } from './seed.js'

export interface Bitrix24EmulatorOptions {
  /** Default `b24-acme.bitrix24.ru`. */
  domain?: string
  /** Portal origin; default `https://{domain}`. */
  baseUrl?: string
  /** OAuth server origin; default `https://oauth.bitrix.info`. */
  oauthServer?: string
  /** Same seed → identical portal. Default 1. */
  seed?: number
  anchorDate?: string | number | Date
  size?: Partial<SeedSize>
  /** Seed crmkit's click-id user fields on leads and deals (default true); false: a portal `crm.setup()` has not touched. */
  clickIdFields?: boolean
  /** Delay before every response: fixed ms, or a seeded uniform jitter. Default 0. */
  latencyMs?: number | { min: number; max: number }
  /**
   * Keep at least the newest this many request-log entries (default: all of them). The sandbox
   * sets it, so a server left running for days keeps bounded memory.
   */
  logLimit?: number
  /** The plan's leaky bucket: `standard` 50 / 2 per s (default), `enterprise` 250 / 5. `rateLimit` overrides it. */
  plan?: 'standard' | 'enterprise'
  /** Default the plan's bucket; `false` disables it. */
  rateLimit?: LeakyBucketOptions | false
  /** Default `{ limitSec: 480, windowSec: 600 }`; `false` disables it (self-hosted default). */
  operating?: OperatingOptions | false
  /**
   * Which method a nested batch command's time is billed to: the docs say each nested method
   * (`per-command`, default); live measurements say the whole batch is billed to `batch`.
   */
  batchBilling?: 'per-command' | 'batch'
  /** Default 3600 (1 h). */
  accessTokenTtlSec?: number
  now?: () => number
  /** Start from a saved `snapshot()` instead of seeding (the sandbox keeps edits across restarts). */
  state?: Bitrix24DbSnapshot
  /** Seeded fault injection (5xx, 503 QUERY_LIMIT_EXCEEDED, slow, timeouts, drops, truncated JSON, lost write answers). */
  chaos?: ChaosOptions
}

export interface RequestLogEntry {
  /** Emulator-clock ms when the request arrived (before latency). */
  time: number
  method: string
  path: string
  /** REST method called (`batch`, `crm.item.list` …) or `oauth/token`. */
  restMethod: string
  /** Commands in a batch, 1 otherwise. */
  commands: number
  status: number
  auth: 'webhook' | 'oauth' | 'none'
}

export interface EmulatorStats {
  requests: number
  /** 503 QUERY_LIMIT_EXCEEDED answers. */
  rateLimited: number
  /** 429 OPERATION_TIME_LIMIT answers (whole requests and batch commands). */
  operatingLimited: number
  refreshes: number
  /** Commands executed (batch sub-commands count one each). */
  commands: number
}

export interface TokenResponse {
  access_token: string
  refresh_token: string
  expires: number
  expires_in: number
  scope: string
  domain: string
  server_endpoint: string
  client_endpoint: string
  member_id: string
  user_id: number
  status: string
}

export interface Bitrix24Emulator {
  readonly handlers: HttpHandler[]
  /** Portal origin, e.g. `https://b24-acme.bitrix24.ru`. */
  readonly baseUrl: string
  /** `{baseUrl}/rest/`: the `client_endpoint` OAuth apps call. */
  readonly clientEndpoint: string
  /** `{oauthServer}/rest/`: the `server_endpoint`. */
  readonly serverEndpoint: string
  /** An inbound webhook of user 1 (admin): `{baseUrl}/rest/1/{code}/`. */
  readonly webhookUrl: string
  readonly oauth: { clientId: string; clientSecret: string }
  readonly memberId: string
  /** What Bitrix24 sends as `application_token` with events and install callbacks. */
  readonly applicationToken: string
  readonly db: Bitrix24Db
  readonly log: RequestLogEntry[]
  readonly stats: EmulatorStats
  /** Chaos controls and injected-fault stats; null without the `chaos` option. */
  readonly chaos: Chaos | null
  now(): number
  /** A fresh token pair, as the install callback or code exchange gives. */
  issueTokens(userId?: number): TokenResponse
  /** A fresh authorization code (valid 30 s). */
  issueAuthorizationCode(): string
  /** Expires every access token now. */
  expireAccessTokens(): void
  /** The next call of `method` (also inside a batch) returns a well-formed envelope with a broken record. */
  corruptNext(method: string): void
  /** Empties the leaky bucket and the operating budget. */
  resetLimits(): void
  /** The portal's data as plain JSON, for `options.state` on a later start. */
  snapshot(): Bitrix24DbSnapshot
  /** Operating seconds used by `method` for the webhook or app, within the window. */
  operatingUsed(method: string, credential?: 'webhook' | 'oauth'): number
  reset(): void
}

const BATCH_MAX = 50

export function createBitrix24Emulator(options: Bitrix24EmulatorOptions = {}): Bitrix24Emulator {
  const domain = options.domain ?? 'b24-acme.bitrix24.ru'
  const baseUrl = (options.baseUrl ?? `https://${domain}`).replace(/\/+$/, '')
  const oauthServer = (options.oauthServer ?? 'https://oauth.bitrix.info').replace(/\/+$/, '')
  const seed = options.seed ?? 1
  const now = options.now ?? Date.now
  const anchor = new Date(options.anchorDate ?? DEFAULT_ANCHOR_DATE).getTime()
  const size: SeedSize = { ...DEFAULT_SIZE, ...options.size }
  const ttl = options.accessTokenTtlSec ?? 3600
  const billing = options.batchBilling ?? 'per-command'

  const ids = createRandom(deriveSeed(seed, 'credentials'))
  const webhookCode = ids.string(16, 'abcdefghijklmnopqrstuvwxyz0123456789')
  const oauth = { clientId: `local.${ids.string(13)}.${ids.string(8, '0123456789')}`, clientSecret: ids.string(50, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') }
  const memberId = ids.string(32)
  const applicationToken = ids.string(32)
  const tokenRandom = createRandom(deriveSeed(seed, 'tokens'))
  const jitter = createRandom(deriveSeed(seed, 'latency'))

  // The saved state is used for the first build only; reset() goes back to the seed.
  const clickIdFields = options.clickIdFields ?? true
  let db = options.state ? Bitrix24Db.fromJSON(options.state) : seedPortal({ seed, size, anchor, clickIdFields })
  const log: RequestLogEntry[] = []
  const stats: EmulatorStats = { requests: 0, rateLimited: 0, operatingLimited: 0, refreshes: 0, commands: 0 }
  const planBucket = options.plan === 'enterprise' ? { burst: 250, drainPerSecond: 5 } : { burst: 50, drainPerSecond: 2 }
  let bucket = options.rateLimit === false ? null : new LeakyBucket(options.rateLimit ?? planBucket)
  const budget = options.operating === false ? null : new OperatingBudget(options.operating ?? { limitSec: 480, windowSec: 600 })
  const corrupt = new Set<string>()
  // access token → { userId, expiresAt ms }; refresh token → userId (single use)
  const access = new Map<string, { userId: number; expiresAt: number }>()
  const refresh = new Map<string, number>()
  const codes = new Map<string, { userId: number; expiresAt: number }>()

  const latency = () => {
    const l = options.latencyMs ?? 0
    return typeof l === 'number' ? l : l.min + jitter.next() * (l.max - l.min)
  }

  function issueTokens(userId = 1): TokenResponse {
    const a = tokenRandom.string(70)
    const r = tokenRandom.string(70)
    access.set(a, { userId, expiresAt: now() + ttl * 1000 })
    refresh.set(r, userId)
    return {
      access_token: a, refresh_token: r, expires: Math.floor(now() / 1000) + ttl, expires_in: ttl, scope: 'crm,user_brief,placement',
      domain: new URL(oauthServer).host, server_endpoint: `${oauthServer}/rest/`, client_endpoint: `${baseUrl}/rest/`,
      member_id: memberId, user_id: userId, status: 'L',
    }
  }

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } })
  const errorBody = (status: number, error: string, description: string) => json({ error, error_description: description }, status)

  function timeOf(start: number, finish: number, key: string | null): Record<string, unknown> {
    const t: Record<string, unknown> = {
      start: start / 1000, finish: finish / 1000, duration: (finish - start) / 1000, processing: (finish - start) / 1000,
      date_start: portalDate(start), date_finish: portalDate(finish),
    }
    if (budget && key) {
      t.operating_reset_at = budget.resetAt(key, finish)
      t.operating = Math.round(budget.used(key, finish) * 1e6) / 1e6
    }
    return t
  }

  async function readParams(request: Request, url: URL): Promise<Record<string, unknown>> {
    const params: Record<string, unknown> = parsePhpQuery(url.search)
    if (request.method === 'GET' || request.method === 'HEAD') return params
    const text = await request.text()
    if (!text) return params
    const type = request.headers.get('content-type') ?? ''
    if (/json/i.test(type) || /^\s*[{[]/.test(text)) {
      try {
        const body = JSON.parse(text) as unknown
        if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(params, body)
      } catch {
        return { ...params, __invalid_json: true }
      }
    } else Object.assign(params, parsePhpQuery(text))
    return params
  }

  function run(method: string, params: Record<string, unknown>, ctx: MethodContext): MethodResult {
    const fn = METHODS[method]
    if (!fn) return { ok: false, status: 404, error: 'ERROR_METHOD_NOT_FOUND', description: 'Method not found!', cost: 0 }
    stats.commands++
    return fn(ctx, params)
  }

  function lookup(results: Record<string, unknown>, path: string[]): unknown {
    let node: unknown = results
    for (const key of path) {
      if (node == null || typeof node !== 'object') return undefined
      node = (node as Record<string, unknown>)[key]
    }
    return node
  }

  function runBatch(params: Record<string, unknown>, ctx: MethodContext, credential: string): Response {
    const cmd = params.cmd
    const isArray = Array.isArray(cmd)
    const entries: [string, string][] =
      cmd && typeof cmd === 'object' ? Object.entries(cmd as Record<string, unknown>).map(([k, v]) => [k, String(v)]) : []
    if (entries.length > BATCH_MAX) return errorBody(400, 'ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded ${BATCH_MAX}`)
    const halt = params.halt === true || params.halt === 1 || params.halt === '1' || params.halt === 'Y'
    const result: Record<string, unknown> = {}
    const resultError: Record<string, unknown> = {}
    const resultTotal: Record<string, unknown> = {}
    const resultNext: Record<string, unknown> = {}
    const resultTime: Record<string, unknown> = {}
    const started = now()
    let batchCost = 0
    for (const [key, raw] of entries) {
      const t0 = now()
      const substituted = raw.replace(/\$result((?:\[[^\]]*\])+)/g, (_m, path: string) => {
        const value = lookup(result, [...path.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!))
        // An unresolvable reference becomes an empty value.
        return value === undefined || value === null || typeof value === 'object' ? '' : encodeURIComponent(String(value))
      })
      const q = substituted.indexOf('?')
      const method = (q < 0 ? substituted : substituted.slice(0, q)).replace(/\.json$/, '').toLowerCase()
      const sub = parsePhpQuery(q < 0 ? '' : substituted.slice(q + 1))
      let r: MethodResult
      if (method === 'batch') r = { ok: false, status: 405, error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', description: 'Method is not allowed for batch usage', cost: 0 }
      else if (budget && billing === 'per-command' && budget.exhausted(`${credential}:${method}`, t0)) {
        stats.operatingLimited++
        r = { ok: false, status: 429, error: 'OPERATION_TIME_LIMIT', description: 'Method is blocked due to operation time limit.', cost: 0 }
      } else r = run(method, sub, ctx)
      if (budget) {
        if (billing === 'per-command') budget.add(`${credential}:${method}`, r.cost, t0)
        else batchCost += r.cost
      }
      if (r.ok) {
        result[key] = r.result
        if (r.total !== undefined) resultTotal[key] = r.total
        if (r.next !== undefined) resultNext[key] = r.next
      } else resultError[key] = { error: r.error, error_description: r.description }
      resultTime[key] = timeOf(t0, t0 + r.cost * 1000, billing === 'per-command' ? `${credential}:${method}` : null)
      if (!r.ok && halt) break
    }
    if (budget && billing === 'batch') budget.add(`${credential}:batch`, batchCost, started)
    // PHP serialises an empty map as [] (research §1.3).
    const phpMap = (m: Record<string, unknown>) => (Object.keys(m).length ? (isArray ? Object.values(m) : m) : [])
    return json({
      result: {
        result: isArray ? Object.values(result) : phpMap(result),
        result_error: phpMap(resultError),
        result_total: phpMap(resultTotal),
        result_next: phpMap(resultNext),
        result_time: phpMap(resultTime),
      },
      time: timeOf(started, now() + batchCost * (billing === 'batch' ? 1000 : 0), `${credential}:batch`),
    })
  }

  const restHandler = http.all(`${baseUrl}/rest/*`, async ({ request }) => {
    const url = new URL(request.url)
    const entry: RequestLogEntry = { time: now(), method: request.method, path: url.pathname, restMethod: '', commands: 1, status: 0, auth: 'none' }
    appendToLog(log, entry, options.logLimit)
    stats.requests++
    const answer = (res: Response) => {
      entry.status = res.status
      return res
    }
    const wait = latency()
    if (wait > 0) await delay(wait)

    const parts = url.pathname.replace(/^\/rest\//, '').split('/').filter(Boolean)
    let userId: number
    let credential: string
    let method: string
    const params = await readParams(request, url)
    if (params.__invalid_json) return answer(errorBody(400, 'INVALID_REQUEST', 'Invalid JSON'))
    if (parts.length >= 3 && /^\d+$/.test(parts[0]!)) {
      entry.auth = 'webhook'
      method = parts.slice(2).join('/')
      if (parts[1] !== webhookCode || parts[0] !== '1') return answer(errorBody(401, 'NO_AUTH_FOUND', 'Wrong authorization data'))
      userId = 1
      credential = `webhook:${webhookCode}`
    } else {
      method = parts.join('/')
      const token = typeof params.auth === 'string' ? params.auth : null
      if (!token) return answer(errorBody(401, 'NO_AUTH_FOUND', 'Wrong authorization data'))
      entry.auth = 'oauth'
      const session = access.get(token)
      if (!session) return answer(errorBody(401, 'invalid_token', 'The access token provided is invalid.'))
      if (session.expiresAt <= now()) return answer(errorBody(401, 'expired_token', 'The access token provided has expired.'))
      userId = session.userId
      credential = `app:${oauth.clientId}`
    }
    method = method.replace(/\.json$/, '').toLowerCase()
    entry.restMethod = method
    delete params.auth

    if (bucket && !bucket.take(now())) {
      stats.rateLimited++
      return answer(errorBody(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'))
    }
    const ctx: MethodContext = { db, now, userId, corrupt, auth: entry.auth === 'webhook' ? 'webhook' : 'oauth' }
    if (method === 'batch') {
      const cmd = params.cmd
      entry.commands = cmd && typeof cmd === 'object' ? Object.keys(cmd).length : 0
      // Billed as a whole to `batch` (live portals), a batch is refused once `batch` is spent, as
      // any method is; billed per command (the docs), `batch` itself never accrues time.
      if (budget && billing === 'batch' && budget.exhausted(`${credential}:batch`, now())) {
        stats.operatingLimited++
        return answer(errorBody(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'))
      }
      return answer(runBatch(params, ctx, credential))
    }
    const key = `${credential}:${method}`
    if (budget && budget.exhausted(key, now())) {
      stats.operatingLimited++
      return answer(errorBody(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'))
    }
    const t0 = now()
    const r = run(method, params, ctx)
    if (budget) budget.add(key, r.cost, t0)
    if (!r.ok) return answer(errorBody(r.status, r.error, r.description))
    const body: Record<string, unknown> = { result: r.result }
    if (r.total !== undefined) body.total = r.total
    if (r.next !== undefined) body.next = r.next
    body.time = timeOf(t0, t0 + r.cost * 1000, key)
    return answer(json(body))
  })

  const tokenHandler = http.all(`${oauthServer}/oauth/token/`, async ({ request }) => {
    const url = new URL(request.url)
    const entry: RequestLogEntry = { time: now(), method: request.method, path: url.pathname, restMethod: 'oauth/token', commands: 1, status: 0, auth: 'none' }
    appendToLog(log, entry, options.logLimit)
    stats.requests++
    const wait = latency()
    if (wait > 0) await delay(wait)
    const p = await readParams(request, url)
    const answer = (res: Response) => {
      entry.status = res.status
      return res
    }
    if (p.client_id !== oauth.clientId || p.client_secret !== oauth.clientSecret) {
      return answer(errorBody(401, 'invalid_client', 'Invalid client credentials'))
    }
    if (p.grant_type === 'refresh_token') {
      const userId = refresh.get(String(p.refresh_token))
      if (userId === undefined) return answer(errorBody(400, 'invalid_grant', 'Invalid refresh token'))
      refresh.delete(String(p.refresh_token)) // single use: the pair rotates
      stats.refreshes++
      return answer(json(issueTokens(userId)))
    }
    if (p.grant_type === 'authorization_code') {
      const c = codes.get(String(p.code))
      codes.delete(String(p.code))
      if (!c || c.expiresAt <= now()) return answer(errorBody(400, 'invalid_grant', 'Invalid authorization code'))
      return answer(json(issueTokens(c.userId)))
    }
    return answer(errorBody(400, 'invalid_request', 'Unsupported grant_type'))
  })

  const webhookUrl = `${baseUrl}/rest/1/${webhookCode}/`
  const chaotic = options.chaos ? withChaos(CHAOS_SHAPES, [tokenHandler, restHandler], options.chaos, { seed, origins: [baseUrl, oauthServer] }) : null
  return {
    handlers: chaotic?.handlers ?? [tokenHandler, restHandler],
    chaos: chaotic?.chaos ?? null,
    baseUrl,
    clientEndpoint: `${baseUrl}/rest/`,
    serverEndpoint: `${oauthServer}/rest/`,
    webhookUrl,
    oauth,
    memberId,
    applicationToken,
    get db() {
      return db
    },
    log,
    stats,
    now,
    issueTokens,
    issueAuthorizationCode() {
      const code = tokenRandom.string(40)
      codes.set(code, { userId: 1, expiresAt: now() + 30_000 })
      return code
    },
    expireAccessTokens() {
      const t = now() - 1
      for (const s of access.values()) s.expiresAt = Math.min(s.expiresAt, t)
    },
    corruptNext(method) {
      corrupt.add(method)
    },
    resetLimits() {
      if (bucket) bucket = new LeakyBucket(bucket.options)
      budget?.reset()
    },
    snapshot: () => db.toJSON(),
    operatingUsed(method, credential = 'webhook') {
      if (!budget) return 0
      return budget.used(credential === 'webhook' ? `webhook:${webhookCode}:${method}` : `app:${oauth.clientId}:${method}`, now())
    },
    reset() {
      db = seedPortal({ seed, size, anchor, clickIdFields })
      log.length = 0
      Object.assign(stats, { requests: 0, rateLimited: 0, operatingLimited: 0, refreshes: 0, commands: 0 })
      chaotic?.chaos.reset()
      if (bucket) bucket = new LeakyBucket(bucket.options)
      budget?.reset()
      access.clear()
      refresh.clear()
      corrupt.clear()
    },
  }
}
