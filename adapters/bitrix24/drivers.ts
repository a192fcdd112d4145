import {
  NotFoundError,
  UnsupportedError,
  WriteOutcomeUnknownError,
  parseResponse,
  type AdapterEnv,
  type CallContext,
  type CollectionDriver,
  type CrmError,
  type CustomFieldEntity,
  type DriverOutcome,
  type Drivers,
  type FieldDefinition,
  type GetOptions,
  type ListQuery,
  type PageRequest,
  type PageResult,
  type Pipeline,
  type QueryField,
  type SetupReport,
  type UpdateRequest,
  type User,
} from '../../sdk/index.js'
import { OperatingTracker } from './limits.js'
import {
  CAMPAIGN_TYPE_TITLE,
  SPEND_TYPE_TITLE,
  toCampaign,
  toSpend,
  toWireCampaign,
  toWireSpend,
  type SpaRef,
} from './mappers/campaign.js'
import { toCompany, toContact, toWireCompany, toWireContact } from './mappers/contact.js'
import { toFieldDefinitions } from './mappers/custom-fields.js'
import { toDeal, toLead, toWireDeal, type MapContext } from './mappers/deal.js'
import { semanticsOf, toPipelines, toUser } from './mappers/pipeline.js'
import { type CampaignLink, type ClickIdFields } from './mappers/source.js'
import { linkId } from './mappers/scalars.js'
import { BATCH_MAX, CONTACT_QUERY, DEAL_QUERY, ENTITY_TYPE, ITEM_QUERY, LEAD_QUERY, LIST_PAGE, NO_QUERY, command, itemFilter, listCommand } from './query.js'
import { Rest } from './rest.js'
import {
  WireCategoryList,
  WireFields,
  WireItem,
  WireItemList,
  WireItemOne,
  WireStatus,
  WireTypeList,
  WireUser,
} from './wire.js'
import { z } from 'zod/mini'
import { memo } from '../../sdk/memo.js'
import { withImportTraits } from '../../sdk/adapter.js'
import { COMPANY_IMPORT_TRAITS, CONTACT_IMPORT_TRAITS } from './import-traits.js'

const crm = 'bitrix24'

export interface BitrixDriverOptions {
  operatingBudgetSec: number | false
  clickIdFields: ClickIdFields
}

interface Dictionary {
  pipelines: Pipeline[]
  dealStages: MapContext['stages']
  leadStages: MapContext['stages']
  fields: Record<'leads' | 'deals' | 'contacts' | 'companies', Map<string, FieldDefinition>>
}

/** crmkit's campaigns: names by id, ids by lower-cased name or utm_campaign tag. */
interface CampaignIndex {
  names: Map<string, string>
  byName: Map<string, string>
}
const nameKey = (s: string) => s.trim().toLowerCase()
const CAMPAIGN_INDEX_TTL_MS = 5 * 60_000
const CAMPAIGN_INDEX_RETRY_MS = 10_000

interface ListCursor {
  /** Last id returned. */
  last: number
  /** Rows still expected (from the first page's `total`), null before it is known. */
  remaining: number | null
}

const parseItems = (data: unknown, what: string) => parseResponse(WireItemList, data, crm, what).items

export function createBitrixDrivers(env: AdapterEnv, options: BitrixDriverOptions): Drivers {
  const tracker = options.operatingBudgetSec === false ? null : new OperatingTracker({ budgetSec: options.operatingBudgetSec })
  const rest = new Rest(env.http, tracker)
  const clickIds = options.clickIdFields

  const dictionary = memo(async (): Promise<Dictionary> => {
    const b = await rest.batch(
      {
        categories: command('crm.category.list', { entityTypeId: 2 }),
        statuses: command('crm.status.list', { order: { SORT: 'ASC' } }),
        f1: command('crm.item.fields', { entityTypeId: 1, useOriginalUfNames: 'Y' }),
        f2: command('crm.item.fields', { entityTypeId: 2, useOriginalUfNames: 'Y' }),
        f3: command('crm.item.fields', { entityTypeId: 3, useOriginalUfNames: 'Y' }),
        f4: command('crm.item.fields', { entityTypeId: 4, useOriginalUfNames: 'Y' }),
      },
      'read',
      {},
    )
    const firstError = Object.values(b.errors)[0]
    if (firstError) throw firstError
    const categories = parseResponse(WireCategoryList, b.results.categories, crm, 'crm.category.list').categories
    const statuses = parseResponse(z.array(WireStatus), b.results.statuses, crm, 'crm.status.list')
    const pipelines = toPipelines(categories, statuses)
    const dealStages: MapContext['stages'] = new Map()
    for (const p of pipelines) for (const s of p.stages) dealStages.set(s.id, { semantics: s.semantics, pipelineId: p.id })
    const leadStages: MapContext['stages'] = new Map()
    for (const s of statuses) if (s.ENTITY_ID === 'STATUS') leadStages.set(s.STATUS_ID, { semantics: semanticsOf(s), pipelineId: null })
    const defs = (key: string, entity: CustomFieldEntity) =>
      new Map(toFieldDefinitions(entity, parseResponse(WireFields, b.results[key], crm, 'crm.item.fields').fields).map((d) => [d.id, d] as const))
    return { pipelines, dealStages, leadStages, fields: { leads: defs('f1', 'leads'), deals: defs('f2', 'deals'), contacts: defs('f3', 'contacts'), companies: defs('f4', 'companies') } }
  })

  const spa = memo(async (): Promise<{ campaign: SpaRef; spend: SpaRef } | null> => {
    const res = await rest.call('crm.type.list', {}, 'read', {})
    const types = parseResponse(WireTypeList, res.result, crm, 'crm.type.list').types
    const find = (title: string) => types.find((t) => t.title === title)
    const c = find(CAMPAIGN_TYPE_TITLE)
    const s = find(SPEND_TYPE_TITLE)
    if (!c || !s) return null
    return { campaign: { id: Number(c.id), entityTypeId: Number(c.entityTypeId) }, spend: { id: Number(s.id), entityTypeId: Number(s.entityTypeId) } }
  })
  const requireSpa = async () => {
    const refs = await spa.get()
    if (!refs) {
      spa.reset()
      throw new UnsupportedError('Campaigns and spend live in smart processes that do not exist yet: run crm.setup() once', { crm })
    }
    return refs
  }

  /**
   * Generic `crm.item.*` collection. Lists use the fast-export pattern: `>id` cursor, `start=-1`,
   * as one `batch` of up to 50 list commands chained by `$result[…]` references (2,500 rows per
   * request). The first page is one counted command, so a small result costs one request and
   * later batches are sized to the rows left.
   */
  function itemDriver<T, C, U>(spec: {
    entityTypeId: () => Promise<number>
    queryFields: ReadonlySet<QueryField>
    map: (item: WireItem, raw: unknown, include: boolean) => Promise<(raw: unknown) => T> | ((raw: unknown) => T)
    toWire?: (input: C | U, isCreate: boolean, prepared: unknown) => Promise<Record<string, unknown>>
    prepare?: () => Promise<unknown>
    /** Fills links that need another read (lead → deal, campaign names), for a whole page at once. */
    enrich?: (items: T[], ctx: CallContext) => Promise<void>
    /** Fills what written records can name from cache (campaign names); best effort, the write succeeded. */
    enrichWritten?: (items: T[], ctx: CallContext) => Promise<void>
    /** Looks up what a batch of inputs refers to (campaigns by name) once; `toWire` gets the answer. */
    beforeWrite?: (inputs: (C | U)[], ctx: CallContext) => Promise<unknown>
    /** After any write (successful or not): caches built from this collection are stale. */
    afterWrite?: () => void
    deletable?: boolean
  }): CollectionDriver<T, C, U> {
    async function mapper(include: boolean) {
      await spec.prepare?.()
      return (raw: unknown, what: string): T => {
        const item = parseResponse(WireItem, raw, crm, what)
        const m = spec.map(item, raw, include)
        if (m instanceof Promise) throw new Error('unreachable')
        return m(raw)
      }
    }

    async function listPage(query: ListQuery, page: PageRequest, ctx: CallContext): Promise<PageResult<T>> {
      const entityTypeId = await spec.entityTypeId()
      const map = await mapper(query.include?.includes('raw') ?? false)
      const filter = itemFilter(query, entityTypeId)
      const cursor = (page.cursor as ListCursor | undefined) ?? { last: 0, remaining: null }
      const maxWidth = Math.max(1, Math.min(BATCH_MAX, Math.ceil(page.size / LIST_PAGE)))
      let width: number
      if (cursor.remaining === null) width = 1
      else {
        const need = Math.ceil(cursor.remaining / LIST_PAGE) + (cursor.remaining % LIST_PAGE === 0 ? 1 : 0)
        width = Math.max(1, Math.min(maxWidth, need))
      }
      const cmd: Record<string, string> = {}
      for (let i = 0; i < width; i++) {
        cmd[`c${i}`] = listCommand(entityTypeId, filter, i === 0 ? cursor.last : `$result[c${i - 1}][items][${LIST_PAGE - 1}][id]`, cursor.remaining === null && i === 0)
      }
      const b = await rest.batch(cmd, 'read', ctx)
      const items: T[] = []
      let last = cursor.last
      let done = false
      let total: number | null = null
      for (let i = 0; i < width; i++) {
        const key = `c${i}`
        const err = b.errors[key]
        if (err) throw err
        const rows = parseItems(b.results[key], 'crm.item.list')
        if (i === 0 && cursor.remaining === null) total = b.totals[key] ?? null
        for (let j = 0; j < rows.length; j++) {
          const t = map(rows[j], `crm.item.list items.${j}`)
          items.push(t)
          last = Number((rows[j] as { id: unknown }).id)
        }
        if (rows.length < LIST_PAGE) {
          done = true
          break
        }
      }
      // A page holds at most `size` rows; the cursor continues after the last one handed out.
      if (items.length > page.size) {
        items.length = page.size
        last = Number((items[items.length - 1] as { id: string }).id)
        done = false
      }
      if (spec.enrich && items.length) await spec.enrich(items, ctx)
      const remaining = total !== null ? total - items.length : cursor.remaining === null ? null : cursor.remaining - items.length
      return { items, done, cursor: { last, remaining: Math.max(0, remaining ?? 0) } satisfies ListCursor }
    }

    async function get(id: string, o: GetOptions, ctx: CallContext): Promise<T> {
      const entityTypeId = await spec.entityTypeId()
      const map = await mapper(o.include?.includes('raw') ?? false)
      if (!/^\d+$/.test(id)) throw new NotFoundError(`Bitrix24: no item with id "${id}"`, { crm })
      const res = await rest.call('crm.item.get', { entityTypeId, id: Number(id), useOriginalUfNames: 'Y' }, 'read', ctx)
      const record = map(parseResponse(WireItemOne, res.result, crm, 'crm.item.get').item, 'crm.item.get item')
      if (spec.enrich) await spec.enrich([record], ctx)
      return record
    }

    /** One batch of adds/updates; inputs that fail local mapping never leave; outcomes by command key. */
    async function write(
      requests: { input: C | U; id?: string }[],
      method: 'crm.item.add' | 'crm.item.update',
      ctx: CallContext,
    ): Promise<DriverOutcome<T>[]> {
      const entityTypeId = await spec.entityTypeId()
      const map = await mapper(false)
      const prepared = await spec.beforeWrite?.(requests.map((r) => r.input), ctx)
      const outcomes: (DriverOutcome<T> | undefined)[] = new Array(requests.length)
      const cmd: Record<string, string> = {}
      for (let i = 0; i < requests.length; i++) {
        const r = requests[i]!
        try {
          const fields = await spec.toWire!(r.input, method === 'crm.item.add', prepared)
          cmd[`w${i}`] = command(method, { entityTypeId, ...(r.id ? { id: Number(r.id) } : {}), fields, useOriginalUfNames: 'Y' })
        } catch (error) {
          outcomes[i] = { ok: false, error: error as CrmError }
        }
      }
      if (Object.keys(cmd).length) {
        let b: Awaited<ReturnType<Rest['batch']>>
        try {
          b = await rest.batch(cmd, 'write', ctx)
        } finally {
          spec.afterWrite?.()
        }
        for (let i = 0; i < requests.length; i++) {
          const key = `w${i}`
          if (!(key in cmd)) continue
          const err = b.errors[key]
          if (err) outcomes[i] = { ok: false, error: err }
          else if (b.results[key] !== undefined) {
            try {
              outcomes[i] = { ok: true, record: map(parseResponse(WireItemOne, b.results[key], crm, method).item, `${method} item`) }
            } catch (error) {
              outcomes[i] = { ok: false, error: error as CrmError }
            }
          } else {
            // Neither a result nor an error: the command may have run. Never repeated blindly.
            outcomes[i] = {
              ok: false,
              error: new WriteOutcomeUnknownError(`${method}: the batch returned no outcome for this input; check the portal before retrying`, { crm }),
            }
          }
        }
      }
      const written = outcomes.flatMap((o) => (o?.ok ? [o.record] : []))
      if (spec.enrichWritten && written.length) await spec.enrichWritten(written, ctx).catch(() => undefined)
      return outcomes.map((o) => o ?? { ok: false, error: new WriteOutcomeUnknownError('No outcome', { crm }) })
    }

    return {
      paging: 'cursor',
      queryFields: spec.queryFields,
      listPage,
      get,
      ...(spec.toWire
        ? {
            createBatch: (inputs: C[], ctx: CallContext) => write(inputs.map((input) => ({ input })), 'crm.item.add', ctx),
            updateBatch: (updates: UpdateRequest<U>[], ctx: CallContext) => write(updates.map((u) => ({ input: u.patch, id: u.id })), 'crm.item.update', ctx),
          }
        : {}),
      ...(spec.deletable
        ? {
            async delete(id: string, ctx: CallContext) {
              const entityTypeId = await spec.entityTypeId()
              await rest.call('crm.item.delete', { entityTypeId, id: Number(id) }, 'write', ctx)
            },
          }
        : {}),
    }
  }

  // Synchronous mapping needs the dictionary loaded first: `prepare` awaits it, `current` reads it.
  let dict: Dictionary | null = null
  const prepareDict = async () => {
    dict = await dictionary.get()
  }
  const ctxFor = (stages: 'deal' | 'lead', entity: 'deals' | 'leads', include: boolean, campaign: CampaignLink | null = null): MapContext => ({
    stages: stages === 'deal' ? dict!.dealStages : dict!.leadStages,
    fields: dict!.fields[entity],
    clickIds,
    include,
    campaign,
  })
  const fixed = (n: number) => async () => n

  // ---- source.campaign: the parent item of crmkit's campaign smart process ----------------------

  /** Parent links (`parentId{type}` → id) of mapped deals and leads, read when names are filled in. */
  const parents = new WeakMap<object, Record<number, string>>()
  const rememberParents = <T extends object>(record: T, item: WireItem): T => {
    let found: Record<number, string> | null = null
    // Runs for every row of every page (2,500 a request): a cheap prefix test before the regex.
    for (const k in item) {
      if (!k.startsWith('parentId')) continue
      const m = /^parentId(\d+)$/.exec(k)
      const id = m ? linkId((item as Record<string, unknown>)[k]) : null
      if (m && id) (found ??= {})[Number(m[1])] = id
    }
    if (found) parents.set(record, found)
    return record
  }

  /**
   * crmkit's campaigns by id and by name. Campaigns are few, so the index is loaded whole (one
   * request per 2,500) and cached: reloaded after a few minutes, when an id or name asked for is
   * missing (at most every 10 s, so a deleted campaign does not cost a request per page), and
   * after this client writes campaigns.
   */
  let index: { at: number; value: Promise<CampaignIndex>; resolved?: CampaignIndex } | null = null
  async function campaignIndex(ctx: CallContext, wanted: { ids?: string[]; names?: string[] }): Promise<CampaignIndex | null> {
    const refs = await spa.get()
    if (!refs) return null
    const entry = index
    if (entry && entry.resolved === undefined) return entry.value // a load in flight answers everyone
    if (entry?.resolved) {
      const age = Date.now() - entry.at
      const has = entry.resolved
      const complete = (wanted.ids ?? []).every((id) => has.names.has(id)) && (wanted.names ?? []).every((n) => has.byName.has(nameKey(n)))
      if (age < CAMPAIGN_INDEX_TTL_MS && (complete || age < CAMPAIGN_INDEX_RETRY_MS)) return has
    }
    const next: NonNullable<typeof index> = { at: Date.now(), value: loadCampaignIndex(ctx) }
    index = next
    next.value.then(
      (v) => (next.resolved = v),
      () => index === next && (index = null),
    )
    return next.value
  }
  async function loadCampaignIndex(ctx: CallContext): Promise<CampaignIndex> {
    const out: CampaignIndex = { names: new Map(), byName: new Map() }
    let cursor: unknown
    for (let n = 1; ; n++) {
      const page = await campaigns.listPage({}, { number: n, size: LIST_PAGE * BATCH_MAX, cursor }, ctx)
      for (const c of page.items) {
        out.names.set(c.id, c.name)
        // By name first, then by utm_campaign tag; the oldest campaign wins a tie.
        if (!out.byName.has(nameKey(c.name))) out.byName.set(nameKey(c.name), c.id)
      }
      for (const c of page.items) if (c.utmCampaign && !out.byName.has(nameKey(c.utmCampaign))) out.byName.set(nameKey(c.utmCampaign), c.id)
      if (page.done || !page.items.length) return out
      cursor = page.cursor
    }
  }
  /** Sets `source.campaign` to the parent campaign's name where a record has one (else it keeps the utm campaign). */
  async function nameCampaigns(records: { source: { campaign: string | null } }[], ctx: CallContext): Promise<void> {
    const linked = records.filter((r) => parents.has(r))
    if (!linked.length) return
    const refs = await spa.get()
    if (!refs) return
    const idOf = (r: object) => parents.get(r)![refs.campaign.entityTypeId]
    const ids = [...new Set(linked.map(idOf).filter((x): x is string => !!x))]
    if (!ids.length) return
    const found = await campaignIndex(ctx, { ids })
    if (!found) return
    for (const r of linked) {
      const name = found.names.get(idOf(r) ?? '')
      if (name !== undefined) r.source.campaign = name
    }
  }
  /** Before a write: the campaign field and the campaigns the inputs name, looked up once per batch. */
  async function resolveCampaigns(inputs: { source?: { campaign?: string | null } | undefined }[], ctx: CallContext): Promise<CampaignLink | null> {
    const named = inputs.map((i) => i.source?.campaign).filter((c) => c !== undefined)
    if (!named.length) return null
    const refs = await spa.get()
    if (!refs) return null
    const names = named.filter((c): c is string => typeof c === 'string')
    const found = names.length ? await campaignIndex(ctx, { names }) : null
    return { field: `parentId${refs.campaign.entityTypeId}`, idOf: (name) => found?.byName.get(nameKey(name)) ?? null }
  }
  const campaignWrites = {
    beforeWrite: resolveCampaigns,
    enrichWritten: nameCampaigns,
  }

  const deals = itemDriver<ReturnType<typeof toDeal>, import('../../sdk/index.js').DealCreate, import('../../sdk/index.js').DealUpdate>({
    entityTypeId: fixed(ENTITY_TYPE.deal),
    queryFields: DEAL_QUERY,
    prepare: prepareDict,
    map: (item, _raw, include) => (raw) => rememberParents(toDeal(item, raw, ctxFor('deal', 'deals', include)), item),
    enrich: nameCampaigns,
    ...campaignWrites,
    toWire: async (input, _isCreate, link) => {
      await prepareDict()
      return toWireDeal(input, ctxFor('deal', 'deals', false, link as CampaignLink | null), 'deal')
    },
    deletable: true,
  })

  /**
   * A converted lead's deal. Bitrix24 links deal → lead (`leadId`), so it is the earliest deal (lowest
   * id) whose `leadId` is the lead. Each round is one batch with, per group of ≤ 50 unresolved leads,
   * an `@leadId` list after the group's last seen id. A full page of 50 may stop before some
   * leads' first deal (one lead can have many), so those leads go on to the next round from there;
   * each full page resolves at least one lead, and usually one round does it all.
   */
  async function linkLeadsToDeals(page: ReturnType<typeof toLead>[], ctx: CallContext): Promise<void> {
    const converted = new Map(page.filter((l) => l.status === 'converted').map((l) => [l.id, l] as const))
    for (const l of converted.values()) l.dealId = null
    const ids = [...converted.keys()]
    let groups: { leads: Set<string>; after: number }[] = []
    for (let i = 0; i < ids.length; i += LIST_PAGE) groups.push({ leads: new Set(ids.slice(i, i + LIST_PAGE)), after: 0 })
    while (groups.length) {
      const round = groups.slice(0, BATCH_MAX)
      const cmd: Record<string, string> = {}
      round.forEach((g, i) => {
        cmd[`d${i}`] = command('crm.item.list', {
          entityTypeId: ENTITY_TYPE.deal,
          select: ['id', 'leadId'],
          order: { id: 'ASC' },
          filter: { '@leadId': [...g.leads].map(Number), '>id': g.after },
          start: -1,
        })
      })
      const b = await rest.batch(cmd, 'read', ctx)
      const next: typeof groups = []
      round.forEach((g, i) => {
        const key = `d${i}`
        if (b.errors[key]) throw b.errors[key]
        const rows = parseItems(b.results[key], 'crm.item.list')
        for (const row of rows) {
          const r = parseResponse(WireItem, row, crm, 'crm.item.list')
          const lead = r.leadId == null ? '' : String(r.leadId)
          if (g.leads.delete(lead)) converted.get(lead)!.dealId = String(r.id)
          g.after = Number(r.id)
        }
        if (rows.length === LIST_PAGE && g.leads.size) next.push(g)
      })
      groups = [...next, ...groups.slice(BATCH_MAX)]
    }
  }

  const leads = itemDriver<ReturnType<typeof toLead>, import('../../sdk/index.js').LeadCreate, import('../../sdk/index.js').LeadUpdate>({
    entityTypeId: fixed(ENTITY_TYPE.lead),
    queryFields: LEAD_QUERY,
    prepare: prepareDict,
    map: (item, _raw, include) => (raw) => rememberParents(toLead(item, raw, ctxFor('lead', 'leads', include)), item),
    enrich: async (page, ctx) => {
      await linkLeadsToDeals(page, ctx)
      await nameCampaigns(page, ctx)
    },
    ...campaignWrites,
    toWire: async (input, _isCreate, link) => {
      await prepareDict()
      return toWireDeal(input, ctxFor('lead', 'leads', false, link as CampaignLink | null), 'lead')
    },
    deletable: true,
  })
  const contacts = itemDriver<ReturnType<typeof toContact>, import('../../sdk/index.js').ContactCreate, import('../../sdk/index.js').ContactUpdate>({
    entityTypeId: fixed(ENTITY_TYPE.contact),
    queryFields: CONTACT_QUERY,
    prepare: prepareDict,
    map: (item, _raw, include) => (raw) => toContact(item, raw, dict!.fields.contacts, include),
    toWire: async (input) => {
      await prepareDict()
      return toWireContact(input, dict!.fields.contacts)
    },
    deletable: true,
  })
  const companies = itemDriver<ReturnType<typeof toCompany>, import('../../sdk/index.js').CompanyCreate, import('../../sdk/index.js').CompanyUpdate>({
    entityTypeId: fixed(ENTITY_TYPE.company),
    queryFields: ITEM_QUERY,
    prepare: prepareDict,
    map: (item, _raw, include) => (raw) => toCompany(item, raw, dict!.fields.companies, include),
    toWire: async (input) => {
      await prepareDict()
      return toWireCompany(input, dict!.fields.companies)
    },
    deletable: true,
  })

  let refs: { campaign: SpaRef; spend: SpaRef } | null = null
  const prepareSpa = async () => {
    refs = await requireSpa()
  }
  const campaigns = itemDriver<ReturnType<typeof toCampaign>, import('../../sdk/index.js').CampaignCreate, import('../../sdk/index.js').CampaignUpdate>({
    entityTypeId: async () => (await requireSpa()).campaign.entityTypeId,
    queryFields: ITEM_QUERY,
    prepare: prepareSpa,
    map: (item, _raw, include) => (raw) => toCampaign(item, raw, refs!.campaign, include),
    toWire: async (input, isCreate) => {
      await prepareSpa()
      return toWireCampaign(input, refs!.campaign, isCreate)
    },
    afterWrite: () => {
      index = null
    },
  })
  const spend = itemDriver<ReturnType<typeof toSpend>, import('../../sdk/index.js').SpendCreate, import('../../sdk/index.js').SpendUpdate>({
    entityTypeId: async () => (await requireSpa()).spend.entityTypeId,
    queryFields: ITEM_QUERY,
    prepare: prepareSpa,
    map: (item, _raw, include) => (raw) => toSpend(item, raw, refs!.spend, refs!.campaign, include),
    toWire: async (input) => {
      await prepareSpa()
      return toWireSpend(input, refs!.spend, refs!.campaign)
    },
  })

  const pipelines: CollectionDriver<Pipeline> = {
    paging: 'numbered',
    queryFields: NO_QUERY,
    async listPage(_q, page) {
      if (page.number > 1) return { items: [], done: true }
      return { items: (await dictionary.get()).pipelines, done: true }
    },
    async get(id) {
      const p = (await dictionary.get()).pipelines.find((x) => x.id === id)
      if (!p) throw new NotFoundError(`Bitrix24: no deal pipeline ${id}`, { crm })
      return p
    },
  }

  const users: CollectionDriver<User> = {
    paging: 'numbered',
    queryFields: new Set<QueryField>(['ids']),
    async listPage(q, page, ctx) {
      const params: Record<string, unknown> = { start: (page.number - 1) * LIST_PAGE }
      if (q.ids) params.filter = { ID: q.ids }
      const res = await rest.call('user.get', params, 'read', ctx)
      const rows = parseResponse(z.array(WireUser), res.result, crm, 'user.get')
      return { items: rows.map(toUser), done: res.next === null }
    },
    async get(id, _o, ctx) {
      const res = await rest.call('user.get', { filter: { ID: id } }, 'read', ctx)
      const [u] = parseResponse(z.array(WireUser), res.result, crm, 'user.get')
      if (!u) throw new NotFoundError(`Bitrix24: no user ${id}`, { crm })
      return toUser(u)
    },
  }

  // Run once per portal, never by a widget tab: its code (and the user-field schemas) load on use.
  const setup = async (ctx: CallContext): Promise<SetupReport> =>
    (await import(/* webpackChunkName: "bitrix24-setup" */ './setup.js')).setupPortal({ rest, clickIds, dictionary, spa }, ctx)

  return {
    leads,
    deals,
    contacts: withImportTraits(CONTACT_IMPORT_TRAITS, contacts),
    companies: withImportTraits(COMPANY_IMPORT_TRAITS, companies),
    pipelines,
    users,
    campaigns,
    spend,
    fields: {
      async list(entity) {
        if (entity === 'campaigns' || entity === 'spend') return []
        return [...(await dictionary.get()).fields[entity].values()]
      },
    },
    setup,
  }
}

