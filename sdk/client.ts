import type { core } from 'zod/mini'
import {
  describeDriver,
  type Adapter,
  type AdapterEnv,
  type CallContext,
  type CardEntity,
  type Capabilities,
  type CollectionDriver,
  type CollectionName,
  type SetupReport,
} from './adapter.js'
import { MemoryTokenStore, type TokenStore } from './token-store.js'
import { runBatch, type WriteOutcome } from './batch.js'
import { UnsupportedError, ValidationError, type CrmName } from './errors.js'
import { HttpClient, type Logger } from './http.js'
import type { CompanyImportRecord, ContactImportRecord, Importer } from './import/types.js'
import * as M from './model/index.js'
import { GetOptions, ListQuery, type QueryField } from './model/query.js'
import { paginate, type Paginator } from './paginate.js'
import { defaultTransport } from './platform/index.js'
import { RateLimiter, type RateLimitOptions } from './rate-limit.js'
import { defaultRetry, type RetryOptions } from './retry.js'
import { createRawPost, type Transport } from './transport.js'
import { validateInput } from './validate.js'

export interface CrmOptions {
  /** Override the adapter's defaults, e.g. for amoCRM accounts with an extended API package. */
  rateLimit?: Partial<RateLimitOptions>
  retry?: Partial<RetryOptions>
  /** First pause after a 429 without Retry-After; doubles on each further 429. */
  rateLimitBackoffMs?: number
  timeoutMs?: number
  /** Default page size for `list()`; at most the CRM's maximum. */
  pageSize?: number
  tokenStore?: TokenStore
  logger?: Logger
  /**
   * How requests travel. Default: axios in Node; the browser's fetch in the widget bundles and in
   * browser builds that honour package.json's `browser` field. Any function of this shape works
   * (a proxy, a recorder in tests).
   */
  transport?: Transport
}

export interface CallOptions {
  signal?: AbortSignal
}

export interface ReadCollection<T> {
  list(query?: ListQuery, options?: CallOptions): Paginator<T>
  get(id: string, options?: GetOptions & CallOptions): Promise<T>
}

export interface Collection<T, C, U> extends ReadCollection<T> {
  create(input: C, options?: CallOptions): Promise<T>
  update(id: string, patch: U, options?: CallOptions): Promise<T>
  delete(id: string, options?: CallOptions): Promise<void>
  /** One outcome per input, in input order; invalid inputs fail alone and are never sent. */
  createMany(inputs: C[], options?: CallOptions): Promise<WriteOutcome<T>[]>
  updateMany(updates: { id: string; patch: U }[], options?: CallOptions): Promise<WriteOutcome<T>[]>
}

export interface Crm {
  readonly crm: CrmName
  readonly capabilities: Capabilities
  readonly leads: Collection<M.Lead, M.LeadCreate, M.LeadUpdate>
  readonly deals: Collection<M.Deal, M.DealCreate, M.DealUpdate>
  readonly contacts: Collection<M.Contact, M.ContactCreate, M.ContactUpdate> & Importer<ContactImportRecord>
  readonly companies: Collection<M.Company, M.CompanyCreate, M.CompanyUpdate> & Importer<CompanyImportRecord>
  readonly campaigns: Collection<M.Campaign, M.CampaignCreate, M.CampaignUpdate>
  readonly spend: Collection<M.SpendEntry, M.SpendCreate, M.SpendUpdate>
  readonly pipelines: ReadCollection<M.Pipeline>
  readonly users: ReadCollection<M.User>
  readonly fields: { list(entity: M.CustomFieldEntity, options?: CallOptions): Promise<M.FieldDefinition[]> }
  /** Creates (idempotently) what crmkit keeps in the CRM itself: campaign and spend storage. */
  setup(options?: CallOptions): Promise<SetupReport>
  /** Waits for queued requests and releases timers. */
  close(): Promise<void>
  /** The CRM's own card page of a record (absolute, or root-relative inside the CRM); absent when the adapter does not know it. */
  cardUrl?(entity: CardEntity, id: string): string
}

const writeSchemas = {
  leads: [M.LeadCreate, M.LeadUpdate],
  deals: [M.DealCreate, M.DealUpdate],
  contacts: [M.ContactCreate, M.ContactUpdate],
  companies: [M.CompanyCreate, M.CompanyUpdate],
  campaigns: [M.CampaignCreate, M.CampaignUpdate],
  spend: [M.SpendCreate, M.SpendUpdate],
} as const satisfies Record<string, readonly [core.$ZodType, core.$ZodType]>

/** Builds a client over one CRM adapter. */
export function createCrm(adapter: Adapter, options: CrmOptions = {}): Crm {
  const crm = adapter.crm
  const limits = adapter.limits
  const pageSize = options.pageSize ?? limits.pageSize
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > limits.maxPageSize) {
    throw new ValidationError(`pageSize must be an integer from 1 to ${limits.maxPageSize}`, {
      crm,
      issues: [{ path: ['pageSize'], message: `must be 1..${limits.maxPageSize}`, code: 'too_big' }],
    })
  }
  const rate: RateLimitOptions = {
    requestsPerSecond: options.rateLimit?.requestsPerSecond ?? limits.requestsPerSecond,
    maxConcurrent: options.rateLimit?.maxConcurrent ?? limits.maxConcurrent,
    ...(options.rateLimit?.cluster ? { cluster: options.rateLimit.cluster } : {}),
  }
  const limiter = new RateLimiter(rate, crm)
  const tokenStore = options.tokenStore ?? new MemoryTokenStore()
  const transport = options.transport ?? defaultTransport
  const timeoutMs = options.timeoutMs ?? 30_000
  const rawPost = createRawPost(transport, timeoutMs)
  const http = new HttpClient({
    crm,
    baseURL: adapter.baseURL,
    auth: adapter.auth({ tokenStore, rawPost }),
    limiter,
    classify: adapter.classifyError,
    ...(adapter.classifySuccess ? { classifySuccess: adapter.classifySuccess } : {}),
    retry: { ...defaultRetry, ...options.retry },
    rateLimitBackoffMs: options.rateLimitBackoffMs ?? 1_000,
    timeoutMs,
    transport,
    ...(options.logger ? { logger: options.logger } : {}),
  })
  const env: AdapterEnv = { http, tokenStore, ...(options.logger ? { logger: options.logger } : {}) }
  const drivers = adapter.drivers(env)

  const ctxOf = (o?: CallOptions): CallContext => (o?.signal ? { signal: o.signal } : {})

  function checkQuery(name: CollectionName, driver: CollectionDriver<unknown, unknown, unknown>, query: ListQuery) {
    const q = validateInput(ListQuery, query, crm)
    for (const key of Object.keys(q) as (keyof ListQuery)[]) {
      if (key === 'pageSize' || key === 'include' || q[key] === undefined) continue
      if (!driver.queryFields.has(key as QueryField)) {
        throw new UnsupportedError(`${crm} cannot filter ${name} by "${key}"`, { crm })
      }
    }
    if (q.pageSize !== undefined && q.pageSize > limits.maxPageSize) {
      throw new ValidationError(`pageSize must be at most ${limits.maxPageSize} for ${crm}`, {
        crm,
        issues: [{ path: ['pageSize'], message: `must be at most ${limits.maxPageSize}`, code: 'too_big' }],
      })
    }
    return q
  }

  function readCollection<T>(name: CollectionName, driver: CollectionDriver<T, unknown, unknown>): ReadCollection<T> {
    return {
      list(query = {}, o) {
        const q = checkQuery(name, driver, query)
        return paginate(driver, q, { pageSize: q.pageSize ?? pageSize, prefetch: rate.maxConcurrent }, ctxOf(o))
      },
      get(id, o = {}) {
        const { signal, ...rest } = o
        validateInput(M.Id, id, crm)
        return driver.get(id, validateInput(GetOptions, rest, crm), ctxOf({ signal }))
      },
    }
  }

  function collection<K extends keyof typeof writeSchemas, T, C, U>(
    name: K,
    driver: CollectionDriver<T, C, U>,
  ): Collection<T, C, U> {
    const [createSchema, updateSchema] = writeSchemas[name]
    const unsupported = (what: string) => new UnsupportedError(`${crm} does not allow ${what} ${name}`, { crm })
    const createMany = (inputs: C[], o?: CallOptions) => {
      if (!driver.createBatch) throw unsupported('creating')
      return runBatch<C, T>({
        crm,
        inputs,
        prepare: (input, index) => validateInput(createSchema, input, crm, index) as C,
        send: (chunk, ctx) => driver.createBatch!(chunk, ctx),
        batchSize: limits.writeBatchSize,
        concurrency: rate.maxConcurrent,
        ctx: ctxOf(o),
      })
    }
    const updateMany = (updates: { id: string; patch: U }[], o?: CallOptions) => {
      if (!driver.updateBatch) throw unsupported('updating')
      return runBatch<{ id: string; patch: U }, T>({
        crm,
        inputs: updates,
        prepare: (u, index) => ({
          id: validateInput(M.Id, u?.id, crm, index),
          patch: validateInput(updateSchema, u?.patch, crm, index) as U,
        }),
        send: (chunk, ctx) => driver.updateBatch!(chunk, ctx),
        batchSize: limits.writeBatchSize,
        concurrency: rate.maxConcurrent,
        ctx: ctxOf(o),
      })
    }
    const single = async (p: Promise<WriteOutcome<T>[]>): Promise<T> => {
      const [outcome] = await p
      if (!outcome) throw new Error('unreachable: no outcome')
      if (!outcome.ok) throw outcome.error
      return outcome.record
    }
    return {
      ...readCollection(name, driver as CollectionDriver<T, unknown, unknown>),
      createMany,
      updateMany,
      create: (input, o) => single(createMany([input], o)),
      update: (id, patch, o) => single(updateMany([{ id, patch }], o)),
      async delete(id, o) {
        if (!driver.delete) throw unsupported('deleting')
        validateInput(M.Id, id, crm)
        await driver.delete(id, ctxOf(o))
      },
    }
  }

  /** Adds `import()`; loaded on first use so widgets that never import carry no phone metadata. */
  function importable<C extends Collection<M.Contact, never, never> | Collection<M.Company, never, never>, R>(kind: 'contacts' | 'companies', c: C): C & Importer<R> {
    const traits = drivers[kind].importTraits
    return {
      ...c,
      import: async (records, options) =>
        (await import('./import/run.js')).runImport({ crm, kind, collection: c, records, ...(traits ? { traits } : {}), ...(options ? { options } : {}) }),
    }
  }

  const d = drivers as unknown as Record<CollectionName, CollectionDriver<unknown, unknown, unknown>>
  const names: CollectionName[] = ['leads', 'deals', 'contacts', 'companies', 'pipelines', 'users', 'campaigns', 'spend']
  const capabilities: Capabilities = {
    crm,
    leadIsDeal: adapter.leadIsDeal,
    collections: Object.fromEntries(names.map((n) => [n, describeDriver(d[n])])) as Capabilities['collections'],
  }

  return {
    crm,
    capabilities,
    leads: collection('leads', drivers.leads),
    deals: collection('deals', drivers.deals),
    contacts: importable('contacts', collection('contacts', drivers.contacts)),
    companies: importable('companies', collection('companies', drivers.companies)),
    campaigns: collection('campaigns', drivers.campaigns),
    spend: collection('spend', drivers.spend),
    pipelines: readCollection('pipelines', drivers.pipelines),
    users: readCollection('users', drivers.users),
    fields: { list: (entity, o) => drivers.fields.list(validateInput(M.CustomFieldEntity, entity, crm), ctxOf(o)) },
    async setup(o) {
      if (!drivers.setup) return { created: [], existing: [] }
      return drivers.setup(ctxOf(o))
    },
    close: () => limiter.stop(),
    ...(adapter.cardUrl
      ? {
          cardUrl: (entity: CardEntity, id: string) => {
            if (entity !== 'deal' && entity !== 'lead' && entity !== 'contact') {
              throw new ValidationError(`cardUrl: entity must be deal, lead or contact`, { crm, issues: [{ path: ['entity'], message: 'must be deal, lead or contact', code: 'invalid_value' }] })
            }
            validateInput(M.Id, id, crm)
            return adapter.cardUrl!(entity, id)
          },
        }
      : {}),
  }
}
