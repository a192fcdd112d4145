// A stateful, faithful fake of one Creatio site's OData 4 service, as msw handlers: `$metadata`,
// entity sets with $filter/$select/$expand/$orderby/$top/$skip/$count and the 20,000-row cap,
// JSON `$batch`, the error envelope, cookie login with its quirks (HTTP 200 + Code, BPMCSRF, the
// HTML login page on an expired session), OAuth client credentials, site variants, latency and a
// request log. Browser-safe (works with msw's setupWorker too).
import { appendToLog } from '../../../sdk/testing/request-log.js'
import { delay, http, HttpResponse, type HttpHandler } from 'msw'
import { CreatioDb, errorEnvelope, type CreatioDbSnapshot } from './db.js'
import { ODataError, compileFilter, parseFilter, type Row } from './filter.js'
import { buildSchema, metadataXml, type SiteSchema, type SiteVariant } from './schema.js'
import { createRandom } from '../../../sdk/testing/random.js'
import { withChaos, type Chaos, type ChaosOptions } from '../../../sdk/testing/chaos.js'
import { CHAOS_SHAPES } from './chaos-shapes.js'
import { DEFAULT_ANCHOR_DATE, seedSite, type SeedSize } from './seed.js'

export const MAX_ROWS = 20_000
export const MAX_BATCH = 100

export interface CreatioEmulatorOptions {
  /** Default `https://crmkit-demo.creatio.com`. */
  siteUrl?: string
  /** .NET Core / .NET 8 hosting: data under `/odata` instead of `/0/odata`. */
  netCore?: boolean
  /** Which optional objects and columns this site has. */
  site?: SiteVariant
  seed?: number
  size?: Partial<SeedSize>
  anchorDate?: string | number | Date
  /** Delay before every response: fixed ms, or a seeded uniform jitter. Default 0. */
  latencyMs?: number | { min: number; max: number }
  /**
   * Keep at least the newest this many request-log entries (default: all of them). The sandbox
   * sets it, so a server left running for days keeps bounded memory.
   */
  logLimit?: number
  /**
   * Creatio publishes no rate limit; cloud sites sit behind a WAF that can throttle. Set
   * `{ perSecond }` to answer 429 (Retry-After: 1) above that rate. Default `false`.
   */
  rateLimit?: { perSecond: number } | false
  credentials?: { userName: string; password: string }
  oauth?: { clientId: string; clientSecret: string }
  /** Default 3600 (research §2.2). */
  accessTokenTtlSec?: number
  now?: () => number
  /** Start from a saved `snapshot()` instead of seeding (the sandbox keeps edits across restarts). */
  state?: CreatioDbSnapshot
  /** Seeded fault injection (500 envelopes, WAF 429, slow, timeouts, drops, truncated JSON, IIS pages, lost write answers). */
  chaos?: ChaosOptions
}

export interface RequestLogEntry {
  time: number
  method: string
  /** Path and query as received. */
  path: string
  status: number
  auth: 'cookie' | 'bearer' | 'none'
  /** Sub-requests of a `$batch`. */
  batchSize?: number
}

export interface EmulatorStats {
  logins: number
  failedLogins: number
  tokensIssued: number
  rateLimited: number
  batches: number
  /** Requests answered with the HTML login page because the session had expired. */
  loginPages: number
}

export interface CreatioEmulator {
  readonly handlers: HttpHandler[]
  readonly siteUrl: string
  /** `/0/odata` or `/odata`. */
  readonly root: string
  readonly schema: SiteSchema
  readonly db: CreatioDb
  readonly log: RequestLogEntry[]
  readonly stats: EmulatorStats
  readonly credentials: { userName: string; password: string }
  readonly oauth: { clientId: string; clientSecret: string }
  /** Chaos controls and injected-fault stats; null without the `chaos` option. */
  readonly chaos: Chaos | null
  now(): number
  /** Every cookie session now answers with the HTML login page (as after `UserSessionTimeout`). */
  expireSessions(): void
  /** Every OAuth access token now answers 401. */
  expireAccessTokens(): void
  /** A valid access token, as if client credentials had been exchanged. */
  issueAccessToken(): string
  /** The site's data as plain JSON, for `options.state` on a later start. */
  snapshot(): CreatioDbSnapshot
  /** Re-seeds the site and clears sessions, tokens, log and stats. */
  reset(): void
}

const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Creatio</title></head><body class="login-page">' +
  '<form id="loginForm" action="/ServiceModel/AuthService.svc/Login"><input name="UserName"><input name="UserPassword" type="password"></form></body></html>'
const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true'

interface Result {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

interface ExpandItem {
  nav: string
  select: string[] | null
}

function splitTop(s: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(cur.trim())
  return out
}

export function createCreatioEmulator(options: CreatioEmulatorOptions = {}): CreatioEmulator {
  const siteUrl = (options.siteUrl ?? 'https://crmkit-demo.creatio.com').replace(/\/+$/, '')
  const root = options.netCore ? '/odata' : '/0/odata'
  const now = options.now ?? Date.now
  const schema = buildSchema(options.site)
  const seed = options.seed ?? 1
  const credentials = options.credentials ?? { userName: 'Supervisor', password: `Supervisor-${seed}` }
  const oauth = options.oauth ?? { clientId: `crmkit-client-${seed}`, clientSecret: `secret-${seed}-${seed * 7919}` }
  const ttl = (options.accessTokenTtlSec ?? 3600) * 1000
  const jitter = createRandom(seed ^ 0x5eed)
  // The saved state is used for the first build only; reset() goes back to the seed.
  let db = options.state
    ? CreatioDb.fromJSON(schema, options.state)
    : new CreatioDb(schema, seedSite(schema, { seed, ...(options.size ? { size: options.size } : {}), anchorDate: options.anchorDate ?? DEFAULT_ANCHOR_DATE }))
  const log: RequestLogEntry[] = []
  const stats: EmulatorStats = { logins: 0, failedLogins: 0, tokensIssued: 0, rateLimited: 0, batches: 0, loginPages: 0 }
  const sessions = new Map<string, { csrf: string; expired: boolean }>()
  const tokens = new Map<string, number>()
  let counter = 0
  const secret = () => `${(++counter).toString(36)}${globalThis.crypto.randomUUID().replace(/-/g, '')}`
  const recent: number[] = []
  const cache = new Map<string, Row[]>()

  const actor = () => String(db.rows('SysAdminUnit').find((u) => u['SysAdminUnitTypeValue'] === 4)?.['ContactId'] ?? '00000000-0000-0000-0000-000000000000')
  const stamp = () => new Date(now()).toISOString()

  // ---- queries --------------------------------------------------------------------------------

  function columnsOf(entity: string) {
    const cols = schema.get(entity)
    if (!cols) throw new ODataError(404, `No HTTP resource was found that matches the request URI '${siteUrl}${root}/${entity}'.`)
    return cols
  }

  function parseSelect(entity: string, raw: string | null): string[] | null {
    if (!raw) return null
    const cols = columnsOf(entity)
    const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
    for (const c of list) if (!cols.has(c)) throw new ODataError(400, `Could not find a property named '${c}' on type 'Terrasoft.Configuration.OData.${entity}'.`)
    return list
  }

  function parseExpand(entity: string, raw: string | null): ExpandItem[] {
    if (!raw) return []
    const cols = columnsOf(entity)
    return splitTop(raw).map((item) => {
      const m = /^(\w+)(?:\((.*)\))?$/.exec(item)
      if (!m) throw new ODataError(400, `Syntax error in $expand near '${item}'`)
      const nav = m[1]!
      const col = cols.get(`${nav}Id`)
      // Only lookups can be expanded (not detail collections).
      if (!col?.lookup || !schema.has(col.lookup)) throw new ODataError(400, `Could not find a navigation property named '${nav}' on type '${entity}'.`)
      const sel = m[2] ? /\$select=([^;)]*)/.exec(m[2])?.[1] ?? null : null
      return { nav, select: parseSelect(col.lookup, sel) }
    })
  }

  function project(entity: string, row: Row, select: string[] | null, expand: ExpandItem[]): Row {
    const out: Row = {}
    for (const c of select ?? columnsOf(entity).keys()) out[c] = row[c]
    for (const e of expand) {
      const target = columnsOf(entity).get(`${e.nav}Id`)!.lookup!
      const found = db.find(target, String(row[`${e.nav}Id`]))
      out[e.nav] = found ? project(target, found, e.select, []) : null
    }
    return out
  }

  function orderRows(entity: string, rows: Row[], raw: string | null): Row[] {
    if (!raw) return rows
    const cols = columnsOf(entity)
    const keys = raw.split(',').map((p) => {
      const [name, dir] = p.trim().split(/\s+/)
      const c = cols.get(name!)
      if (!c) throw new ODataError(400, `Could not find a property named '${name}' on type 'Terrasoft.Configuration.OData.${entity}'.`)
      return { name: name!, desc: dir === 'desc', date: c.type === 'DateTimeOffset' }
    })
    const decorated = rows.map((r) => ({ r, k: keys.map((k) => (k.date ? Date.parse(String(r[k.name])) : r[k.name])) }))
    decorated.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const x = a.k[i] as string | number
        const y = b.k[i] as string | number
        if (x === y) continue
        const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : x < y ? -1 : 1
        return keys[i]!.desc ? -c : c
      }
      return 0
    })
    return decorated.map((d) => d.r)
  }

  function matching(entity: string, filter: string | null, orderby: string | null): Row[] {
    const key = `${entity}|${db.version(entity)}|${filter ?? ''}|${orderby ?? ''}`
    const hit = cache.get(key)
    if (hit) return hit
    let rows = db.rows(entity)
    if (filter) {
      const pred = compileFilter(parseFilter(filter), { schema, entity, find: (e, id) => db.find(e, id) })
      rows = rows.filter(pred)
    }
    rows = orderRows(entity, rows === db.rows(entity) ? [...rows] : rows, orderby)
    if (cache.size > 16) cache.delete(cache.keys().next().value!)
    cache.set(key, rows)
    return rows
  }

  function intParam(q: URLSearchParams, name: string): number | null {
    const v = q.get(name)
    if (v === null) return null
    if (!/^\d+$/.test(v)) throw new ODataError(400, `Invalid value '${v}' for ${name} query option found.`)
    return Number(v)
  }

  function readCollection(entity: string, q: URLSearchParams): Result {
    const select = parseSelect(entity, q.get('$select'))
    const expand = parseExpand(entity, q.get('$expand'))
    const rows = matching(entity, q.get('$filter'), q.get('$orderby'))
    const skip = intParam(q, '$skip') ?? 0
    // Never more than 20,000 rows in one answer, whatever $top says (research §0).
    const top = Math.min(intParam(q, '$top') ?? MAX_ROWS, MAX_ROWS)
    const page = rows.slice(skip, skip + top)
    const ctx = `${siteUrl}${root}/$metadata#${entity}${select ? `(${select.join(',')})` : ''}`
    const body: Row = { '@odata.context': ctx }
    if (q.get('$count') === 'true') body['@odata.count'] = rows.length
    body['value'] = page.map((r) => project(entity, r, select, expand))
    return { status: 200, body }
  }

  // ---- one OData request (top level or inside $batch) -------------------------------------------

  function execute(method: string, rel: string, q: URLSearchParams, body: unknown): Result {
    try {
      if (rel === '$metadata') return { status: 200, body: metadataXml(schema), headers: { 'Content-Type': 'application/xml' } }
      if (rel === '') {
        return { status: 200, body: { '@odata.context': `${siteUrl}${root}/$metadata`, value: [...schema.keys()].map((n) => ({ name: n, kind: 'EntitySet', url: n })) } }
      }
      const m = /^(\w+)(?:\(([^)]*)\))?(\/\$count)?$/.exec(rel)
      if (!m) throw new ODataError(404, `No HTTP resource was found that matches the request URI '${siteUrl}${root}/${rel}'.`)
      const [, entity, key, countPath] = m as unknown as [string, string, string | undefined, string | undefined]
      columnsOf(entity)
      if (key !== undefined) {
        if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(key)) {
          throw new ODataError(400, `The key value '${key}' is not a valid Edm.Guid literal.`)
        }
        if (method === 'GET') {
          const row = db.find(entity, key)
          if (!row) throw new ODataError(404, `The entity '${entity}' with key '${key}' was not found.`)
          const select = parseSelect(entity, q.get('$select'))
          const out = project(entity, row, select, parseExpand(entity, q.get('$expand')))
          return { status: 200, body: { '@odata.context': `${siteUrl}${root}/$metadata#${entity}/$entity`, ...out } }
        }
        if (method === 'PATCH' || method === 'PUT') {
          db.update(entity, key, (body ?? {}) as Record<string, unknown>, stamp(), actor())
          return { status: 204 }
        }
        if (method === 'DELETE') {
          db.remove(entity, key)
          return { status: 204 }
        }
        throw new ODataError(405, `The requested resource does not support http method '${method}'.`)
      }
      if (countPath) {
        if (method !== 'GET') throw new ODataError(405, 'Method not allowed')
        return { status: 200, body: String(matching(entity, q.get('$filter'), null).length), headers: { 'Content-Type': 'text/plain' } }
      }
      if (method === 'GET') return readCollection(entity, q)
      if (method === 'POST') {
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ODataError(400, 'The request body must be a JSON object.')
        const row = db.insert(entity, body as Record<string, unknown>, stamp(), actor())
        return {
          status: 201,
          body: { '@odata.context': `${siteUrl}${root}/$metadata#${entity}/$entity`, ...row },
          headers: { Location: `${siteUrl}${root}/${entity}(${String(row['Id'])})` },
        }
      }
      throw new ODataError(405, `The requested resource does not support http method '${method}'.`)
    } catch (e) {
      if (e instanceof ODataError) return { status: e.status, body: errorEnvelope(e.message, e.inner) }
      throw e
    }
  }

  function batch(body: unknown, prefer: string | null): Result {
    const requests = (body as { requests?: unknown } | null)?.requests
    if (!Array.isArray(requests)) return { status: 400, body: errorEnvelope('The batch request body must be a JSON object with a "requests" array.') }
    if (requests.length > MAX_BATCH) {
      return { status: 400, body: errorEnvelope(`The number of requests in the batch exceeds the limit of ${MAX_BATCH}.`) }
    }
    stats.batches++
    const continueOnError = /continue-on-error/i.test(prefer ?? '')
    const responses: Row[] = []
    for (const r of requests as { id?: string; method?: string; url?: string; body?: unknown; atomicityGroup?: string }[]) {
      const url = new URL(String(r.url ?? ''), `${siteUrl}${root}/`)
      const rel = decodeURIComponent(url.pathname.startsWith(`${root}/`) ? url.pathname.slice(root.length + 1) : url.pathname.replace(/^\//, ''))
      const res = execute(String(r.method ?? 'GET').toUpperCase(), rel, url.searchParams, r.body)
      responses.push({
        id: String(r.id ?? responses.length),
        ...(r.atomicityGroup ? { atomicityGroup: r.atomicityGroup } : {}),
        status: res.status,
        headers: { 'content-type': 'application/json; odata.metadata=minimal', ...(res.headers ? Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v])) : {}) },
        ...(res.body === undefined ? {} : { body: res.body }),
      })
      // Without `Prefer: continue-on-error` the first failure stops the batch (research §3.5).
      if (res.status >= 400 && !continueOnError) break
    }
    return { status: 200, body: { responses } }
  }

  // ---- auth -----------------------------------------------------------------------------------

  function cookiesOf(req: Request): Record<string, string> {
    const out: Record<string, string> = {}
    for (const part of (req.headers.get('cookie') ?? '').split(';')) {
      const eq = part.indexOf('=')
      if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
    }
    return out
  }

  type Gate = { ok: true; auth: RequestLogEntry['auth'] } | { ok: false; auth: RequestLogEntry['auth']; res: Response; status: number }
  function authenticate(req: Request): Gate {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]
    if (bearer) {
      const exp = tokens.get(bearer)
      if (exp !== undefined && exp > now()) return { ok: true, auth: 'bearer' }
      return { ok: false, auth: 'bearer', status: 401, res: new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }) }
    }
    const cookies = cookiesOf(req)
    const session = cookies['.ASPXAUTH'] ? sessions.get(cookies['.ASPXAUTH']) : undefined
    if (!session) return { ok: false, auth: 'none', status: 401, res: new HttpResponse(null, { status: 401 }) }
    if (session.expired) {
      // The quirk: an expired forms session bounces to the login page, served as 200 text/html.
      stats.loginPages++
      return { ok: false, auth: 'cookie', status: 200, res: new HttpResponse(LOGIN_PAGE, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } }) }
    }
    if (req.headers.get('bpmcsrf') !== session.csrf) {
      return {
        ok: false,
        auth: 'cookie',
        status: 403,
        res: HttpResponse.json(errorEnvelope('Access denied. This may be caused by an invalid BPMCSRF cookie: send its value in the BPMCSRF header.'), { status: 403 }),
      }
    }
    return { ok: true, auth: 'cookie' }
  }

  async function wait() {
    const l = options.latencyMs ?? 0
    const ms = typeof l === 'number' ? l : l.min + jitter.next() * (l.max - l.min)
    if (ms > 0) await delay(ms)
  }

  function throttled(): boolean {
    if (!options.rateLimit) return false
    const t = now()
    while (recent.length && t - recent[0]! >= 1000) recent.shift()
    if (recent.length >= options.rateLimit.perSecond) return true
    recent.push(t)
    return false
  }

  const received = new WeakMap<Request, number>()
  const record = (req: Request, status: number, auth: RequestLogEntry['auth'], extra: Partial<RequestLogEntry> = {}) => {
    const u = new URL(req.url)
    appendToLog(log, { time: received.get(req) ?? now(), method: req.method, path: `${u.pathname}${u.search}`, status, auth, ...extra }, options.logLimit)
  }

  async function odata({ request }: { request: Request }): Promise<Response> {
    received.set(request, now())
    await wait()
    if (throttled()) {
      stats.rateLimited++
      record(request, 429, 'none')
      return new HttpResponse('Too many requests', { status: 429, headers: { 'Retry-After': '1', 'Content-Type': 'text/plain' } })
    }
    const gate = authenticate(request)
    if (!gate.ok) {
      record(request, gate.status, gate.auth)
      return gate.res
    }
    const url = new URL(request.url)
    const rel = decodeURIComponent(url.pathname.slice(root.length + 1))
    let body: unknown
    if (request.method !== 'GET' && request.method !== 'DELETE') {
      const text = await request.text()
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        record(request, 400, gate.auth)
        return HttpResponse.json(errorEnvelope('The request body is not valid JSON.'), { status: 400 })
      }
    }
    const res = rel === '$batch' && request.method === 'POST' ? batch(body, request.headers.get('prefer')) : execute(request.method, rel, url.searchParams, body)
    record(request, res.status, gate.auth, rel === '$batch' ? { batchSize: ((body as { requests?: unknown[] })?.requests ?? []).length } : {})
    const headers = { 'OData-Version': '4.0', ...(res.headers ?? {}) }
    if (res.body === undefined) return new HttpResponse(null, { status: res.status, headers })
    if (typeof res.body === 'string') return new HttpResponse(res.body, { status: res.status, headers })
    return new HttpResponse(JSON.stringify(res.body), { status: res.status, headers: { 'Content-Type': JSON_TYPE, ...headers } })
  }

  const handlers: HttpHandler[] = [
    http.post(`${siteUrl}/ServiceModel/AuthService.svc/Login`, async ({ request }) => {
      await wait()
      let body: { UserName?: string; UserPassword?: string } = {}
      try {
        body = (await request.json()) as typeof body
      } catch {
        /* an empty or broken body is a failed login too */
      }
      if (body.UserName !== credentials.userName || body.UserPassword !== credentials.password) {
        stats.failedLogins++
        record(request, 200, 'none')
        // HTTP 200 even when the credentials are wrong: only `Code` tells (research §2.1).
        return HttpResponse.json({ Code: 1, Message: 'Invalid username or password specified.', Exception: null, PasswordChangeUrl: null, RedirectUrl: null })
      }
      stats.logins++
      const auth = secret()
      const csrf = secret().slice(0, 22)
      sessions.set(auth, { csrf, expired: false })
      const headers = new Headers({ 'Content-Type': 'application/json; charset=utf-8' })
      headers.append('Set-Cookie', `BPMLOADER=${secret().slice(0, 24)}; path=/; HttpOnly`)
      headers.append('Set-Cookie', `.ASPXAUTH=${auth}; path=/; HttpOnly`)
      headers.append('Set-Cookie', `BPMCSRF=${csrf}; path=/`)
      headers.append('Set-Cookie', `UserName=${encodeURIComponent(credentials.userName)}; path=/; HttpOnly`)
      record(request, 200, 'none')
      return new HttpResponse(JSON.stringify({ Code: 0, Message: '', Exception: null, PasswordChangeUrl: null, RedirectUrl: null }), { status: 200, headers })
    }),
    http.get(`${siteUrl}/0/.well-known/openid-configuration`, async ({ request }) => {
      await wait()
      record(request, 200, 'none')
      return HttpResponse.json({
        issuer: `${siteUrl}/0`,
        authorization_endpoint: `${siteUrl}/0/connect/authorize`,
        token_endpoint: `${siteUrl}/0/connect/token`,
        revocation_endpoint: `${siteUrl}/0/connect/revocation`,
        grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      })
    }),
    http.post(`${siteUrl}/0/connect/token`, async ({ request }) => {
      await wait()
      const form = new URLSearchParams(await request.text())
      if (form.get('grant_type') !== 'client_credentials') {
        record(request, 400, 'none')
        return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400 })
      }
      if (form.get('client_id') !== oauth.clientId || form.get('client_secret') !== oauth.clientSecret) {
        record(request, 400, 'none')
        return HttpResponse.json({ error: 'invalid_client' }, { status: 400 })
      }
      record(request, 200, 'none')
      return HttpResponse.json({ access_token: issue(), expires_in: ttl / 1000, token_type: 'Bearer', scope: `ApplicationAccess_${seed}` })
    }),
    http.all(`${siteUrl}${root}/*`, odata),
    http.all(`${siteUrl}${root}/`, odata),
  ]

  function issue(): string {
    stats.tokensIssued++
    const t = `eyJ${secret()}`
    tokens.set(t, now() + ttl)
    return t
  }

  const chaotic = options.chaos ? withChaos(CHAOS_SHAPES, handlers, options.chaos, { seed, origins: [siteUrl] }) : null
  return {
    handlers: chaotic?.handlers ?? handlers,
    chaos: chaotic?.chaos ?? null,
    siteUrl,
    root,
    schema,
    get db() {
      return db
    },
    log,
    stats,
    credentials,
    oauth,
    now,
    expireSessions: () => sessions.forEach((s) => (s.expired = true)),
    expireAccessTokens: () => tokens.forEach((_, k) => tokens.set(k, 0)),
    issueAccessToken: issue,
    snapshot: () => db.toJSON(),
    reset() {
      db = new CreatioDb(schema, seedSite(schema, { seed, ...(options.size ? { size: options.size } : {}), anchorDate: options.anchorDate ?? DEFAULT_ANCHOR_DATE }))
      sessions.clear()
      tokens.clear()
      log.length = 0
      cache.clear()
      recent.length = 0
      Object.assign(stats, { logins: 0, failedLogins: 0, tokensIssued: 0, rateLimited: 0, batches: 0, loginPages: 0 })
      chaotic?.chaos.reset()
    },
  }
}
