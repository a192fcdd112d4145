import type { TokenStore } from './token-store.js'
import type { CrmError, CrmName } from './errors.js'
import type { AuthStrategy, ErrorClassifier, HttpClient, Logger, SuccessClassifier } from './http.js'
import type {
  Campaign,
  CampaignCreate,
  CampaignUpdate,
  Company,
  CompanyCreate,
  CompanyUpdate,
  Contact,
  ContactCreate,
  ContactUpdate,
  Deal,
  DealCreate,
  DealUpdate,
  FieldDefinition,
  Lead,
  LeadCreate,
  LeadUpdate,
  Pipeline,
  SpendCreate,
  SpendEntry,
  SpendUpdate,
  User,
} from './model/index.js'
import type { CustomFieldEntity } from './model/custom-fields.js'
import type { GetOptions, ListQuery, QueryField } from './model/query.js'

/** Per-call context handed to drivers. */
export interface CallContext {
  signal?: AbortSignal
}

export interface PageRequest {
  /** 1-based page number, for `numbered` paging. */
  number: number
  size: number
  /** Opaque cursor from the previous page, for `cursor` paging. */
  cursor?: unknown
}

export interface PageResult<T> {
  items: T[]
  /** True when no page follows (a short page, an empty answer, no `next`). */
  done: boolean
  cursor?: unknown
}

/** A driver's per-input result. `resend` = not applied only because a sibling in its batch failed. */
export type DriverOutcome<T> = { ok: true; record: T } | { ok: false; error: CrmError } | { ok: false; resend: true }

export interface UpdateRequest<U> {
  id: string
  patch: U
}

/**
 * What an adapter implements per collection. Drivers map one CRM's API onto the model; paging,
 * batching, retries and limits are the core's job.
 */
export interface CollectionDriver<T, C = never, U = never> {
  /** `numbered` pages may be fetched in parallel; `cursor` pages only one after another. */
  paging: 'numbered' | 'cursor'
  /** Query fields the CRM can honour; others raise UnsupportedError before any request. */
  queryFields: ReadonlySet<QueryField>
  listPage(query: ListQuery, page: PageRequest, ctx: CallContext): Promise<PageResult<T>>
  get(id: string, options: GetOptions, ctx: CallContext): Promise<T>
  /** One batch of at most `limits.writeBatchSize` inputs; outcomes in input order. */
  createBatch?(inputs: C[], ctx: CallContext): Promise<DriverOutcome<T>[]>
  updateBatch?(updates: UpdateRequest<U>[], ctx: CallContext): Promise<DriverOutcome<T>[]>
  delete?(id: string, ctx: CallContext): Promise<void>
  /** Contacts and companies: how the CRM finds and stores their keys (the importer adapts to it). */
  importTraits?: ImportTraits
}

/**
 * What `contacts.import()` / `companies.import()` must know about a CRM's collection, declared by
 * its adapter so the importer itself stays CRM-agnostic.
 */
export interface ImportTraits {
  /** Keys the collection's `search` query finds records by (a custom field counts as 'custom'). */
  searchFinds: ReadonlyArray<'name' | 'phone' | 'email' | 'custom'>
  /** `append`: phones/e-mails sent on update are added to the stored ones; `replace`: the list sent replaces them. */
  multiValues: 'append' | 'replace'
  /** At most this many phones / e-mails are kept per record; more are reported, not sent. */
  capacity?: { phones?: number; emails?: number }
}

/** What the importer assumes when an adapter declares nothing: name search, lists replaced, no cap. */
export const DEFAULT_IMPORT_TRAITS: ImportTraits = { searchFinds: ['name'], multiValues: 'replace' }

/** Declares a contacts/companies driver's import traits (adapters build drivers with factories). */
export function withImportTraits<D extends { importTraits?: ImportTraits }>(traits: ImportTraits, driver: D): D {
  return Object.assign(driver, { importTraits: traits })
}

export interface Drivers {
  leads: CollectionDriver<Lead, LeadCreate, LeadUpdate>
  deals: CollectionDriver<Deal, DealCreate, DealUpdate>
  contacts: CollectionDriver<Contact, ContactCreate, ContactUpdate>
  companies: CollectionDriver<Company, CompanyCreate, CompanyUpdate>
  pipelines: CollectionDriver<Pipeline>
  users: CollectionDriver<User>
  campaigns: CollectionDriver<Campaign, CampaignCreate, CampaignUpdate>
  spend: CollectionDriver<SpendEntry, SpendCreate, SpendUpdate>
  fields: { list(entity: CustomFieldEntity, ctx: CallContext): Promise<FieldDefinition[]> }
  /** Creates (idempotently) the storage crmkit needs in the CRM, e.g. lists for campaigns. */
  setup?(ctx: CallContext): Promise<SetupReport>
}

export interface AdapterLimits {
  requestsPerSecond: number
  maxConcurrent: number
  pageSize: number
  maxPageSize: number
  writeBatchSize: number
}

/** What `crm.setup()` did: storage created or found for campaigns and spend. */
export interface SetupReport {
  created: string[]
  existing: string[]
}

export interface AdapterEnv {
  http: HttpClient
  logger?: Logger
  tokenStore: TokenStore
}

/** What `amocrm({...})`, `bitrix24({...})` … return and `createCrm` consumes. */
export interface Adapter {
  readonly crm: CrmName
  readonly baseURL: string
  readonly limits: AdapterLimits
  /** amoCRM keeps lead and deal in one record; capabilities report it. */
  readonly leadIsDeal: boolean
  /** Builds the auth strategy; `rawPost` reaches OAuth endpoints outside the limiter. */
  auth(env: { tokenStore: TokenStore; rawPost: RawPost }): AuthStrategy
  classifyError: ErrorClassifier
  /** Optional: spots failures the CRM answers with 2xx (e.g. an HTML login page with 200). */
  classifySuccess?: SuccessClassifier
  drivers(env: AdapterEnv): Drivers
  /** Optional: the CRM's own page of a record, for links from widgets (opened in the host's top window). */
  cardUrl?(entity: CardEntity, id: string): string
}

/** Records that have a card page in the CRM. */
export type CardEntity = 'deal' | 'lead' | 'contact'

export type RawPost = (
  url: string,
  body: unknown,
  options?: { form?: boolean; signal?: AbortSignal },
) => Promise<{ status: number; data: unknown }>

export type CollectionName = 'leads' | 'deals' | 'contacts' | 'companies' | 'pipelines' | 'users' | 'campaigns' | 'spend'

export interface CollectionCapabilities {
  list: boolean
  get: boolean
  create: boolean
  update: boolean
  delete: boolean
  query: QueryField[]
}

export interface Capabilities {
  crm: CrmName
  collections: Record<CollectionName, CollectionCapabilities>
  /** amoCRM: one record is both lead and deal. */
  leadIsDeal: boolean
}

export function describeDriver(driver: CollectionDriver<unknown, unknown, unknown>): CollectionCapabilities {
  return {
    list: true,
    get: true,
    create: typeof driver.createBatch === 'function',
    update: typeof driver.updateBatch === 'function',
    delete: typeof driver.delete === 'function',
    query: [...driver.queryFields],
  }
}
