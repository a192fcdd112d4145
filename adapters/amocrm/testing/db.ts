// In-memory state of one emulated amoCRM account. Records are kept in the v4 wire shape
// (snake_case, Unix seconds) so handlers only add `_links` and the computed `_embedded` parts.

export type EntityType = 'leads' | 'contacts' | 'companies'

export type FieldType =
  | 'text' | 'numeric' | 'checkbox' | 'select' | 'multiselect' | 'multitext' | 'date' | 'url'
  | 'textarea' | 'radiobutton' | 'streetaddress' | 'birthday' | 'date_time' | 'price'
  | 'tracking_data' | 'monetary'

export const FIELD_TYPES: readonly FieldType[] = [
  'text', 'numeric', 'checkbox', 'select', 'multiselect', 'multitext', 'date', 'url', 'textarea',
  'radiobutton', 'streetaddress', 'birthday', 'date_time', 'price', 'tracking_data', 'monetary',
]

/** Custom-field scope: an entity type, or `catalogs:<id>` for a list's own fields. */
export type FieldScope = EntityType | `catalogs:${number}`

export interface EnumDef { id: number; value: string; sort: number }

export interface FieldDef {
  id: number
  name: string
  type: FieldType
  account_id: number
  code: string | null
  sort: number
  is_api_only: boolean
  enums: EnumDef[] | null
  group_id: string | null
  required_statuses: unknown[]
  is_deletable: boolean
  is_predefined: boolean
  entity_type: string
  catalog_id?: number
  remind: null
}

export interface FieldValueItem { value: string | number | boolean; enum_id?: number; enum_code?: string | null }

export interface FieldValue {
  field_id: number
  field_name: string
  field_code: string | null
  field_type: FieldType
  values: FieldValueItem[]
}

export interface Tag { id: number; name: string; color: string | null }

export interface Lead {
  id: number
  name: string
  price: number
  responsible_user_id: number
  group_id: number
  status_id: number
  pipeline_id: number
  loss_reason_id: number | null
  created_by: number
  updated_by: number
  created_at: number
  updated_at: number
  closed_at: number | null
  closest_task_at: number | null
  is_deleted: boolean
  /** `null`, never `[]`, when nothing is filled — as the real API answers. */
  custom_fields_values: FieldValue[] | null
  score: number | null
  account_id: number
  _embedded: { tags: Tag[] }
}

export interface Contact {
  id: number
  name: string
  first_name: string
  last_name: string
  responsible_user_id: number
  group_id: number
  created_by: number
  updated_by: number
  created_at: number
  updated_at: number
  closest_task_at: number | null
  is_deleted: boolean
  is_unsorted: boolean
  custom_fields_values: FieldValue[] | null
  account_id: number
  _embedded: { tags: Tag[] }
}

export interface Company {
  id: number
  name: string
  responsible_user_id: number
  group_id: number
  created_by: number
  updated_by: number
  created_at: number
  updated_at: number
  closest_task_at: number | null
  is_deleted: boolean
  custom_fields_values: FieldValue[] | null
  account_id: number
  _embedded: { tags: Tag[] }
}

export interface Status {
  id: number
  name: string
  sort: number
  is_editable: boolean
  pipeline_id: number
  color: string
  /** 1 = "unsorted" (incoming leads), 0 = normal. */
  type: 0 | 1
  account_id: number
}

export interface Pipeline {
  id: number
  name: string
  sort: number
  is_main: boolean
  is_unsorted_on: boolean
  is_archive: boolean
  account_id: number
  _embedded: { statuses: Status[] }
}

export interface LossReason { id: number; name: string; sort: number; created_at: number; updated_at: number }

export interface User {
  id: number
  name: string
  email: string
  lang: string
  rights: {
    leads: Record<string, string>
    contacts: Record<string, string>
    companies: Record<string, string>
    mail_access: boolean
    catalog_access: boolean
    is_admin: boolean
    is_free: boolean
    is_active: boolean
    group_id: number | null
    role_id: number | null
  }
}

export interface Catalog {
  id: number
  name: string
  created_by: number
  updated_by: number
  created_at: number
  updated_at: number
  sort: number
  type: 'regular' | 'invoices' | 'products'
  can_add_elements: boolean
  can_show_in_cards: boolean
  can_link_multiple: boolean
  can_be_deleted: boolean
  sdk_widget_code: string | null
  account_id: number
}

export interface CatalogElement {
  id: number
  catalog_id: number
  name: string
  created_by: number
  updated_by: number
  created_at: number
  updated_at: number
  is_deleted: boolean
  custom_fields_values: FieldValue[] | null
  account_id: number
}

export interface Account {
  id: number
  name: string
  subdomain: string
  created_at: number
  created_by: number
  updated_at: number
  updated_by: number
  country: string
  currency: string
  currency_symbol: string
  customers_mode: string
  is_unsorted_on: boolean
  is_loss_reason_enabled: boolean
  is_helpbot_enabled: boolean
  is_technical_account: boolean
  contact_name_display_order: number
  timezone: string
}

/** Rows in ascending id order (ids only ever grow), plus an id index. Listing by id needs no sort. */
export class Table<T extends { id: number }> {
  readonly rows: T[] = []
  private readonly index = new Map<number, T>()

  insert(row: T): T {
    const last = this.rows[this.rows.length - 1]
    if (last && last.id >= row.id) throw new Error(`ids must grow: ${row.id} after ${last.id}`)
    this.rows.push(row)
    this.index.set(row.id, row)
    return row
  }

  get(id: number): T | undefined {
    return this.index.get(id)
  }

  get size(): number {
    return this.rows.length
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key)
  if (list) {
    if (!list.includes(value)) list.push(value)
  } else map.set(key, [value])
}

function remove<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key)
  const i = list ? list.indexOf(value) : -1
  if (list && i >= 0) list.splice(i, 1)
}

export interface ContactLink { id: number; is_main: boolean }

/** Entity links in both directions, so `with=contacts` and `with=leads` are O(links). */
export class Links {
  readonly leadContacts = new Map<number, ContactLink[]>()
  readonly contactLeads = new Map<number, number[]>()
  /** A lead has at most one company. */
  readonly leadCompany = new Map<number, number>()
  readonly companyLeads = new Map<number, number[]>()
  readonly contactCompany = new Map<number, number>()
  readonly companyContacts = new Map<number, number[]>()

  linkLeadContact(leadId: number, contactId: number, isMain: boolean): void {
    let list = this.leadContacts.get(leadId)
    if (!list) this.leadContacts.set(leadId, (list = []))
    // A lead has exactly one main contact: promoting one demotes the others.
    if (isMain) for (const link of list) link.is_main = false
    const existing = list.find((l) => l.id === contactId)
    if (existing) existing.is_main ||= isMain
    else list.push({ id: contactId, is_main: isMain || list.length === 0 })
    push(this.contactLeads, contactId, leadId)
  }

  setLeadCompany(leadId: number, companyId: number | null): void {
    const old = this.leadCompany.get(leadId)
    if (old !== undefined) remove(this.companyLeads, old, leadId)
    if (companyId === null) this.leadCompany.delete(leadId)
    else {
      this.leadCompany.set(leadId, companyId)
      push(this.companyLeads, companyId, leadId)
    }
  }

  setContactCompany(contactId: number, companyId: number | null): void {
    const old = this.contactCompany.get(contactId)
    if (old !== undefined) remove(this.companyContacts, old, contactId)
    if (companyId === null) this.contactCompany.delete(contactId)
    else {
      this.contactCompany.set(contactId, companyId)
      push(this.companyContacts, companyId, contactId)
    }
  }
}

/** Realistic-looking id ranges; contacts and companies share amoCRM's single id space. */
const ID_START = {
  user: 8123456,
  pipeline: 7654321,
  status: 65432100,
  lossReason: 905571,
  field: 1504571,
  enum: 2204117,
  tag: 51209,
  lead: 31840117,
  contact: 44100321,
  catalog: 9001,
  catalogElement: 700001,
} as const

export type IdKind = keyof typeof ID_START

/** What `AmoDb.toJSON()` returns and `AmoDb.fromJSON()` takes. */
export interface AmoDbSnapshot {
  account: Account
  users: User[]
  pipelines: Pipeline[]
  lossReasons: LossReason[]
  fields: [FieldScope, FieldDef[]][]
  tags: Record<EntityType, Tag[]>
  leads: Lead[]
  contacts: Contact[]
  companies: Company[]
  links: { leadContacts: [number, ContactLink[]][]; leadCompany: [number, number][]; contactCompany: [number, number][] }
  catalogs: Catalog[]
  catalogElements: [number, CatalogElement[]][]
}

export class AmoDb {
  readonly users = new Table<User>()
  readonly pipelines = new Table<Pipeline>()
  readonly lossReasons = new Table<LossReason>()
  readonly leads = new Table<Lead>()
  readonly contacts = new Table<Contact>()
  readonly companies = new Table<Company>()
  readonly catalogs = new Table<Catalog>()
  readonly catalogElements = new Map<number, Table<CatalogElement>>()
  readonly fields = new Map<FieldScope, Table<FieldDef>>()
  readonly tags: Record<EntityType, Table<Tag>> = { leads: new Table(), contacts: new Table(), companies: new Table() }
  readonly links = new Links()
  private counters: Record<IdKind, number> = { ...ID_START }

  constructor(readonly account: Account) {}

  nextId(kind: IdKind | 'company'): number {
    // Contacts and companies draw from one sequence, like in amoCRM.
    return this.counters[kind === 'company' ? 'contact' : kind]++
  }

  fieldsOf(scope: FieldScope): Table<FieldDef> {
    let table = this.fields.get(scope)
    if (!table) this.fields.set(scope, (table = new Table()))
    return table
  }

  elementsOf(catalogId: number): Table<CatalogElement> {
    let table = this.catalogElements.get(catalogId)
    if (!table) this.catalogElements.set(catalogId, (table = new Table()))
    return table
  }

  /** Statuses 142/143 exist in every pipeline, so a status is only identified together with its pipeline. */
  findStatus(pipelineId: number, statusId: number): Status | undefined {
    return this.pipelines.get(pipelineId)?._embedded.statuses.find((s) => s.id === statusId)
  }

  mainPipeline(): Pipeline {
    const main = this.pipelines.rows.find((p) => p.is_main) ?? this.pipelines.rows[0]
    if (!main) throw new Error('account has no pipelines')
    return main
  }

  adminUser(): User {
    const admin = this.users.rows.find((u) => u.rights.is_admin) ?? this.users.rows[0]
    if (!admin) throw new Error('account has no users')
    return admin
  }

  /**
   * Rebuilds a database from `toJSON()` output (the sandbox keeps its edits in a file this way).
   * Id counters continue after the highest id of each kind, as a real account's would.
   */
  static fromJSON(snapshot: AmoDbSnapshot): AmoDb {
    const db = new AmoDb(snapshot.account)
    const fill = <T extends { id: number }>(table: Table<T>, rows: T[]) => rows.forEach((r) => table.insert(r))
    fill(db.users, snapshot.users)
    fill(db.pipelines, snapshot.pipelines)
    fill(db.lossReasons, snapshot.lossReasons)
    for (const [scope, rows] of snapshot.fields) fill(db.fieldsOf(scope), rows)
    fill(db.tags.leads, snapshot.tags.leads)
    fill(db.tags.contacts, snapshot.tags.contacts)
    fill(db.tags.companies, snapshot.tags.companies)
    fill(db.leads, snapshot.leads)
    fill(db.contacts, snapshot.contacts)
    fill(db.companies, snapshot.companies)
    for (const [leadId, links] of snapshot.links.leadContacts) for (const l of links) db.links.linkLeadContact(leadId, l.id, l.is_main)
    for (const [leadId, companyId] of snapshot.links.leadCompany) db.links.setLeadCompany(leadId, companyId)
    for (const [contactId, companyId] of snapshot.links.contactCompany) db.links.setContactCompany(contactId, companyId)
    fill(db.catalogs, snapshot.catalogs)
    for (const [catalogId, rows] of snapshot.catalogElements) fill(db.elementsOf(catalogId), rows)

    const after = (ids: number[], kind: IdKind) => {
      db.counters[kind] = Math.max(ID_START[kind], ...ids.map((id) => id + 1))
    }
    after(snapshot.users.map((u) => u.id), 'user')
    after(snapshot.pipelines.map((p) => p.id), 'pipeline')
    after(snapshot.pipelines.flatMap((p) => p._embedded.statuses.map((st) => st.id)).filter((id) => id > 1000), 'status')
    after(snapshot.lossReasons.map((r) => r.id), 'lossReason')
    const fields = snapshot.fields.flatMap(([, rows]) => rows)
    after(fields.map((f) => f.id), 'field')
    after(fields.flatMap((f) => (f.enums ?? []).map((e) => e.id)), 'enum')
    after([...snapshot.tags.leads, ...snapshot.tags.contacts, ...snapshot.tags.companies].map((t) => t.id), 'tag')
    after(snapshot.leads.map((l) => l.id), 'lead')
    after([...snapshot.contacts, ...snapshot.companies].map((c) => c.id), 'contact')
    after(snapshot.catalogs.map((c) => c.id), 'catalog')
    after(snapshot.catalogElements.flatMap(([, rows]) => rows.map((e) => e.id)), 'catalogElement')
    return db
  }

  /** Plain-data view of everything, for snapshots and determinism checks. */
  toJSON(): AmoDbSnapshot {
    const entries = <K, V>(m: Map<K, V>): [K, V][] => [...m.entries()]
    return {
      account: this.account,
      users: this.users.rows,
      pipelines: this.pipelines.rows,
      lossReasons: this.lossReasons.rows,
      fields: [...this.fields.entries()].map(([scope, t]) => [scope, t.rows]),
      tags: { leads: this.tags.leads.rows, contacts: this.tags.contacts.rows, companies: this.tags.companies.rows },
      leads: this.leads.rows,
      contacts: this.contacts.rows,
      companies: this.companies.rows,
      links: {
        leadContacts: entries(this.links.leadContacts),
        leadCompany: entries(this.links.leadCompany),
        contactCompany: entries(this.links.contactCompany),
      },
      catalogs: this.catalogs.rows,
      catalogElements: [...this.catalogElements.entries()].map(([id, t]) => [id, t.rows]),
    }
  }
}
