import {
  CrmError,
  NotFoundError,
  UnsupportedError,
  parseResponse,
  type AdapterEnv,
  type CallContext,
  type CollectionDriver,
  type CustomFieldEntity,
  type DriverOutcome,
  type Drivers,
  type HttpResponse,
  type ListQuery,
  type PageResult,
  type QueryField,
  type SetupReport,
  type UpdateRequest,
  type Campaign,
  type CampaignCreate,
  type CampaignUpdate,
  type SpendCreate,
  type SpendEntry,
  type SpendUpdate,
} from '../../sdk/index.js'
import type { z } from 'zod/mini'
import { DUPLICATE_KEY, classifyCreatioError } from './errors.js'
import { fromCampaign, fromEvent, fromMktgActivity, toWireCampaign, toWireEvent, toWireMktgActivity, type CampaignCtx } from './mappers/campaign.js'
import { APPROVAL_LOG_COLUMN, fieldColumns, parseMetadata, probeCapabilities, type SiteCapabilities, type SiteMetadata } from './metadata.js'
import { fieldDefinitions, guidOrNull, invalid, type CustomColumn } from './mappers/common.js'
import {
  DEAL_PIPELINE,
  LEAD_PIPELINE,
  toCompany,
  toContact,
  toDeal,
  toLead,
  toPipelines,
  toWireCompany,
  toWireContact,
  toWireDeal,
  toWireLead,
  type MapCtx,
  type QualifyRow,
  type StageRow,
  type WireCtx,
} from './mappers/records.js'
import { IN_CHUNK, MAX_ROWS, and, buildQuery, cmp, contains, inChunks, isGuid, keyPath } from './odata.js'
import {
  WireAccount,
  WireCampaign,
  WireContact,
  WireEvent,
  WireLead,
  WireLookup,
  WireMktgActivity,
  WireOpportunity,
  WireOpportunityStage,
  WireQualifyStatus,
  WireRow,
  WireSysAdminUnit,
  WireBatchResponse,
  collection,
} from './wire.js'
import { memo } from '../../sdk/memo.js'
import { withImportTraits } from '../../sdk/adapter.js'
import { COMPANY_IMPORT_TRAITS, CONTACT_IMPORT_TRAITS } from './import-traits.js'

const crm = 'creatio'
/** Creatio's own limit of sub-requests in one `$batch` (research §3.5). */
export const BATCH_LIMIT = 100
/** The marketing plan crmkit files new activities under (created by `crm.setup()`). */
export const CRMKIT_PLAN = 'crmkit'
const JSON_TYPE = 'application/json; charset=utf-8; IEEE754Compatible=true'

type Row = Record<string, unknown>

export interface CreatioDriverOptions {
  /** `/0/odata` or `/odata`. */
  root: string
  currency: string
}

export interface Site {
  meta: SiteMetadata
  caps: SiteCapabilities
}

const ENTITY_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'stageIds', 'ownerIds', 'search'])
const PARTY_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'ownerIds', 'search'])
const CAMPAIGN_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'ownerIds', 'search'])
const SPEND_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids'])
const NO_QUERY: ReadonlySet<QueryField> = new Set()

export type CreatioDrivers = Drivers & {
  /** `$metadata` read once per client: what this site has and how crmkit maps it. */
  site(ctx?: CallContext): Promise<Site>
  /** Total rows matching an OData filter, with Creatio's `$count=true&$top=0`. */
  count(entitySet: string, filter?: string | null, ctx?: CallContext): Promise<number>
}

export function createCreatioDrivers(env: AdapterEnv, o: CreatioDriverOptions): CreatioDrivers {
  const { http } = env
  const sig = (ctx: CallContext) => (ctx.signal ? { signal: ctx.signal } : {})
  const get = (path: string, query: string, ctx: CallContext) =>
    http.request({ method: 'GET', path: `${o.root}/${path}`, ...(query ? { query } : {}), kind: 'read', ...sig(ctx) })

  const site = memo(async (): Promise<Site> => {
    const res = await http.request({ method: 'GET', path: `${o.root}/$metadata`, kind: 'read', headers: { Accept: 'application/xml' } })
    const meta = parseMetadata(res.text)
    if (!meta.size) throw new CrmError('Creatio $metadata lists no entity types', { crm, code: 'unexpected_response' })
    return { meta, caps: probeCapabilities(meta) }
  })

  async function list<S extends z.ZodMiniType>(set: string, query: string, schema: S, ctx: CallContext) {
    const res = await get(set, query, ctx)
    const parsed = parseResponse(collection(schema), res.data, crm, `GET ${set}`)
    return { rows: parsed.value as z.output<S>[], raw: (res.data as { value: unknown[] }).value, count: parsed['@odata.count'] }
  }

  // ---- lookup dictionaries, cached per client and refreshed when an unknown id shows up --------

  const EXTRA: Record<string, string[]> = {
    OpportunityStage: ['Number', 'End', 'Successful'],
    QualifyStatus: ['StageNumber', 'IsFinal', 'Successful'],
  }
  const dicts = new Map<string, { m: ReturnType<typeof memo<Map<string, Row>>>; last: Map<string, Row> }>()
  function dict(entity: string) {
    let d = dicts.get(entity)
    if (!d) {
      const entry = {
        last: new Map<string, Row>(),
        m: memo(async () => {
          const { meta } = await site.get()
          const map = new Map<string, Row>()
          if (!meta.has(entity)) return map
          const schema = entity === 'OpportunityStage' ? WireOpportunityStage : entity === 'QualifyStatus' ? WireQualifyStatus : WireLookup
          const select = ['Id', 'Name', ...(EXTRA[entity] ?? [])]
          for (let skip = 0; ; skip += MAX_ROWS) {
            const { rows } = await list(entity, buildQuery({ select, top: MAX_ROWS, skip }), schema, {})
            for (const r of rows as Row[]) map.set(String(r['Id']).toLowerCase(), r)
            if (rows.length < MAX_ROWS) break
          }
          entry.last = map
          return map
        }),
      }
      d = entry
      dicts.set(entity, d)
    }
    return d
  }
  const dictSelect = (entity: string) => buildQuery({ select: ['Id', 'Name', ...(EXTRA[entity] ?? [])], top: MAX_ROWS })

  /**
   * Starts loading several dictionaries in one JSON `$batch` of GETs, so a first page does not wait
   * behind a queue of lookup requests. A dictionary at the 20,000-row cap is reloaded page by page.
   */
  async function preload(entities: Iterable<string>): Promise<void> {
    const { meta } = await site.get()
    const todo = [...new Set(entities)].filter((e) => meta.has(e) && !dict(e).m.started())
    if (todo.length < 2) {
      for (const e of todo) dict(e).m.get().catch(() => undefined)
      return
    }
    const batch = http
      .request({
        method: 'POST',
        path: `${o.root}/$batch`,
        body: { requests: todo.map((e, i) => ({ id: String(i), method: 'GET', url: `${e}?${dictSelect(e)}`, headers: { Accept: 'application/json' } })) },
        kind: 'read',
        headers: { Prefer: 'continue-on-error', 'Content-Type': 'application/json' },
      })
      .then((res) => parseResponse(WireBatchResponse, res.data, crm, 'POST $batch (dictionaries)'))
    todo.forEach((entity, i) => {
      const d = dict(entity)
      d.m.set(
        batch.then(async (b) => {
          const r = b.responses.find((x) => x.id === String(i))
          if (!r || r.status !== 200) throw new CrmError(`Creatio could not load the ${entity} dictionary (HTTP ${r?.status ?? 'none'})`, { crm, status: r?.status ?? null })
          const schema = entity === 'OpportunityStage' ? WireOpportunityStage : entity === 'QualifyStatus' ? WireQualifyStatus : WireLookup
          const rows = parseResponse(collection(schema), r.body, crm, `GET ${entity}`).value as Row[]
          if (rows.length >= MAX_ROWS) {
            d.m.reset()
            return d.m.get()
          }
          const map = new Map(rows.map((row) => [String(row['Id']).toLowerCase(), row]))
          d.last = map
          return map
        }),
      )
      d.m.get().catch(() => undefined)
    })
  }

  async function ensure(entity: string, ids: Iterable<string | null>): Promise<Map<string, Row>> {
    const d = dict(entity)
    let map = await d.m.get()
    for (const id of ids) {
      if (id && !map.has(id)) {
        d.m.reset()
        map = await d.m.get()
        break
      }
    }
    return map
  }
  const names = (entity: string, id: string | null): string | null => {
    if (!id) return null
    const n = dicts.get(entity)?.last.get(id)?.['Name']
    return typeof n === 'string' ? n : null
  }
  const options = (entity: string) => [...(dicts.get(entity)?.last.values() ?? [])].map((r) => ({ id: String(r['Id']).toLowerCase(), name: String(r['Name']) }))
  const idByName = (entity: string, name: string): string | null => {
    // By name, case-insensitively; then by slug, so a channel code like `paid-search` finds "Paid search".
    const slug = (x: string) => x.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')
    const rows = [...(dicts.get(entity)?.last ?? [])]
    const wanted = name.trim().toLowerCase()
    const exact = rows.find(([, r]) => String(r['Name']).trim().toLowerCase() === wanted)
    if (exact) return exact[0]
    return rows.find(([, r]) => slug(String(r['Name'])) === slug(name))?.[0] ?? null
  }

  /** Loads every dictionary the rows refer to (lookup column → entity). */
  async function resolveLookups(rows: Row[], lookups: Record<string, string>) {
    const byEntity = new Map<string, Set<string | null>>()
    for (const [column, entity] of Object.entries(lookups)) {
      const ids = byEntity.get(entity) ?? new Set()
      for (const r of rows) ids.add(guidOrNull(r[column]))
      byEntity.set(entity, ids)
    }
    await Promise.all([...byEntity].map(([entity, ids]) => ensure(entity, ids)))
  }

  // ---- writes -------------------------------------------------------------------------------

  interface WriteItem {
    method: 'POST' | 'PATCH'
    id: string
    body: Row
  }

  const asResponse = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
    status,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    data: body,
    text: body === undefined ? '' : JSON.stringify(body),
  })

  /**
   * Sends writes (POST with client-generated Ids, PATCH by key): one request alone, several as a
   * JSON `$batch` with `Prefer: continue-on-error`, so each item gets its own outcome. Both are
   * idempotent — a repeated create hits the primary key instead of duplicating — so the core may
   * retry them. Records come back from 201 bodies or, for 204s, from one read-back query.
   */
  async function write<T>(set: string, items: WriteItem[], readBack: (ids: string[], ctx: CallContext) => Promise<Map<string, T>>, mapCreated: (rows: Row[]) => Promise<T[]>, ctx: CallContext): Promise<DriverOutcome<T>[]> {
    const results: { status: number; body: unknown; headers?: Record<string, string> }[] = []
    const url = (i: WriteItem) => (i.method === 'POST' ? set : keyPath(set, i.id))
    if (items.length === 1) {
      const item = items[0]!
      try {
        const res = await http.request({
          method: item.method,
          path: `${o.root}/${url(item)}`,
          body: item.method === 'POST' ? { Id: item.id, ...item.body } : item.body,
          kind: 'write',
          idempotent: true,
          headers: { 'Content-Type': JSON_TYPE },
          ...sig(ctx),
        })
        results.push({ status: res.status, body: res.data })
      } catch (e) {
        if (!(e instanceof CrmError)) throw e
        if (item.method === 'POST' && e.code === 'duplicate_key') results.push({ status: 409, body: undefined })
        else return [{ ok: false, error: e }]
      }
    } else {
      const res = await http.request({
        method: 'POST',
        path: `${o.root}/$batch`,
        body: {
          requests: items.map((i, n) => ({
            id: String(n),
            method: i.method,
            url: url(i),
            headers: { 'Content-Type': JSON_TYPE },
            body: i.method === 'POST' ? { Id: i.id, ...i.body } : i.body,
          })),
        },
        kind: 'write',
        idempotent: true,
        headers: { Prefer: 'continue-on-error', 'Content-Type': 'application/json' },
        ...sig(ctx),
      })
      const parsed = parseResponse(WireBatchResponse, res.data, crm, 'POST $batch')
      const byId = new Map(parsed.responses.map((r) => [r.id, r]))
      items.forEach((_, n) => {
        const r = byId.get(String(n))
        results.push(r ? { status: r.status, body: r.body, ...(r.headers ? { headers: r.headers } : {}) } : { status: 0, body: undefined })
      })
    }
    const outcomes: (DriverOutcome<T> | undefined)[] = new Array(items.length)
    const created: { n: number; row: Row }[] = []
    const readIds: { n: number; id: string }[] = []
    results.forEach((r, n) => {
      const item = items[n]!
      if (r.status === 201 && r.body && typeof r.body === 'object') created.push({ n, row: r.body as Row })
      else if ((r.status >= 200 && r.status < 300) || r.status === 409) readIds.push({ n, id: item.id })
      else if (r.status === 0) outcomes[n] = { ok: false, error: new CrmError('Creatio returned no result for this item of the $batch', { crm, code: 'missing_result' }) }
      else {
        const { error } = classifyCreatioError(asResponse(r.status, r.body, r.headers), { method: item.method, path: url(item), kind: 'write' })
        // A create repeated after a lost answer meets its own primary key: it was applied once.
        if (item.method === 'POST' && DUPLICATE_KEY.test(error.detail ?? '')) readIds.push({ n, id: item.id })
        else outcomes[n] = { ok: false, error }
      }
    })
    if (created.length) {
      const mapped = await mapCreated(created.map((c) => c.row))
      created.forEach((c, k) => (outcomes[c.n] = { ok: true, record: mapped[k]! }))
    }
    if (readIds.length) {
      let records: Map<string, T>
      try {
        records = await readBack(readIds.map((r) => r.id), ctx)
      } catch (e) {
        for (const r of readIds) {
          outcomes[r.n] = { ok: false, error: new CrmError(`Saved in Creatio as ${r.id} but reading it back failed; do not resend`, { crm, code: 'read_back_failed', cause: e }) }
        }
        return outcomes as DriverOutcome<T>[]
      }
      for (const r of readIds) {
        const rec = records.get(r.id)
        outcomes[r.n] = rec ? { ok: true, record: rec } : { ok: false, error: new NotFoundError(`Creatio has no ${set} ${r.id}`, { crm, status: 404 }) }
      }
    }
    return outcomes as DriverOutcome<T>[]
  }

  /** Maps local failures (bad input) to outcomes and sends the rest. */
  async function sendWrites<I, T>(
    set: string,
    inputs: I[],
    prepare: (input: I) => Promise<WriteItem>,
    readBack: (ids: string[], ctx: CallContext) => Promise<Map<string, T>>,
    mapCreated: (rows: Row[]) => Promise<T[]>,
    ctx: CallContext,
  ): Promise<DriverOutcome<T>[]> {
    const outcomes: DriverOutcome<T>[] = new Array(inputs.length)
    const ready: { n: number; item: WriteItem }[] = []
    for (const [n, input] of inputs.entries()) {
      try {
        ready.push({ n, item: await prepare(input) })
      } catch (e) {
        if (!(e instanceof CrmError)) throw e
        outcomes[n] = { ok: false, error: e }
      }
    }
    for (let i = 0; i < ready.length; i += BATCH_LIMIT) {
      const chunk = ready.slice(i, i + BATCH_LIMIT)
      const out = await write(set, chunk.map((c) => c.item), readBack, mapCreated, ctx)
      chunk.forEach((c, k) => (outcomes[c.n] = out[k]!))
    }
    return outcomes
  }

  const newId = () => globalThis.crypto.randomUUID()
  const missing = (id: string, set: string) => new NotFoundError(`Creatio has no ${set} ${id}${isGuid(id) ? '' : ' (Creatio ids are GUIDs)'}`, { crm, status: 404 })

  // ---- shared read path ------------------------------------------------------------------------

  interface ReadCfg<T> {
    set: string
    schema: z.ZodMiniType
    columns: string[]
    lookups: Record<string, string>
    search: string
    stage?: string
    /** Extra filter always applied (e.g. spend entries only). */
    base?: (s: Site) => string | null
    map(rows: Row[], raws: unknown[] | null, s: Site): Promise<T[]>
  }

  function selectOf(s: Site, set: string, columns: string[]): string[] {
    const props = s.meta.get(set)?.props
    const custom = fieldColumns(s.meta.get(set)).map((c) => c.column)
    const tracking = Object.values(set === 'Lead' || set === 'Opportunity' ? s.caps.tracking[set] : {})
    return [...new Set(['Id', 'CreatedOn', 'ModifiedOn', ...columns, ...tracking, ...custom])].filter((c) => !props || props.has(c))
  }

  /**
   * The query as filters whose results, one after another, are the answer: the common part and one
   * alternative per combination of `stageIds` / `ownerIds` chunks (Creatio has no `in`, and a long
   * `or` chain is split like `ids`). Chunks hold distinct values, so the alternatives never overlap.
   */
  function filterOf(q: ListQuery, cfg: ReadCfg<unknown>, s: Site): { common: string | null; alternatives: (string | null)[] } {
    const chunks = (nav: string, values: string[] | undefined): (string | null)[] | 'none' => {
      if (!values) return [null]
      if (!values.length) return 'none'
      const distinct = [...new Set(values.map((v) => v.toLowerCase()))]
      return inChunks(nav, distinct.map((guid) => ({ guid })), { lookup: true })
    }
    const stages = cfg.stage ? chunks(cfg.stage, q.stageIds) : [null]
    const owners = chunks('Owner', q.ownerIds)
    return {
      common: and(
        cfg.base?.(s),
        q.updatedSince ? cmp('ModifiedOn', 'ge', { date: q.updatedSince }) : null,
        q.createdSince ? cmp('CreatedOn', 'ge', { date: q.createdSince }) : null,
        q.search ? contains(cfg.search, q.search) : null,
      ),
      // An empty list matches nothing: one query that says so.
      alternatives: stages === 'none' || owners === 'none' ? ['false'] : stages.flatMap((st) => owners.map((ow) => and(st, ow))),
    }
  }

  /** Stage and owner ids are GUIDs; anything else is a mistake worth naming, not a silent no-match. */
  function checkLookupIds(q: ListQuery) {
    for (const field of ['stageIds', 'ownerIds'] as const) {
      q[field]?.forEach((v, i) => {
        if (!isGuid(v)) invalid([field, i], `must be Creatio ids (GUIDs); ${JSON.stringify(v)} is not one`)
      })
    }
  }

  /**
   * Row counts per alternative, for paging across several: page 1 counts afresh (`$count=true&$top=0`
   * each) and the pages after it, which the paginator asks for only once page 1 has answered, reuse
   * them. Keyed by the query object, which is one per `list()` iteration.
   */
  const altCounts = new WeakMap<ListQuery, Promise<number[]>>()
  function countsOf(q: ListQuery, page: number, set: string, filters: (string | null)[], ctx: CallContext): Promise<number[]> {
    let counts = page === 1 ? undefined : altCounts.get(q)
    if (!counts) {
      counts = Promise.all(filters.map((f) => countRows(set, f, ctx)))
      counts.catch(() => altCounts.delete(q))
      altCounts.set(q, counts)
    }
    return counts
  }

  async function countRows(set: string, filter: string | null | undefined, ctx: CallContext): Promise<number> {
    const { count } = await list(set, buildQuery({ ...(filter ? { filter } : {}), count: true, top: 0 }), WireRow, ctx)
    if (count === undefined) throw new CrmError('Creatio sent no @odata.count', { crm, code: 'unexpected_response' })
    return count
  }

  async function readPage<T>(cfg: ReadCfg<T>, q: ListQuery, p: { number: number; size: number }, ctx: CallContext): Promise<PageResult<T>> {
    checkLookupIds(q)
    const s = await site.get()
    const select = selectOf(s, cfg.set, cfg.columns)
    const { common, alternatives } = filterOf(q, cfg as ReadCfg<unknown>, s)
    // One query per slice: its filter, how many rows to skip and take.
    let slices: { filter: string | null; skip: number; top: number }[]
    let done: boolean | null = null
    if (q.ids) {
      // Creatio has no `in`: ids go as `or` chains, one chunk per page; a chunk's rows fit in the page
      // even when split further by stage or owner, since those alternatives do not overlap.
      const ids = q.ids.filter(isGuid).map((guid) => ({ guid }))
      const chunks = inChunks('Id', ids, { chunk: Math.min(IN_CHUNK, p.size) })
      if (p.number > chunks.length) return { items: [], done: true }
      slices = alternatives.map((alt) => ({ filter: and(common, chunks[p.number - 1], alt), skip: 0, top: p.size }))
      done = p.number >= chunks.length
    } else if (alternatives.length === 1) {
      slices = [{ filter: and(common, alternatives[0]), skip: (p.number - 1) * p.size, top: p.size }]
    } else {
      // Several alternatives follow one another; their counts say where this page falls.
      const filters = alternatives.map((alt) => and(common, alt))
      const counts = await countsOf(q, p.number, cfg.set, filters, ctx)
      slices = []
      let offset = (p.number - 1) * p.size
      let want = p.size
      counts.forEach((n, k) => {
        if (want === 0) return
        if (offset >= n) return void (offset -= n)
        const top = Math.min(want, n - offset)
        slices.push({ filter: filters[k]!, skip: offset, top })
        want -= top
        offset = 0
      })
      done = p.number * p.size >= counts.reduce((a, b) => a + b, 0)
      if (!slices.length) return { items: [], done: true }
    }
    // The lookup dictionaries load alongside the first page instead of after it.
    const lookups = [...Object.values(cfg.lookups), ...fieldColumns(s.meta.get(cfg.set)).flatMap((c) => (c.lookup ? [c.lookup] : []))]
    await preload(lookups)
    const parts = await Promise.all(slices.map((sl) => list(cfg.set, buildQuery({ select, filter: sl.filter, orderby: ['CreatedOn', 'Id'], top: sl.top, skip: sl.skip }), cfg.schema, ctx)))
    const rows = parts.flatMap((x) => x.rows) as Row[]
    const items = await cfg.map(rows, q.include?.includes('raw') ? parts.flatMap((x) => x.raw) : null, s)
    return { items, done: done ?? rows.length < p.size }
  }

  async function readOne<T>(cfg: ReadCfg<T>, id: string, include: string[] | undefined, ctx: CallContext): Promise<T> {
    if (!isGuid(id)) throw missing(id, cfg.set)
    const s = await site.get()
    const res = await get(keyPath(cfg.set, id), buildQuery({ select: selectOf(s, cfg.set, cfg.columns) }), ctx)
    const row = parseResponse(cfg.schema, res.data, crm, `GET ${cfg.set}(${id})`) as Row
    const base = cfg.base?.(s)
    if (base && cfg.set === 'Event') {
      const link = s.caps.spend.entity ? s.caps.spend.link : null
      if (link && !guidOrNull(row[link])) throw missing(id, cfg.set)
    }
    return (await cfg.map([row], include?.includes('raw') ? [res.data] : null, s))[0]!
  }

  async function readByIds<T>(cfg: ReadCfg<T>, ids: string[], ctx: CallContext): Promise<Map<string, T>> {
    const out = new Map<string, T>()
    const s = await site.get()
    for (const filter of inChunks('Id', ids.map((guid) => ({ guid })))) {
      const { rows } = await list(cfg.set, buildQuery({ select: selectOf(s, cfg.set, cfg.columns), filter }), cfg.schema, ctx)
      const mapped = await cfg.map(rows as Row[], null, s)
      rows.forEach((r, k) => out.set(String((r as Row)['Id']).toLowerCase(), mapped[k]!))
    }
    return out
  }

  // ---- entity collections --------------------------------------------------------------------

  async function mapCtx(set: string, rows: Row[], lookups: Record<string, string>, s: Site): Promise<MapCtx> {
    const custom = fieldColumns(s.meta.get(set))
    const all = { ...lookups, ...Object.fromEntries(custom.filter((c) => c.lookup).map((c) => [c.column, c.lookup!])) }
    await resolveLookups(rows, all)
    return {
      currency: o.currency,
      names,
      options,
      stages: (dicts.get('OpportunityStage')?.last ?? new Map()) as unknown as Map<string, StageRow>,
      qualify: (dicts.get('QualifyStatus')?.last ?? new Map()) as unknown as Map<string, QualifyRow>,
      tracking: set === 'Lead' || set === 'Opportunity' ? s.caps.tracking[set] : {},
      custom,
    }
  }

  async function wireCtx(set: string): Promise<WireCtx> {
    const s = await site.get()
    const custom = fieldColumns(s.meta.get(set))
    await Promise.all(['LeadMedium', 'LeadSource', 'Campaign', ...custom.flatMap((c) => (c.lookup ? [c.lookup] : []))].map((e) => dict(e).m.get()))
    return { currency: o.currency, idByName, options, tracking: set === 'Lead' || set === 'Opportunity' ? s.caps.tracking[set] : {}, custom }
  }

  function entityDriver<T, C, U>(cfg: {
    set: string
    schema: z.ZodMiniType
    columns: string[]
    lookups: Record<string, string>
    search: string
    stage?: string
    query: ReadonlySet<QueryField>
    map: (row: Row, ctx: MapCtx, raw?: unknown) => T
    toWire: (input: C | U, ctx: WireCtx) => Row
  }): CollectionDriver<T, C, U> {
    const read: ReadCfg<T> = {
      ...cfg,
      async map(rows, raws, s) {
        const ctx = await mapCtx(cfg.set, rows, cfg.lookups, s)
        return rows.map((r, i) => cfg.map(r, ctx, raws ? raws[i] : undefined))
      },
    }
    const mapCreated = async (rows: Row[]) => read.map(rows, null, await site.get())
    const readBack = (ids: string[], ctx: CallContext) => readByIds(read, ids, ctx)
    return {
      paging: 'numbered',
      queryFields: cfg.query,
      listPage: (q, p, ctx) => readPage(read, q, p, ctx),
      get: (id, opts, ctx) => readOne(read, id.toLowerCase(), opts.include, ctx),
      createBatch: async (inputs, ctx) => {
        const w = await wireCtx(cfg.set)
        return sendWrites(cfg.set, inputs, async (i) => ({ method: 'POST', id: newId(), body: cfg.toWire(i, w) }), readBack, mapCreated, ctx)
      },
      updateBatch: async (updates, ctx) => {
        const w = await wireCtx(cfg.set)
        return sendWrites(
          cfg.set,
          updates,
          async (u) => {
            if (!isGuid(u.id)) throw missing(u.id, cfg.set)
            return { method: 'PATCH', id: u.id.toLowerCase(), body: cfg.toWire(u.patch, w) }
          },
          readBack,
          mapCreated,
          ctx,
        )
      },
      delete: async (id, ctx) => {
        if (!isGuid(id)) throw missing(id, cfg.set)
        await http.request({ method: 'DELETE', path: `${o.root}/${keyPath(cfg.set, id)}`, kind: 'write', idempotent: true, ...sig(ctx) })
      },
    }
  }

  const SOURCE_LOOKUPS = { LeadSourceId: 'LeadSource', CampaignId: 'Campaign' }
  const deals = entityDriver({
    set: 'Opportunity',
    schema: WireOpportunity,
    columns: ['Title', 'AccountId', 'ContactId', 'StageId', 'Amount', 'Probability', 'DueDate', 'CloseReasonId', 'LeadTypeId', 'OwnerId', 'CampaignId', 'LeadSourceId', 'LeadChannelId', 'MainLeadId', 'ClosedOnDate'],
    lookups: { StageId: 'OpportunityStage', CloseReasonId: 'OpportunityCloseReason', LeadChannelId: 'LeadMedium', ...SOURCE_LOOKUPS },
    search: 'Title',
    stage: 'Stage',
    query: ENTITY_QUERY,
    map: toDeal,
    toWire: toWireDeal,
  })
  const leads = entityDriver({
    set: 'Lead',
    schema: WireLead,
    columns: ['LeadName', 'Contact', 'Account', 'QualifiedContactId', 'QualifiedAccountId', 'QualifyStatusId', 'LeadSourceId', 'LeadMediumId', 'CampaignId', 'OpportunityId', 'Budget', 'OwnerId', 'Email', 'MobilePhone'],
    lookups: { QualifyStatusId: 'QualifyStatus', LeadMediumId: 'LeadMedium', ...SOURCE_LOOKUPS },
    search: 'LeadName',
    stage: 'QualifyStatus',
    query: ENTITY_QUERY,
    map: toLead,
    toWire: toWireLead,
  })
  const contacts = entityDriver({
    set: 'Contact',
    schema: WireContact,
    columns: ['Name', 'GivenName', 'Surname', 'Email', 'MobilePhone', 'Phone', 'HomePhone', 'AccountId', 'OwnerId'],
    lookups: {},
    search: 'Name',
    query: PARTY_QUERY,
    map: toContact,
    toWire: toWireContact,
  })
  const companies = entityDriver({
    set: 'Account',
    schema: WireAccount,
    columns: ['Name', 'OwnerId'],
    lookups: {},
    search: 'Name',
    query: PARTY_QUERY,
    map: toCompany,
    toWire: toWireCompany,
  })

  // ---- campaigns and spend -------------------------------------------------------------------

  const planId = memo(async () => {
    const s = await site.get()
    if (!s.caps.marketingPlans) return null
    const { rows } = await list('CampaignPlanner', buildQuery({ select: ['Id'], filter: cmp('Name', 'eq', CRMKIT_PLAN), top: 1 }), WireRow, {})
    return rows[0] ? String(rows[0].Id).toLowerCase() : null
  })

  async function campaignMode(): Promise<{ set: 'MktgActivity' | 'Campaign'; s: Site }> {
    const s = await site.get()
    if (!s.caps.campaigns) throw new UnsupportedError('This Creatio site has neither Marketing plans (MktgActivity) nor Campaign: crmkit cannot store campaigns in it', { crm })
    return { set: s.caps.campaigns, s }
  }

  async function campaignCtx(set: 'MktgActivity' | 'Campaign', rows: Row[], s: Site): Promise<CampaignCtx> {
    const status = set === 'MktgActivity' ? 'MktgActivityStatus' : 'CampaignStatus'
    const custom = fieldColumns(s.meta.get(set))
    await resolveLookups(rows, { ChannelId: 'LeadMedium', StatusId: status, CampaignStatusId: status, ...Object.fromEntries(custom.filter((c) => c.lookup).map((c) => [c.column, c.lookup!])) })
    await Promise.all([dict('LeadMedium').m.get(), dict(status).m.get()])
    return {
      currency: o.currency,
      names,
      idByName,
      statuses: options(status),
      custom,
      utmColumn: set === 'MktgActivity' && s.meta.get(set)?.props.has('UsrUtmCampaign') ? 'UsrUtmCampaign' : null,
      approvalLogColumn: set === 'MktgActivity' && s.meta.get(set)?.props.has(APPROVAL_LOG_COLUMN) ? APPROVAL_LOG_COLUMN : null,
    }
  }

  const campaignRead = (set: 'MktgActivity' | 'Campaign'): ReadCfg<Campaign> => ({
    set,
    schema: set === 'MktgActivity' ? WireMktgActivity : WireCampaign,
    columns:
      set === 'MktgActivity'
        ? ['Name', 'CampaignPlannerId', 'ChannelId', 'StatusId', 'StartDate', 'DueDate', 'OwnerId', 'PlannedBudget', 'SpentBudget', 'Approval', 'UsrUtmCampaign', APPROVAL_LOG_COLUMN]
        : ['Name', 'CampaignStatusId', 'OwnerId', 'StartDate', 'EndDate', 'UtmCampaign'],
    lookups: {},
    search: 'Name',
    async map(rows, raws, s) {
      const ctx = await campaignCtx(set, rows, s)
      return rows.map((r, i) => (set === 'MktgActivity' ? fromMktgActivity : fromCampaign)(r, ctx, raws ? raws[i] : undefined))
    },
  })

  /**
   * A collection stored in an entity set found by probing the site (campaigns: MktgActivity or
   * Campaign; spend: Event, linked by whichever column the site has). Every call resolves the mode
   * first; reads, writes and deletes then go the same way for both.
   */
  function probedDriver<T, C, U, M extends { set: string; read: ReadCfg<T>; s: Site }, B = undefined>(d: {
    queryFields: CollectionDriver<T, C, U>['queryFields']
    mode(): Promise<M>
    /** The body of one create, given what the batch prepared once. */
    create(input: C, m: M, batch: B): Promise<Record<string, unknown>> | Record<string, unknown>
    update(u: UpdateRequest<U>, m: M, batch: B, ctx: CallContext): Promise<Record<string, unknown>> | Record<string, unknown>
    /** Work done once per write batch (lookups, the plan id). */
    prepareBatch?(m: M): Promise<B>
  }): CollectionDriver<T, C, U> {
    const write = async <I>(inputs: I[], item: (input: I, m: M, batch: B) => Promise<WriteItem>, ctx: CallContext) => {
      const m = await d.mode()
      const batch = (await d.prepareBatch?.(m)) as B
      return sendWrites(
        m.set,
        inputs,
        (input) => item(input, m, batch),
        (ids, c) => readByIds(m.read, ids, c),
        async (rows) => m.read.map(rows, null, m.s),
        ctx,
      )
    }
    return {
      paging: 'numbered',
      queryFields: d.queryFields,
      async listPage(q, p, ctx) {
        return readPage((await d.mode()).read, q, p, ctx)
      },
      async get(id, opts, ctx) {
        return readOne((await d.mode()).read, id.toLowerCase(), opts.include, ctx)
      },
      createBatch: (inputs, ctx) => write(inputs, async (i, m, batch) => ({ method: 'POST', id: newId(), body: await d.create(i, m, batch) }), ctx),
      updateBatch: (updates, ctx) =>
        write(
          updates,
          async (u, m, batch) => {
            if (!isGuid(u.id)) throw missing(u.id, m.set)
            return { method: 'PATCH', id: u.id.toLowerCase(), body: await d.update(u, m, batch, ctx) }
          },
          ctx,
        ),
      async delete(id, ctx) {
        const { set } = await d.mode()
        if (!isGuid(id)) throw missing(id, set)
        await http.request({ method: 'DELETE', path: `${o.root}/${keyPath(set, id)}`, kind: 'write', idempotent: true, ...sig(ctx) })
      },
    }
  }

  type CampaignBatch = { cctx: CampaignCtx; plan: string | null }
  const campaigns = probedDriver<Campaign, CampaignCreate, CampaignUpdate, { set: 'MktgActivity' | 'Campaign'; read: ReadCfg<Campaign>; s: Site }, CampaignBatch>({
    queryFields: CAMPAIGN_QUERY,
    async mode() {
      const { set, s } = await campaignMode()
      return { set, read: campaignRead(set), s }
    },
    async prepareBatch({ set, s }) {
      return { cctx: await campaignCtx(set, [], s), plan: set === 'MktgActivity' ? await planId.get() : null }
    },
    create(i, { set }, { cctx, plan }) {
      return set === 'MktgActivity' ? { ...(plan ? { CampaignPlannerId: plan } : {}), Approval: false, ...toWireMktgActivity(i, cctx) } : toWireCampaign(i, cctx)
    },
    update(u, { set }, { cctx }) {
      return set === 'MktgActivity' ? toWireMktgActivity(u.patch, cctx) : toWireCampaign(u.patch, cctx)
    },
  })

  async function spendMode(): Promise<{ link: string; s: Site }> {
    const s = await site.get()
    if (!s.caps.spend.entity) throw new UnsupportedError(`crmkit cannot store spend in this Creatio site: ${s.caps.spend.reason}`, { crm })
    return { link: s.caps.spend.link, s }
  }
  const navOf = (column: string) => column.replace(/Id$/, '')
  const spendRead = (link: string): ReadCfg<SpendEntry> => ({
    set: 'Event',
    schema: WireEvent,
    columns: ['Name', 'StartDate', 'EndDate', 'PrimaryBudgetedCost', 'PrimaryActualCost', 'Goal', link],
    lookups: {},
    search: 'Name',
    // Only events linked to a campaign are spend entries.
    base: () => `${navOf(link)} ne null`,
    async map(rows, raws, s) {
      const custom = fieldColumns(s.meta.get('Event')).filter((c) => c.column !== link)
      await resolveLookups(rows, Object.fromEntries(custom.filter((c) => c.lookup).map((c) => [c.column, c.lookup!])))
      return rows.map((r, i) => fromEvent(r, { currency: o.currency, link, custom, names }, raws ? raws[i] : undefined))
    },
  })
  const spend = probedDriver<SpendEntry, SpendCreate, SpendUpdate, { set: 'Event'; link: string; read: ReadCfg<SpendEntry>; s: Site }>({
    queryFields: SPEND_QUERY,
    async mode() {
      const { link, s } = await spendMode()
      return { set: 'Event', link, read: spendRead(link), s }
    },
    create: (i, { link }) => toWireEvent(i, { currency: o.currency, link }),
    async update(u, { link, read }, _batch, ctx) {
      // Moving an amount between actual and committed needs to know which one it is now.
      const kind = u.patch.amount !== undefined && u.patch.kind === undefined ? (await readOne(read, u.id.toLowerCase(), undefined, ctx)).kind : undefined
      return toWireEvent(u.patch, { currency: o.currency, link }, kind)
    },
  })

  // ---- pipelines, users, fields, setup -----------------------------------------------------------

  async function pipelinesNow() {
    dict('OpportunityStage').m.reset()
    dict('QualifyStatus').m.reset()
    const [stages, qualify] = await Promise.all([dict('OpportunityStage').m.get(), dict('QualifyStatus').m.get()])
    return toPipelines([...stages.values()] as unknown as StageRow[], [...qualify.values()] as unknown as QualifyRow[])
  }

  const userQuery = (filter: string | null, top?: number, skip?: number) =>
    buildQuery({
      select: ['Id', 'Name', 'ContactId', 'Active', 'SysAdminUnitTypeValue'],
      expand: ['Contact($select=Email)'],
      // SysAdminUnitTypeValue 4 = a user (not a role or organisation unit).
      filter: and('SysAdminUnitTypeValue eq 4', filter),
      orderby: ['Name', 'Id'],
      ...(top !== undefined ? { top } : {}),
      ...(skip ? { skip } : {}),
    })
  const toUser = (u: z.output<typeof WireSysAdminUnit>) => ({
    // Owners in Creatio are Contacts, so a user's model id is its ContactId (research §5).
    id: u.ContactId.toLowerCase(),
    name: u.Name,
    email: u.Contact?.Email ? u.Contact.Email : null,
    active: u.Active,
  })

  const CUSTOM_SETS: Record<CustomFieldEntity, () => Promise<string | null>> = {
    leads: async () => 'Lead',
    deals: async () => 'Opportunity',
    contacts: async () => 'Contact',
    companies: async () => 'Account',
    campaigns: async () => (await site.get()).caps.campaigns,
    spend: async () => ((await site.get()).caps.spend.entity ? 'Event' : null),
  }

  async function setup(ctx: CallContext): Promise<SetupReport> {
    const s = await site.get()
    const created: string[] = []
    const existing: string[] = []
    if (s.caps.marketingPlans) {
      planId.reset()
      if (await planId.get()) existing.push(`marketing plan "${CRMKIT_PLAN}"`)
      else {
        const now = new Date()
        await http.request({
          method: 'POST',
          path: `${o.root}/CampaignPlanner`,
          body: { Id: newId(), Name: CRMKIT_PLAN, StartDate: new Date(Date.UTC(now.getUTCFullYear(), 0, 1)).toISOString(), DueDate: new Date(Date.UTC(now.getUTCFullYear(), 11, 31)).toISOString() },
          kind: 'write',
          idempotent: true,
          headers: { 'Content-Type': JSON_TYPE },
          ...sig(ctx),
        })
        planId.reset()
        created.push(`marketing plan "${CRMKIT_PLAN}"`)
      }
    } else if (s.caps.campaigns) existing.push('Campaign')
    if (s.caps.spend.entity) existing.push(`Event.${s.caps.spend.link}`)
    return { created, existing }
  }

  const pageOfAll = <T>(all: T[], p: { number: number; size: number }) => ({ items: all.slice((p.number - 1) * p.size, p.number * p.size), done: p.number * p.size >= all.length })

  return {
    site: (_ctx) => site.get(),
    count: (entitySet, filter, ctx = {}) => countRows(entitySet, filter, ctx),
    leads,
    deals,
    contacts: withImportTraits(CONTACT_IMPORT_TRAITS, contacts),
    companies: withImportTraits(COMPANY_IMPORT_TRAITS, companies),
    campaigns,
    spend,
    pipelines: {
      paging: 'numbered',
      queryFields: NO_QUERY,
      listPage: async (_q, p) => pageOfAll(await pipelinesNow(), p),
      get: async (id) => {
        const found = (await pipelinesNow()).find((x) => x.id === id)
        if (!found) throw new NotFoundError(`Creatio has no pipeline "${id}" (there are "${DEAL_PIPELINE}" and "${LEAD_PIPELINE}")`, { crm, status: 404 })
        return found
      },
    },
    users: {
      paging: 'numbered',
      queryFields: NO_QUERY,
      listPage: async (_q, p, ctx) => {
        const { rows } = await list('SysAdminUnit', userQuery(null, p.size, (p.number - 1) * p.size), WireSysAdminUnit, ctx)
        return { items: rows.map(toUser), done: rows.length < p.size }
      },
      get: async (id, _o, ctx) => {
        if (!isGuid(id)) throw missing(id, 'SysAdminUnit')
        const { rows } = await list('SysAdminUnit', userQuery(cmp('Contact', 'eq', { guid: id }, { lookup: true }), 1), WireSysAdminUnit, ctx)
        if (!rows[0]) throw new NotFoundError(`Creatio has no user whose contact is ${id}`, { crm, status: 404 })
        return toUser(rows[0])
      },
    },
    fields: {
      async list(entity) {
        const set = await CUSTOM_SETS[entity]()
        if (!set) return []
        const s = await site.get()
        const cols: CustomColumn[] = fieldColumns(s.meta.get(set))
        await Promise.all(cols.flatMap((c) => (c.lookup ? [dict(c.lookup).m.get()] : [])))
        return fieldDefinitions(entity, cols, options)
      },
    },
    setup,
  }
}
