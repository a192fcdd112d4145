// msw handlers for `{baseUrl}/api/v4/...` and `{baseUrl}/oauth2/access_token`.
// One catch-all handler does what amoCRM's edge does for every call — request log, account block
// (403), auth (401), rate limit (429), latency — then routes to the endpoint.
import { appendToLog } from '../../../sdk/testing/request-log.js'
import { delay, http, type HttpHandler } from 'msw'
import type { AuthKind, AuthService, Caller } from './auth.js'
import { SESSION_COOKIE } from './auth.js'
import type { AmoDb, Catalog, CatalogElement, Company, Contact, EntityType, FieldDef, FieldScope, Lead, Pipeline, Table, User } from './db.js'
import { buildCriteria, parseBracketQuery, selectPage, type FilterKey, type Filterable, type QueryObject } from './filters.js'
import { nginxResponse, type RateLimiter } from './limits.js'
import { createFieldDefs, MAX_CATALOGS, writeCatalogs, writeEntities, type BatchResult, type ItemErrors, type WriteTarget } from './writes.js'

export interface RequestLogEntry {
  /** Emulator-clock ms when the request arrived (before latency). */
  time: number
  method: string
  path: string
  search: string
  status: number
  /** Credentials presented: a bearer header, the session cookie, or nothing. */
  auth: AuthKind
}

export interface EmulatorStats {
  /** Requests seen (API and OAuth). */
  requests: number
  /** 429 answers given. */
  rateLimited: number
  /** Successful refresh-token grants. */
  refreshes: number
}

/** Mutable parts the emulator swaps on `reset()`. */
export interface EmulatorState { db: AmoDb; auth: AuthService; limiter: RateLimiter | null }

export interface HandlerContext {
  baseUrl: string
  state: EmulatorState
  /** Emulator clock, ms. */
  now: () => number
  log: RequestLogEntry[]
  /** See AmoCrmEmulatorOptions.logLimit. */
  logLimit?: number
  stats: EmulatorStats
  /** Next response delay, ms. */
  latency: () => number
  plan: { catalogs: boolean }
  paging?: PagingQuirks
}

/** Where real amoCRM's paging has been seen to vary (research §2.2); see AmoCrmEmulatorOptions.paging. */
export interface PagingQuirks {
  /** `limit` > 250: 'reject' (400, the default) or 'default' (silently 50 rows, amocrm-api-php#210). */
  oversizedLimit?: 'reject' | 'default'
  /** Link `next` from a short page too, as methods that cannot count do (#209). Default true. */
  nextOnShortPage?: boolean
}

type Method = 'GET' | 'POST' | 'PATCH'
interface Req { request: Request; url: URL; q: QueryObject; p: string[]; caller: Caller; db: AmoDb; with: Set<string> }
type RouteFn = (req: Req) => Response | Promise<Response>
type Route = [RegExp, Partial<Record<Method, RouteFn>>]

export const MAX_LIMIT = 250
const DEFAULT_LIMIT = 50
const FIELDS_PAGE = 50

// ---- responses ----------------------------------------------------------------------------

function json(body: unknown, status = 200, type = 'application/hal+json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

const noContent = (): Response => new Response(null, { status: 204 })

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' }

export function problem(status: number, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  const body = { ...extra, title: TITLES[status] ?? 'Error', type: `https://httpstatus.es/${status}`, status, detail }
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } })
}

const validationFailed = (errors: ItemErrors[]): Response => problem(400, 'Request validation failed', { 'validation-errors': errors })

async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false }> {
  const text = await request.text()
  if (text.trim() === '') return { ok: false }
  try {
    return { ok: true, body: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

async function readForm(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? ''
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(await request.text()))
  const parsed = await readJson(request)
  return parsed.ok ? parsed.body : undefined
}

// ---- entity descriptors -------------------------------------------------------------------

const LEAD_FILTERS = new Set<FilterKey>(['id', 'name', 'price', 'created_at', 'updated_at', 'closed_at', 'created_by', 'updated_by', 'responsible_user_id', 'pipeline_id', 'statuses', 'custom_fields_values'])
const PARTY_FILTERS = new Set<FilterKey>(['id', 'name', 'created_at', 'updated_at', 'created_by', 'updated_by', 'responsible_user_id', 'custom_fields_values'])
const ELEMENT_FILTERS = new Set<FilterKey>(['id'])

/** Phones and e-mails of a lead's contacts, so `query=` finds a deal by its client's phone. */
function* contactChannels(db: AmoDb, leadId: number): Iterable<string> {
  for (const link of db.links.leadContacts.get(leadId) ?? []) {
    for (const f of db.contacts.get(link.id)?.custom_fields_values ?? []) {
      if (f.field_code === 'PHONE' || f.field_code === 'EMAIL') for (const v of f.values) yield String(v.value)
    }
  }
}

export function createHandlers(ctx: HandlerContext): HttpHandler[] {
  const origin = ctx.baseUrl.replace(/\/+$/, '')
  const apiBase = `${origin}/api/v4`
  const apiPath = new URL(apiBase).pathname
  const self = (path: string) => ({ self: { href: `${apiBase}${path}` } })

  // ---- serialisers (stored wire shape + `_links` + computed `_embedded`) ----

  const leadOut = (db: AmoDb, lead: Lead, w: Set<string>) => {
    const { _embedded, ...rest } = lead
    const companyId = db.links.leadCompany.get(lead.id)
    const embedded: Record<string, unknown> = {
      tags: _embedded.tags,
      companies: companyId === undefined ? [] : [{ id: companyId, _links: self(`/companies/${companyId}`) }],
    }
    // Contacts only with `with=contacts` (research §2.3).
    if (w.has('contacts')) embedded.contacts = (db.links.leadContacts.get(lead.id) ?? []).map((l) => ({ id: l.id, is_main: l.is_main, _links: self(`/contacts/${l.id}`) }))
    if (w.has('loss_reason')) {
      const reason = lead.loss_reason_id === null ? undefined : db.lossReasons.get(lead.loss_reason_id)
      embedded.loss_reason = reason ? [{ ...reason, _links: self(`/leads/loss_reasons/${reason.id}`) }] : []
    }
    const out: Record<string, unknown> = { ...rest }
    if (w.has('is_price_modified_by_robot')) out.is_price_modified_by_robot = false
    if (w.has('source_id')) out.source_id = null
    out._links = self(`/leads/${lead.id}`)
    out._embedded = embedded
    return out
  }

  const leadRefs = (ids: number[] | undefined) => (ids ?? []).map((id) => ({ id, _links: self(`/leads/${id}`) }))

  const contactOut = (db: AmoDb, contact: Contact, w: Set<string>) => {
    const { _embedded, ...rest } = contact
    const companyId = db.links.contactCompany.get(contact.id)
    const embedded: Record<string, unknown> = {
      tags: _embedded.tags,
      companies: companyId === undefined ? [] : [{ id: companyId, _links: self(`/companies/${companyId}`) }],
    }
    if (w.has('leads')) embedded.leads = leadRefs(db.links.contactLeads.get(contact.id))
    return { ...rest, _links: self(`/contacts/${contact.id}`), _embedded: embedded }
  }

  const companyOut = (db: AmoDb, company: Company, w: Set<string>) => {
    const { _embedded, ...rest } = company
    const embedded: Record<string, unknown> = { tags: _embedded.tags }
    if (w.has('leads')) embedded.leads = leadRefs(db.links.companyLeads.get(company.id))
    if (w.has('contacts')) embedded.contacts = (db.links.companyContacts.get(company.id) ?? []).map((id) => ({ id, _links: self(`/contacts/${id}`) }))
    return { ...rest, _links: self(`/companies/${company.id}`), _embedded: embedded }
  }

  const pipelineOut = (p: Pipeline) => ({
    ...p,
    _links: self(`/leads/pipelines/${p.id}`),
    _embedded: { statuses: p._embedded.statuses.map((s) => ({ ...s, _links: self(`/leads/pipelines/${p.id}/statuses/${s.id}`) })) },
  })
  const userOut = (u: User) => ({ ...u, _links: self(`/users/${u.id}`) })
  const catalogOut = (c: Catalog) => ({ ...c, _links: self(`/catalogs/${c.id}`) })
  const elementOut = (e: CatalogElement) => ({ ...e, _links: self(`/catalogs/${e.catalog_id}/elements/${e.id}`) })
  const fieldPath = (scope: FieldScope) => (scope.startsWith('catalogs:') ? `/catalogs/${scope.slice(9)}` : `/${scope}`)
  const fieldOut = (scope: FieldScope, f: FieldDef) => ({ ...f, _links: self(`${fieldPath(scope)}/custom_fields/${f.id}`) })

  interface EntityKind<T extends Filterable> {
    table: (db: AmoDb, req: Req) => Table<T> | undefined
    supports: ReadonlySet<FilterKey>
    out: (db: AmoDb, row: T, w: Set<string>) => unknown
    searchExtra?: (db: AmoDb) => (row: T) => Iterable<string>
  }
  const catalogIdOf = (req: Req) => Number(req.p[0])
  const catalogOf = (req: Req) => req.db.catalogs.get(catalogIdOf(req))
  const KINDS: Record<EntityType, EntityKind<Lead> | EntityKind<Contact> | EntityKind<Company>> = {
    leads: { table: (db) => db.leads, supports: LEAD_FILTERS, out: leadOut, searchExtra: (db) => (lead: Lead) => contactChannels(db, lead.id) },
    contacts: { table: (db) => db.contacts, supports: PARTY_FILTERS, out: contactOut },
    companies: { table: (db) => db.companies, supports: PARTY_FILTERS, out: companyOut },
  }
  const elements: EntityKind<CatalogElement> = {
    table: (db, req) => (catalogOf(req) ? db.elementsOf(catalogIdOf(req)) : undefined),
    supports: ELEMENT_FILTERS,
    out: (_db, e) => elementOut(e),
  }

  // ---- paging ----

  /**
   * `limit` > 250 is rejected, or with `paging.oversizedLimit: 'default'` silently served 50 rows,
   * as a real account once was (research §2.2): a client that then takes 50 < 500 for the end of
   * the list loses data.
   */
  function paging(url: URL): { page: number; limit: number } | Response {
    const rawLimit = url.searchParams.get('limit')
    let limit = rawLimit === null ? DEFAULT_LIMIT : Number(rawLimit)
    if (Number.isInteger(limit) && limit > MAX_LIMIT) {
      if (ctx.paging?.oversizedLimit !== 'default') return problem(400, `Limit must be less than or equal to ${MAX_LIMIT}`)
      limit = DEFAULT_LIMIT
    }
    if (!Number.isInteger(limit) || limit < 1) limit = DEFAULT_LIMIT
    const page = Number(url.searchParams.get('page') ?? 1)
    return { page: Number.isInteger(page) && page >= 1 ? page : 1, limit }
  }

  function pageHref(url: URL, page: number, limit: number): { href: string } {
    const params = new URLSearchParams(url.searchParams)
    params.set('limit', String(limit))
    params.set('page', String(page))
    return { href: `${apiBase}${url.pathname.slice(apiPath.length)}?${params}` }
  }

  function pageLinks(url: URL, page: number, limit: number, hasNext: boolean) {
    return {
      self: pageHref(url, page, limit),
      ...(hasNext ? { next: pageHref(url, page + 1, limit) } : {}),
      ...(page > 1 ? { prev: pageHref(url, page - 1, limit) } : {}),
    }
  }

  /**
   * Leads/contacts/companies/elements: no totals, 204 when empty, and a `next` link on every page
   * (these methods cannot count, #209), unless `paging.nextOnShortPage` is false: then only on full ones.
   */
  function listOf<T extends Filterable>(kind: EntityKind<T>, plural: string): RouteFn {
    return (req) => {
      const rows = kind.table(req.db, req)?.rows
      if (!rows) return problem(404, 'Entity not found')
      const pg = paging(req.url)
      if (pg instanceof Response) return pg
      const extra = kind.searchExtra?.(req.db)
      const criteria = buildCriteria<T>(req.q, { supports: kind.supports, ...(extra ? { searchExtra: extra } : {}) })
      const page = selectPage(rows, criteria, (pg.page - 1) * pg.limit, pg.limit)
      if (page.length === 0) return noContent()
      return json({
        _page: pg.page,
        _links: pageLinks(req.url, pg.page, pg.limit, page.length === pg.limit || ctx.paging?.nextOnShortPage !== false),
        _embedded: { [plural]: page.map((row) => kind.out(req.db, row, req.with)) },
      })
    }
  }

  function totalList<T>(req: Req, items: T[], plural: string, out: (item: T) => unknown): Response {
    const pg = paging(req.url)
    if (pg instanceof Response) return pg
    const slice = items.slice((pg.page - 1) * pg.limit, pg.page * pg.limit)
    if (slice.length === 0) return noContent()
    const pageCount = Math.ceil(items.length / pg.limit)
    return json({
      _total_items: items.length,
      _page: pg.page,
      _page_count: pageCount,
      _links: pageLinks(req.url, pg.page, pg.limit, pg.page < pageCount),
      _embedded: { [plural]: slice.map(out) },
    })
  }

  // ---- writes ----

  const writeCtx = (req: Req) => ({ db: req.db, nowSec: Math.floor(ctx.now() / 1000), userId: req.caller.userId })

  async function batchBody(req: Req): Promise<unknown[] | Response> {
    const parsed = await readJson(req.request)
    if (!parsed.ok) return problem(400, 'Request body must be valid JSON')
    if (!Array.isArray(parsed.body) || parsed.body.length === 0) return problem(400, 'Request body must be a non-empty array')
    if (parsed.body.length > MAX_LIMIT) return problem(400, `No more than ${MAX_LIMIT} entities per request`)
    return parsed.body
  }

  function batchResponse(path: string, plural: string, result: BatchResult<{ id: number; updated_at: number }>, mode: 'create' | 'update', itemPath: (id: number) => string): Response {
    if (!result.ok) return validationFailed(result.errors)
    return json({
      _links: self(path),
      _embedded: {
        [plural]: result.items.map(({ record, requestId }) => ({
          id: record.id,
          ...(mode === 'update' ? { updated_at: record.updated_at } : {}),
          request_id: requestId,
          _links: self(itemPath(record.id)),
        })),
      },
    })
  }

  function write(target: (req: Req) => WriteTarget, plural: string, mode: 'create' | 'update', basePath: (req: Req) => string): RouteFn {
    return async (req) => {
      const items = await batchBody(req)
      if (items instanceof Response) return items
      const base = basePath(req)
      return batchResponse(base, plural, writeEntities(writeCtx(req), target(req), mode, items), mode, (id) => `${base}/${id}`)
    }
  }

  /** `PATCH /leads/{id}`: a single object in, a bare object out. */
  function patchOne(target: (req: Req) => WriteTarget, idIndex: number, path: (req: Req, id: number) => string): RouteFn {
    return async (req) => {
      const parsed = await readJson(req.request)
      if (!parsed.ok || typeof parsed.body !== 'object' || parsed.body === null || Array.isArray(parsed.body)) return problem(400, 'Request body must be a JSON object')
      const id = Number(req.p[idIndex])
      const result = writeEntities(writeCtx(req), target(req), 'update', [{ ...(parsed.body as object), id }])
      if (!result.ok) {
        // A missing id is a 404 here, not a validation error: the id is in the URL.
        if (result.errors.some((e) => e.errors.some((x) => x.code === 'NotFound' && x.path === 'id'))) return problem(404, 'Entity not found')
        return validationFailed(result.errors)
      }
      const record = result.items[0]?.record
      return record ? json({ id: record.id, updated_at: record.updated_at, _links: self(path(req, record.id)) }) : problem(404, 'Entity not found')
    }
  }

  /** Custom-field pages hold at most 50 whatever `limit` asks for (custom-fields docs; issue #361). */
  function fieldsRoutes(scope: (req: Req) => FieldScope): Record<'GET' | 'POST', RouteFn> {
    return {
      GET: (req) => {
        const s = scope(req)
        const url = new URL(req.url)
        const limit = Number(url.searchParams.get('limit') ?? FIELDS_PAGE)
        url.searchParams.set('limit', String(Number.isInteger(limit) && limit >= 1 ? Math.min(limit, FIELDS_PAGE) : FIELDS_PAGE))
        return totalList({ ...req, url }, req.db.fieldsOf(s).rows, 'custom_fields', (f) => fieldOut(s, f))
      },
      POST: async (req) => {
        const items = await batchBody(req)
        if (items instanceof Response) return items
        const s = scope(req)
        const result = createFieldDefs(writeCtx(req), s, items)
        if (!result.ok) return validationFailed(result.errors)
        return json({ _total_items: result.items.length, _links: self(`${fieldPath(s)}/custom_fields`), _embedded: { custom_fields: result.items.map(({ record, requestId }) => ({ ...fieldOut(s, record), request_id: requestId })) } })
      },
    }
  }

  function one<T>(get: (req: Req) => T | undefined, out: (req: Req, row: T) => unknown): RouteFn {
    return (req) => {
      const row = get(req)
      return row === undefined ? problem(404, 'Entity not found') : json(out(req, row))
    }
  }

  const catalogFields = fieldsRoutes((req): FieldScope => `catalogs:${catalogIdOf(req)}`)
  const elementTarget = (req: Req): WriteTarget => ({ catalogId: catalogIdOf(req) })
  const elementsPath = (req: Req) => `/catalogs/${catalogIdOf(req)}/elements`
  const entity = (name: EntityType) => () => name

  const entityRoutes = (name: EntityType): Route[] => {
    const kind = KINDS[name] as unknown as EntityKind<Filterable>
    const fields = fieldsRoutes(() => name)
    return [
      [new RegExp(`^/${name}$`), {
        GET: listOf(kind, name),
        POST: write(entity(name), name, 'create', () => `/${name}`),
        PATCH: write(entity(name), name, 'update', () => `/${name}`),
      }],
      [new RegExp(`^/${name}/custom_fields$`), fields],
      [new RegExp(`^/${name}/custom_fields/(\\d+)$`), { GET: one((req) => req.db.fieldsOf(name).get(Number(req.p[0])), (_req, f) => fieldOut(name, f)) }],
      // No DELETE in v4 for these entities: the router answers 405.
      [new RegExp(`^/${name}/(\\d+)$`), {
        GET: one((req) => kind.table(req.db, req)?.get(Number(req.p[0])), (req, row) => kind.out(req.db, row, req.with)),
        PATCH: patchOne(entity(name), 0, (_req, id) => `/${name}/${id}`),
      }],
    ]
  }

  const DATETIME_SETTINGS = { date_pattern: 'd.m.Y H:i', short_date_pattern: 'd.m.Y', short_time_pattern: 'H:i', date_format: 'd.m.Y', time_format: 'H:i:s', timezone: 'Europe/Moscow', timezone_offset: '+03:00' }

  const routes: Route[] = [
    [/^\/account$/, {
      GET: (req) => {
        const { timezone, ...account } = req.db.account
        const embedded: Record<string, unknown> = {}
        // The timezone lives under `with=datetime_settings` in the real API.
        if (req.with.has('datetime_settings')) embedded.datetime_settings = { ...DATETIME_SETTINGS, timezone }
        if (req.with.has('users_groups')) embedded.users_groups = [{ id: 0, name: 'Отдел продаж', uuid: null }]
        if (req.with.has('task_types')) embedded.task_types = [{ id: 1, name: 'Связаться', color: null, icon_id: null, code: 'FOLLOW_UP' }, { id: 2, name: 'Встреча', color: null, icon_id: null, code: 'MEETING' }]
        return json({
          ...account, current_user_id: req.caller.userId,
          ...(req.with.has('amojo_id') ? { amojo_id: `${account.id}-amojo` } : {}),
          _links: self('/account'),
          ...(Object.keys(embedded).length > 0 ? { _embedded: embedded } : {}),
        })
      },
    }],
    [/^\/users$/, { GET: (req) => totalList(req, req.db.users.rows, 'users', userOut) }],
    [/^\/users\/(\d+)$/, { GET: one((req) => req.db.users.get(Number(req.p[0])), (_req, u) => userOut(u)) }],
    [/^\/leads\/pipelines$/, {
      GET: (req) => json({ _total_items: req.db.pipelines.size, _links: self('/leads/pipelines'), _embedded: { pipelines: req.db.pipelines.rows.map(pipelineOut) } }),
    }],
    [/^\/leads\/pipelines\/(\d+)$/, { GET: one((req) => req.db.pipelines.get(Number(req.p[0])), (_req, p) => pipelineOut(p)) }],
    [/^\/leads\/pipelines\/(\d+)\/statuses$/, {
      GET: (req) => {
        const p = req.db.pipelines.get(Number(req.p[0]))
        if (!p) return problem(404, 'Entity not found')
        const out = pipelineOut(p)
        return json({ _total_items: out._embedded.statuses.length, _links: self(`/leads/pipelines/${p.id}/statuses`), _embedded: out._embedded })
      },
    }],
    [/^\/leads\/pipelines\/(\d+)\/statuses\/(\d+)$/, {
      GET: one((req) => req.db.findStatus(Number(req.p[0]), Number(req.p[1])), (_req, s) => ({ ...s, _links: self(`/leads/pipelines/${s.pipeline_id}/statuses/${s.id}`) })),
    }],
    [/^\/leads\/loss_reasons$/, {
      GET: (req) => totalList(req, req.db.lossReasons.rows, 'loss_reasons', (r) => ({ ...r, _links: self(`/leads/loss_reasons/${r.id}`) })),
    }],
    [/^\/leads\/loss_reasons\/(\d+)$/, { GET: one((req) => req.db.lossReasons.get(Number(req.p[0])), (_req, r) => ({ ...r, _links: self(`/leads/loss_reasons/${r.id}`) })) }],
    ...entityRoutes('leads'),
    ...entityRoutes('contacts'),
    ...entityRoutes('companies'),
    [/^\/catalogs$/, {
      GET: (req) => {
        const pg = paging(req.url)
        if (pg instanceof Response) return pg
        const page = req.db.catalogs.rows.slice((pg.page - 1) * pg.limit, pg.page * pg.limit)
        if (page.length === 0) return noContent()
        return json({ _page: pg.page, _links: pageLinks(req.url, pg.page, pg.limit, page.length === pg.limit), _embedded: { catalogs: page.map(catalogOut) } })
      },
      POST: async (req) => {
        const items = await batchBody(req)
        if (items instanceof Response) return items
        // The cap counts the customer's own lists too (research §2.6). Exact real answer unverified.
        if (req.db.catalogs.size + items.length > MAX_CATALOGS) return problem(400, `An account can have at most ${MAX_CATALOGS} lists`)
        return catalogsResponse(writeCatalogs(writeCtx(req), 'create', items))
      },
      PATCH: async (req) => {
        const items = await batchBody(req)
        return items instanceof Response ? items : catalogsResponse(writeCatalogs(writeCtx(req), 'update', items))
      },
    }],
    [/^\/catalogs\/(\d+)$/, { GET: one(catalogOf, (_req, c) => catalogOut(c)) }],
    [/^\/catalogs\/(\d+)\/elements$/, {
      // Same paging as leads. (In Aug 2023 elements silently went to 100 per page with no `next`, issue #528.)
      GET: listOf(elements, 'elements'),
      POST: guardCatalog(write(elementTarget, 'elements', 'create', elementsPath)),
      PATCH: guardCatalog(write(elementTarget, 'elements', 'update', elementsPath)),
    }],
    [/^\/catalogs\/(\d+)\/elements\/(\d+)$/, {
      GET: one((req) => elements.table(req.db, req)?.get(Number(req.p[1])), (_req, e) => elementOut(e)),
      PATCH: guardCatalog(patchOne(elementTarget, 1, (req, id) => `${elementsPath(req)}/${id}`)),
    }],
    [/^\/catalogs\/(\d+)\/custom_fields$/, {
      GET: guardCatalog(catalogFields.GET),
      POST: guardCatalog(catalogFields.POST),
    }],
  ]

  function guardCatalog(fn: RouteFn): RouteFn {
    return (req) => (catalogOf(req) ? fn(req) : problem(404, 'Entity not found'))
  }

  function catalogsResponse(result: BatchResult<Catalog>): Response {
    if (!result.ok) return validationFailed(result.errors)
    return json({ _links: self('/catalogs'), _embedded: { catalogs: result.items.map(({ record, requestId }) => ({ ...catalogOut(record), request_id: requestId })) } })
  }

  // ---- the edge ----

  async function respond(request: Request, url: URL, cookies: Record<string, string>): Promise<Response> {
    const { state } = ctx
    // A blocked account answers nginx 403 to everything until support (unblock()) steps in.
    if (state.limiter?.isBlocked) return nginxResponse(403)
    const auth = state.auth.authenticate(request.headers.get('authorization'), cookies)
    if (!auth.ok) return problem(401, auth.detail)
    if (state.limiter && !state.limiter.admit(auth.caller.kind === 'session' ? 'session' : 'integration')) {
      ctx.stats.rateLimited++
      return nginxResponse(429)
    }
    const path = url.pathname.slice(apiPath.length).replace(/\/+$/, '') || '/'
    if (path.startsWith('/catalogs') && !ctx.plan.catalogs) {
      // Lists need the "Расширенный" (Extended) plan or higher. The exact real answer is unverified.
      return problem(402, 'Списки доступны на тарифе «Расширенный» и выше (lists are available from the Extended plan)')
    }
    for (const [pattern, methods] of routes) {
      const m = pattern.exec(path)
      if (!m) continue
      const fn = methods[request.method as Method]
      if (!fn) {
        const allow = Object.keys(methods).join(', ')
        return problem(405, `Method ${request.method} is not allowed here`, {}, { Allow: allow })
      }
      const w = new Set((url.searchParams.get('with') ?? '').split(',').map((s) => s.trim()).filter(Boolean))
      return fn({ request, url, q: parseBracketQuery(url.searchParams), p: m.slice(1), caller: auth.caller, db: state.db, with: w })
    }
    return problem(404, 'Method not found')
  }

  /** Logs on arrival, then answers after the configured latency. */
  async function edge(request: Request, handle: () => Promise<Response>): Promise<Response> {
    const url = new URL(request.url)
    const cookie = request.headers.get('cookie') ?? ''
    const entry: RequestLogEntry = {
      time: ctx.now(), method: request.method, path: url.pathname, search: url.search, status: 0,
      auth: request.headers.has('authorization') ? 'bearer' : cookie.includes(`${SESSION_COOKIE}=`) ? 'session' : 'none',
    }
    appendToLog(ctx.log, entry, ctx.logLimit)
    ctx.stats.requests++
    let response: Response
    try {
      response = await handle()
    } catch (error) {
      // An emulator bug should surface as a logged 500, not as a network error.
      response = problem(500, error instanceof Error ? error.message : String(error))
    }
    entry.status = response.status
    const ms = ctx.latency()
    if (ms > 0) await delay(ms)
    return response
  }

  return [
    // The OAuth endpoint lives outside /api/v4 and is not rate limited.
    http.post(`${origin}/oauth2/access_token`, ({ request }) =>
      edge(request, async () => {
        const result = ctx.state.auth.tokenEndpoint(await readForm(request))
        return json(result.body, result.status, result.status === 200 ? 'application/json' : 'application/problem+json')
      })),
    http.all(`${apiBase}/*`, ({ request, cookies }) => edge(request, () => respond(request, new URL(request.url), cookies))),
  ]
}
