import {
  CrmError,
  UnsupportedError,
  ValidationError,
  WriteOutcomeUnknownError,
  AccountBlockedError,
  parseResponse,
  type AdapterEnv,
  type CallContext,
  type CollectionDriver,
  type CustomFieldEntity,
  type DriverOutcome,
  type Drivers,
  type FieldDefinition,
  type HttpResponse,
  type ListQuery,
  type PageResult,
  type QueryField,
  type UpdateRequest,
} from '../../sdk/index.js'
import type { z } from 'zod/mini'
import { CAMPAIGN_FIELDS, SPEND_FIELDS, toCampaign, toSpend, toWireCampaign, toWireSpend } from './mappers/campaign.js'
import { toCompany, toContact, toWireCompany, toWireContact } from './mappers/contact.js'
import { toFieldDefinition } from './mappers/custom-fields.js'
import { toDeal, toLead, toWireLead } from './mappers/deal.js'
import { numericId } from './mappers/ids.js'
import { toPipeline, toUser } from './mappers/pipeline.js'
import { CONTACT_QUERY, ELEMENT_QUERY, LEAD_QUERY, NO_QUERY, buildListQuery } from './query.js'
import {
  WireAccount,
  WireCatalog,
  WireCatalogElement,
  WireCompany,
  WireContact,
  WireFieldDefinition,
  WireLead,
  WirePipeline,
  WireUser,
  batchResult,
  halList,
} from './wire.js'
import { memo } from '../../sdk/memo.js'
import { COMPANY_IMPORT_TRAITS, CONTACT_IMPORT_TRAITS } from './import-traits.js'
import { withImportTraits } from '../../sdk/adapter.js'

const crm = 'amocrm'
const API = '/api/v4'
/** Names of the two lists crm.setup() creates; found again by name on every run. */
export const CAMPAIGN_LIST = 'Маркетинговые кампании (crmkit)'
export const SPEND_LIST = 'Маркетинговые расходы (crmkit)'

export interface AmoDriverOptions {
  currency?: string
}

type Wire = Record<string, unknown> & { request_id?: string }

export function createAmoDrivers(env: AdapterEnv, options: AmoDriverOptions): Drivers {
  const { http } = env
  const sig = (ctx: CallContext) => (ctx.signal ? { signal: ctx.signal } : {})

  const get = (path: string, query: string | undefined, ctx: CallContext) =>
    http.request({ method: 'GET', path: `${API}${path}`, ...(query ? { query } : {}), kind: 'read', ...sig(ctx) })

  const currency = memo(async () => {
    if (options.currency) return options.currency
    const res = await get('/account', undefined, {})
    return parseResponse(WireAccount, res.data, crm, 'GET /account').currency ?? 'RUB'
  })

  /** Reads one HAL page; amoCRM's end of list is a 204, a short page, or no `next` link (research §2.2). */
  async function page<S extends z.ZodMiniType, T>(
    path: string,
    key: string,
    schema: S,
    query: string,
    limit: number,
    ctx: CallContext,
    map: (item: z.output<S>, raw: unknown) => T,
  ): Promise<PageResult<T>> {
    const res = await get(path, query, ctx)
    if (res.status === 204 || res.data === undefined) return { items: [], done: true }
    const env = parseResponse(halList(key, schema), res.data, crm, `GET ${path}`)
    const parsed = env._embedded[key] as z.output<S>[]
    const rawItems = (res.data as { _embedded: Record<string, unknown[]> })._embedded[key]!
    const items = parsed.map((item, i) => map(item, rawItems[i]))
    return { items, done: parsed.length < limit || !env._links?.next }
  }

  const definitions = new Map<string, ReturnType<typeof memo<FieldDefinition[]>>>()
  function fieldsOf(entity: CustomFieldEntity, path: string) {
    let m = definitions.get(path)
    if (!m) {
      m = memo(async () => {
        const out: FieldDefinition[] = []
        // custom_fields answers at most 50 per page whatever `limit` says (research §2.1).
        for (let n = 1; ; n++) {
          const p = await page(`${path}/custom_fields`, 'custom_fields', WireFieldDefinition, `page=${n}&limit=50`, 50, {}, (d) =>
            toFieldDefinition(entity, d),
          )
          out.push(...p.items)
          if (p.done) return out
        }
      })
      definitions.set(path, m)
    }
    return m.get()
  }

  async function readByIds<S extends z.ZodMiniType, T>(
    path: string,
    key: string,
    schema: S,
    ids: number[],
    withs: string[],
    map: (item: z.output<S>, raw: unknown) => T,
    ctx: CallContext,
  ): Promise<Map<number, T>> {
    const out = new Map<number, T>()
    if (!ids.length) return out
    const q = buildListQuery({ ids: ids.map(String) }, 1, 250, withs)
    const p = await page(path, key, schema, q, 250, ctx, (item, raw) => [item, map(item, raw)] as const)
    for (const [item, mapped] of p.items) out.set((item as { id: number }).id, mapped)
    return out
  }

  /**
   * One batch write: inputs that fail local mapping never leave; a 400 names failing items by
   * request_id and applies nothing, so the others are marked for resending; successes are read
   * back so callers get full records.
   */
  async function writeBatch<I, T>(
    method: 'POST' | 'PATCH',
    path: string,
    key: string,
    inputs: I[],
    toWire: (input: I) => Promise<Wire>,
    readBack: (ids: number[]) => Promise<Map<number, T>>,
    ctx: CallContext,
  ): Promise<DriverOutcome<T>[]> {
    const outcomes: (DriverOutcome<T> | undefined)[] = new Array(inputs.length)
    const body: Wire[] = []
    for (const [i, input] of inputs.entries()) {
      try {
        body.push({ ...(await toWire(input)), request_id: String(i) })
      } catch (e) {
        if (!(e instanceof CrmError)) throw e
        outcomes[i] = { ok: false, error: e }
      }
    }
    if (!body.length) return outcomes as DriverOutcome<T>[]
    let res: HttpResponse
    try {
      res = await http.request({ method, path: `${API}${path}`, body, kind: 'write', ...sig(ctx) })
    } catch (e) {
      if (e instanceof ValidationError && e.issues.some((x) => x.index !== undefined)) {
        for (const w of body) {
          const i = Number(w.request_id)
          const mine = e.issues.filter((x) => x.index === i).map(({ index: _drop, ...rest }) => rest)
          outcomes[i] = mine.length
            ? {
                ok: false,
                error: new ValidationError(`amoCRM rejected input #${i}: ${mine.map((m) => `${m.path.join('.')} ${m.code}`).join('; ')}`, {
                  crm,
                  status: 400,
                  code: mine[0]!.code,
                  issues: mine,
                }),
              }
            : { ok: false, resend: true }
        }
        return outcomes as DriverOutcome<T>[]
      }
      if (method === 'PATCH' && body.length > 1 && e instanceof WriteOutcomeUnknownError && e.status === 504) {
        // amoCRM's advice for a 504 is a smaller batch (research §3.1). Halving is safe for updates
        // only: each sets absolute values on a known id, so one applied before the timeout is
        // harmlessly applied again. A create batch stays outcome-unknown (a resend could duplicate).
        const indexes = body.map((w) => Number(w.request_id))
        const mid = Math.ceil(indexes.length / 2)
        for (const half of [indexes.slice(0, mid), indexes.slice(mid)]) {
          try {
            const sub = await writeBatch(method, path, key, half.map((i) => inputs[i]!), toWire, readBack, ctx)
            sub.forEach((o, j) => (outcomes[half[j]!] = o))
          } catch (err) {
            // One half failing (a lone update still timing out) must not cost the other half its turn.
            if (!(err instanceof CrmError)) throw err
            for (const i of half) outcomes[i] = { ok: false, error: err }
          }
        }
        return outcomes as DriverOutcome<T>[]
      }
      throw e
    }
    const result = parseResponse(batchResult(key), res.data, crm, `${method} ${path}`)
    const idByIndex = new Map<number, number>()
    for (const r of result._embedded[key] ?? []) idByIndex.set(Number(r.request_id), r.id)
    let records: Map<number, T>
    try {
      records = await readBack([...idByIndex.values()])
    } catch (e) {
      records = new Map()
      for (const w of body) {
        const id = idByIndex.get(Number(w.request_id))
        outcomes[Number(w.request_id)] = {
          ok: false,
          error: new CrmError(`Saved in amoCRM as id ${id} but reading it back failed; do not resend`, { crm, code: 'read_back_failed', cause: e }),
        }
      }
      return outcomes as DriverOutcome<T>[]
    }
    for (const w of body) {
      const i = Number(w.request_id)
      const id = idByIndex.get(i)
      const record = id === undefined ? undefined : records.get(id)
      outcomes[i] = record
        ? { ok: true, record }
        : { ok: false, error: new CrmError(`amoCRM returned no result for input #${i}`, { crm, code: 'missing_result' }) }
    }
    return outcomes as DriverOutcome<T>[]
  }

  const withRaw = (ctxInclude: string[] | undefined, raw: unknown) => (ctxInclude?.includes('raw') ? raw : undefined)

  /** A collection backed by a v4 entity endpoint (leads, contacts, companies). */
  function entityDriver<S extends z.ZodMiniType, T, C, U>(cfg: {
    path: string
    key: string
    schema: S
    withs: string[]
    query: ReadonlySet<QueryField>
    entity: CustomFieldEntity
    map: (w: z.output<S>, currency: string, raw: unknown) => T
    toWire: (input: C | U, currency: string, defs: FieldDefinition[]) => Wire
  }): CollectionDriver<T, C, U> {
    const mapWith = (include: string[] | undefined, cur: string) => (w: z.output<S>, raw: unknown) =>
      cfg.map(w, cur, withRaw(include, raw))
    const readBack = (ctx: CallContext) => async (ids: number[]) =>
      readByIds(cfg.path, cfg.key, cfg.schema, ids, cfg.withs, mapWith(undefined, await currency.get()), ctx)
    const wire = async (input: C | U) => cfg.toWire(input, await currency.get(), await fieldsOf(cfg.entity, cfg.path))
    return {
      paging: 'numbered',
      queryFields: cfg.query,
      async listPage(q: ListQuery, p, ctx) {
        const cur = await currency.get()
        return page(cfg.path, cfg.key, cfg.schema, buildListQuery(q, p.number, p.size, cfg.withs), p.size, ctx, mapWith(q.include, cur))
      },
      async get(id, o, ctx) {
        const cur = await currency.get()
        const res = await get(`${cfg.path}/${numericId(['id'], id)}`, cfg.withs.length ? `with=${cfg.withs.join(',')}` : undefined, ctx)
        const w = parseResponse(cfg.schema, res.data, crm, `GET ${cfg.path}/${id}`)
        return cfg.map(w, cur, withRaw(o.include, res.data))
      },
      createBatch: (inputs, ctx) => writeBatch('POST', cfg.path, cfg.key, inputs, wire, readBack(ctx), ctx),
      updateBatch: (updates: UpdateRequest<U>[], ctx) =>
        writeBatch(
          'PATCH',
          cfg.path,
          cfg.key,
          updates,
          async (u) => ({ ...(await wire(u.patch)), id: numericId(['id'], u.id) }),
          readBack(ctx),
          ctx,
        ),
      // amoCRM v4 has no DELETE for leads, contacts or companies.
    }
  }

  // ---- lists ("catalogs") for campaigns and spend -------------------------------------------

  const catalogs = memo(async () => {
    let res: HttpResponse
    try {
      res = await get('/catalogs', 'limit=250', {})
    } catch (e) {
      throw listsUnavailable(e)
    }
    if (res.status === 204) return [] as z.output<typeof WireCatalog>[]
    return parseResponse(halList('catalogs', WireCatalog), res.data, crm, 'GET /catalogs')._embedded.catalogs as z.output<
      typeof WireCatalog
    >[]
  })

  async function catalogId(name: string): Promise<number> {
    const found = (await catalogs.get()).find((c) => c.name === name)
    if (!found) {
      catalogs.reset()
      throw new UnsupportedError(`The amoCRM list "${name}" does not exist yet: run crm.setup() once for this account`, { crm })
    }
    return found.id
  }

  function elementDriver<T, C, U>(
    listName: string,
    map: (e: z.output<typeof WireCatalogElement>, raw: unknown) => T,
    toWire: (input: C | U) => Wire,
  ): CollectionDriver<T, C, U> {
    const pathOf = async () => `/catalogs/${await catalogId(listName)}/elements`
    const readBack = (path: string, ctx: CallContext) => (ids: number[]) =>
      readByIds(path, 'elements', WireCatalogElement, ids, [], (e) => map(e, undefined), ctx)
    return {
      paging: 'numbered',
      queryFields: ELEMENT_QUERY,
      async listPage(q, p, ctx) {
        const path = await pathOf()
        return page(path, 'elements', WireCatalogElement, buildListQuery(q, p.number, p.size, []), p.size, ctx, (e, raw) =>
          map(e, withRaw(q.include, raw)),
        )
      },
      async get(id, o, ctx) {
        const path = await pathOf()
        const res = await get(`${path}/${numericId(['id'], id)}`, undefined, ctx)
        return map(parseResponse(WireCatalogElement, res.data, crm, `GET ${path}/${id}`), withRaw(o.include, res.data))
      },
      async createBatch(inputs, ctx) {
        const path = await pathOf()
        return writeBatch('POST', path, 'elements', inputs, async (i) => toWire(i), readBack(path, ctx), ctx)
      },
      async updateBatch(updates, ctx) {
        const path = await pathOf()
        return writeBatch(
          'PATCH',
          path,
          'elements',
          updates,
          async (u) => ({ ...toWire(u.patch), id: numericId(['id'], u.id) }),
          readBack(path, ctx),
          ctx,
        )
      },
    }
  }

  async function setup(ctx: CallContext) {
    const created: string[] = []
    const existing: string[] = []
    catalogs.reset()
    const lists = await catalogs.get()
    for (const [name, fields] of [
      [CAMPAIGN_LIST, CAMPAIGN_FIELDS],
      [SPEND_LIST, SPEND_FIELDS],
    ] as const) {
      let id = lists.find((c) => c.name === name)?.id
      if (id === undefined) {
        const res = await http
          .request({ method: 'POST', path: `${API}/catalogs`, body: [{ name, type: 'regular', can_add_elements: true }], kind: 'write', ...sig(ctx) })
          .catch((e: unknown) => {
            throw listsUnavailable(e)
          })
        id = parseResponse(batchResult('catalogs'), res.data, crm, 'POST /catalogs')._embedded.catalogs![0]!.id
        created.push(`list "${name}"`)
      } else existing.push(`list "${name}"`)

      const have = await fieldsOf('campaigns', `/catalogs/${id}`)
      definitions.delete(`/catalogs/${id}`)
      const missing = Object.values(fields).filter((f) => !have.some((h) => h.code === f.code))
      if (missing.length) {
        await http.request({
          method: 'POST',
          path: `${API}/catalogs/${id}/custom_fields`,
          body: missing.map((f, i) => ({ name: f.name, type: f.type, code: f.code, sort: 500 + i })),
          kind: 'write',
          ...sig(ctx),
        })
        created.push(...missing.map((f) => `field ${f.code} in "${name}"`))
      }
      existing.push(...Object.values(fields).filter((f) => !missing.includes(f)).map((f) => `field ${f.code} in "${name}"`))
    }
    catalogs.reset()
    return { created, existing }
  }

  const leadCfg = {
    path: '/leads',
    key: 'leads',
    schema: WireLead,
    withs: ['contacts', 'loss_reason'],
    query: LEAD_QUERY,
    entity: 'leads' as const,
    toWire: toWireLead as (input: unknown, currency: string, defs: FieldDefinition[]) => Wire,
  }

  return {
    leads: entityDriver({ ...leadCfg, map: (w, cur, raw) => toLead(w, cur, raw) }),
    deals: entityDriver({ ...leadCfg, map: (w, cur, raw) => toDeal(w, cur, raw) }),
    contacts: withImportTraits(CONTACT_IMPORT_TRAITS, entityDriver({
      path: '/contacts',
      key: 'contacts',
      schema: WireContact,
      withs: [],
      query: CONTACT_QUERY,
      entity: 'contacts',
      map: (w, _c, raw) => toContact(w, raw),
      toWire: (input, _c, defs) => toWireContact(input as never, defs) as Wire,
    })),
    companies: withImportTraits(COMPANY_IMPORT_TRAITS, entityDriver({
      path: '/companies',
      key: 'companies',
      schema: WireCompany,
      withs: [],
      query: CONTACT_QUERY,
      entity: 'companies',
      map: (w, _c, raw) => toCompany(w, raw),
      toWire: (input, _c, defs) => toWireCompany(input as never, defs) as Wire,
    })),
    pipelines: {
      paging: 'numbered',
      queryFields: NO_QUERY,
      // At most 50 pipelines per account: one page holds them all.
      listPage: async (_q, p, ctx) => {
        if (p.number > 1) return { items: [], done: true }
        const r = await page('/leads/pipelines', 'pipelines', WirePipeline, '', Infinity, ctx, (w) => toPipeline(w))
        return { items: r.items, done: true }
      },
      get: async (id, _o, ctx) => {
        const res = await get(`/leads/pipelines/${numericId(['id'], id)}`, undefined, ctx)
        return toPipeline(parseResponse(WirePipeline, res.data, crm, `GET /leads/pipelines/${id}`))
      },
    },
    users: {
      paging: 'numbered',
      queryFields: NO_QUERY,
      listPage: (_q, p, ctx) => page('/users', 'users', WireUser, `page=${p.number}&limit=${p.size}`, p.size, ctx, (w) => toUser(w)),
      get: async (id, _o, ctx) => {
        const res = await get(`/users/${numericId(['id'], id)}`, undefined, ctx)
        return toUser(parseResponse(WireUser, res.data, crm, `GET /users/${id}`))
      },
    },
    campaigns: elementDriver(CAMPAIGN_LIST, toCampaign, (i) => toWireCampaign(i as never) as Wire),
    spend: elementDriver(SPEND_LIST, toSpend, (i) => toWireSpend(i as never) as Wire),
    fields: {
      async list(entity, _ctx) {
        switch (entity) {
          case 'leads':
          case 'deals':
            return fieldsOf(entity, '/leads')
          case 'contacts':
            return fieldsOf(entity, '/contacts')
          case 'companies':
            return fieldsOf(entity, '/companies')
          case 'campaigns':
            return (await fieldsOf(entity, `/catalogs/${await catalogId(CAMPAIGN_LIST)}`)).map((f) => ({ ...f, entity }))
          case 'spend':
            return (await fieldsOf(entity, `/catalogs/${await catalogId(SPEND_LIST)}`)).map((f) => ({ ...f, entity }))
        }
      },
    },
    setup,
  }
}

/** A plan without lists answers 402 on /catalogs; say what that means instead of "payment required". */
function listsUnavailable(e: unknown): unknown {
  if (e instanceof AccountBlockedError && e.reason === 'payment-required') {
    return new UnsupportedError(
      'This amoCRM account has no lists (catalogs) on its plan — lists start from the "Extended" plan — so crmkit cannot store campaigns and spend in it',
      { crm, status: 402, cause: e, detail: e.detail },
    )
  }
  if (e instanceof ValidationError && e.status === 400 && /10|limit|лимит/i.test(e.message + (e.detail ?? ''))) {
    return new UnsupportedError('This amoCRM account already has the maximum of 10 lists; free one to store campaigns and spend', {
      crm,
      status: 400,
      cause: e,
    })
  }
  return e
}
