// Batch create/update of leads, contacts, companies and catalog elements, plus custom-field and
// catalog definitions. Every item is validated first; one bad item rejects the whole batch and
// nothing is applied (research §3.1). Error codes/paths follow the documented `validation-errors`.
import type {
  AmoDb, Catalog, CatalogElement, Company, Contact, EntityType, FieldDef, FieldScope, FieldValue, FieldValueItem,
  Lead, Pipeline, Table, Tag,
} from './db.js'
import { FIELD_TYPES } from './db.js'

export interface ValidationError { code: string; path: string; detail: string }
export interface ItemErrors { request_id: string; errors: ValidationError[] }

export type WriteTarget = EntityType | { catalogId: number }

export interface WriteContext {
  db: AmoDb
  /** Emulator clock, Unix seconds. */
  nowSec: number
  /** The caller; becomes created_by/updated_by. */
  userId: number
}

export type BatchResult<T> =
  | { ok: true; items: { record: T; requestId: string }[] }
  | { ok: false; errors: ItemErrors[] }

const DETAIL = {
  type: (t: string) => `This value should be of type ${t}.`,
  choice: 'The value you selected is not a valid choice.',
  extra: 'This field was not expected.',
  missing: 'This field is missing.',
  notFound: 'Entity not found.',
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Collects errors for one item; typed getters report `InvalidType` at the field's path. */
class Check {
  readonly errors: ValidationError[] = []

  fail(code: string, path: string, detail: string): undefined {
    this.errors.push({ code, path, detail })
    return undefined
  }

  /** Unknown keys → `FieldNotExpected` (the API validates payloads as closed collections). */
  only(obj: Obj, allowed: readonly string[], prefix = ''): void {
    for (const key of Object.keys(obj)) if (!allowed.includes(key)) this.fail('FieldNotExpected', prefix + key, DETAIL.extra)
  }

  str(obj: Obj, key: string, path = key): string | undefined {
    const v = obj[key]
    if (v === undefined) return undefined
    return typeof v === 'string' ? v : this.fail('InvalidType', path, DETAIL.type('string'))
  }

  int(obj: Obj, key: string, path = key): number | undefined {
    const v = obj[key]
    if (v === undefined) return undefined
    return Number.isInteger(v) ? (v as number) : this.fail('InvalidType', path, DETAIL.type('int'))
  }

  /** `null` is a legal value here (e.g. clearing `loss_reason_id`). */
  intOrNull(obj: Obj, key: string): number | null | undefined {
    return obj[key] === null ? null : this.int(obj, key)
  }

  bool(obj: Obj, key: string): boolean | undefined {
    const v = obj[key]
    if (v === undefined) return undefined
    return typeof v === 'boolean' ? v : this.fail('InvalidType', key, DETAIL.type('bool'))
  }

  list(obj: Obj, key: string, path: string): unknown[] | undefined {
    const v = obj[key]
    if (v === undefined || v === null) return undefined
    return Array.isArray(v) ? v : this.fail('InvalidType', path, DETAIL.type('array'))
  }
}

interface Plan<T> { requestId: string; errors: ValidationError[]; apply: () => T }

function runBatch<T>(items: unknown[], validate: (item: Obj, check: Check) => (() => T) | undefined): BatchResult<T> {
  const plans: Plan<T>[] = items.map((raw, i) => {
    const check = new Check()
    const requestId = isObj(raw) && raw.request_id !== undefined && raw.request_id !== null ? String(raw.request_id) : String(i)
    if (!isObj(raw)) {
      check.fail('InvalidType', '', DETAIL.type('object'))
      return { requestId, errors: check.errors, apply: () => { throw new Error('invalid item') } }
    }
    const apply = validate(raw, check)
    return { requestId, errors: check.errors, apply: apply ?? (() => { throw new Error('invalid item') }) }
  })
  const failed = plans.filter((p) => p.errors.length > 0)
  if (failed.length > 0) return { ok: false, errors: failed.map((p) => ({ request_id: p.requestId, errors: p.errors })) }
  return { ok: true, items: plans.map((p) => ({ record: p.apply(), requestId: p.requestId })) }
}

// ---- custom field values ------------------------------------------------------------------

interface FieldPatch { def: FieldDef; values: FieldValueItem[] | null }

const ENUM_TYPES = new Set(['select', 'multiselect', 'radiobutton'])
const DATE_TYPES = new Set(['date', 'date_time', 'birthday'])

function fieldValues(obj: Obj, fields: Table<FieldDef>, check: Check): FieldPatch[] | undefined {
  const input = check.list(obj, 'custom_fields_values', 'custom_fields_values')
  if (!input) return undefined
  const patches: FieldPatch[] = []
  input.forEach((entry, i) => {
    const p = `custom_fields_values.${i}`
    if (!isObj(entry)) return check.fail('InvalidType', p, DETAIL.type('object'))
    // field_name/field_type belong to the read shape; tolerated so read objects can be sent back.
    check.only(entry, ['field_id', 'field_code', 'values', 'field_name', 'field_type'], `${p}.`)
    let def: FieldDef | undefined
    if (entry.field_id !== undefined && entry.field_id !== null) {
      const id = check.int(entry, 'field_id', `${p}.field_id`)
      if (id === undefined) return
      def = fields.get(id)
      if (!def) return check.fail('NotSupportedChoice', `${p}.field_id`, DETAIL.choice)
    } else if (entry.field_code !== undefined && entry.field_code !== null) {
      const code = check.str(entry, 'field_code', `${p}.field_code`)
      if (code === undefined) return
      def = fields.rows.find((f) => f.code !== null && f.code === code.toUpperCase())
      if (!def) return check.fail('NotSupportedChoice', `${p}.field_code`, DETAIL.choice)
    } else return check.fail('FieldMissing', `${p}.field_id`, DETAIL.missing)

    if (entry.values === null) return void patches.push({ def, values: null })
    const values = check.list(entry, 'values', `${p}.values`)
    if (!values) return check.fail('FieldMissing', `${p}.values`, DETAIL.missing)
    const items: FieldValueItem[] = []
    values.forEach((v, j) => {
      const item = fieldValueItem(def, v, `${p}.values.${j}`, check)
      if (item) items.push(item)
    })
    patches.push({ def, values: items.length > 0 ? items : null })
  })
  return patches
}

function fieldValueItem(def: FieldDef, v: unknown, p: string, check: Check): FieldValueItem | undefined {
  if (!isObj(v)) return check.fail('InvalidType', p, DETAIL.type('object'))
  // The legacy v2 `enum` key is the classic mistake (issue amocrm-api-php#4).
  check.only(v, ['value', 'enum_id', 'enum_code', 'subtype'], `${p}.`)
  const enums = def.enums ?? []
  if (ENUM_TYPES.has(def.type)) {
    if (v.enum_id !== undefined && v.enum_id !== null) {
      const e = enums.find((x) => x.id === v.enum_id)
      return e ? { value: e.value, enum_id: e.id, enum_code: null } : check.fail('NotSupportedChoice', `${p}.enum_id`, DETAIL.choice)
    }
    if (v.value === undefined || v.value === null) return check.fail('FieldMissing', `${p}.enum_id`, DETAIL.missing)
    // Selecting by text only works on an exact match (issues #115, #275).
    const e = enums.find((x) => x.value === v.value)
    return e ? { value: e.value, enum_id: e.id, enum_code: null } : check.fail('NotSupportedChoice', `${p}.value`, DETAIL.choice)
  }
  if (v.value === undefined || v.value === null) return check.fail('FieldMissing', `${p}.value`, DETAIL.missing)
  if (def.type === 'multitext') {
    if (typeof v.value !== 'string') return check.fail('InvalidType', `${p}.value`, DETAIL.type('string'))
    let e = enums[0]
    if (v.enum_id !== undefined && v.enum_id !== null) {
      e = enums.find((x) => x.id === v.enum_id)
      if (!e) return check.fail('NotSupportedChoice', `${p}.enum_id`, DETAIL.choice)
    } else if (v.enum_code !== undefined && v.enum_code !== null) {
      e = enums.find((x) => x.value === v.enum_code)
      if (!e) return check.fail('NotSupportedChoice', `${p}.enum_code`, DETAIL.choice)
    }
    return e ? { value: v.value, enum_id: e.id, enum_code: e.value } : { value: v.value }
  }
  if (def.type === 'numeric' || def.type === 'price' || def.type === 'monetary') {
    const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' && v.value.trim() !== '' ? Number(v.value) : NaN
    if (!Number.isFinite(n)) return check.fail('InvalidType', `${p}.value`, DETAIL.type('numeric'))
    // Assumption (not in the research): numeric values read back as strings, so clients must parse.
    return { value: def.type === 'numeric' ? String(v.value) : n }
  }
  if (def.type === 'checkbox') {
    return typeof v.value === 'boolean' ? { value: v.value } : check.fail('InvalidType', `${p}.value`, DETAIL.type('bool'))
  }
  if (DATE_TYPES.has(def.type)) {
    // Unix seconds, or a date string such as "2020-05-08" (older docs and the PHP library send those).
    const ts = typeof v.value === 'number' ? v.value : typeof v.value === 'string' ? (/^\d+$/.test(v.value) ? Number(v.value) * 1000 : Date.parse(v.value)) / 1000 : NaN
    return Number.isFinite(ts) ? { value: Math.floor(ts) } : check.fail('InvalidType', `${p}.value`, DETAIL.type('int'))
  }
  return typeof v.value === 'string' ? { value: v.value } : check.fail('InvalidType', `${p}.value`, DETAIL.type('string'))
}

/** Replaces (never mutates) the touched fields; seeded records share value objects. */
function mergeFieldValues(current: FieldValue[] | null, patches: FieldPatch[] | undefined): FieldValue[] | null {
  if (!patches || patches.length === 0) return current
  const out = current ? current.slice() : []
  for (const { def, values } of patches) {
    const i = out.findIndex((f) => f.field_id === def.id)
    const next: FieldValue | null = values
      ? { field_id: def.id, field_name: def.name, field_code: def.code, field_type: def.type, values }
      : null
    if (i >= 0) {
      if (next) out[i] = next
      else out.splice(i, 1)
    } else if (next) out.push(next)
  }
  return out.length > 0 ? out : null
}

// ---- tags ---------------------------------------------------------------------------------

type TagRef = { id: number } | { name: string }

function tagRefs(check: Check, list: unknown[] | undefined, path: string, table: Table<Tag>): TagRef[] | undefined {
  if (!list) return undefined
  const refs: TagRef[] = []
  list.forEach((t, i) => {
    if (!isObj(t)) return check.fail('InvalidType', `${path}.${i}`, DETAIL.type('object'))
    if (t.id !== undefined && t.id !== null) {
      const id = check.int(t, 'id', `${path}.${i}.id`)
      if (id === undefined) return
      if (!table.get(id)) return check.fail('NotSupportedChoice', `${path}.${i}.id`, DETAIL.choice)
      refs.push({ id })
    } else {
      const name = check.str(t, 'name', `${path}.${i}.name`)
      if (name === undefined || name.trim() === '') return check.fail('FieldMissing', `${path}.${i}.name`, DETAIL.missing)
      refs.push({ name })
    }
  })
  return refs
}

function resolveTag(db: AmoDb, table: Table<Tag>, ref: TagRef): Tag {
  if ('id' in ref) return table.get(ref.id) as Tag
  const lower = ref.name.toLowerCase()
  return table.rows.find((t) => t.name.toLowerCase() === lower) ?? table.insert({ id: db.nextId('tag'), name: ref.name, color: null })
}

interface TagOps { replace?: TagRef[]; add?: TagRef[]; remove?: TagRef[] }

/** `_embedded.tags` replaces the set; `tags_to_add` / `tags_to_delete` edit it (research §2.4). */
function tagOps(obj: Obj, embedded: Obj | undefined, check: Check, table: Table<Tag>): TagOps {
  return {
    replace: embedded ? tagRefs(check, check.list(embedded, 'tags', '_embedded.tags'), '_embedded.tags', table) : undefined,
    add: tagRefs(check, check.list(obj, 'tags_to_add', 'tags_to_add'), 'tags_to_add', table),
    remove: tagRefs(check, check.list(obj, 'tags_to_delete', 'tags_to_delete'), 'tags_to_delete', table),
  }
}

function applyTags(db: AmoDb, table: Table<Tag>, current: Tag[], ops: TagOps): Tag[] {
  let tags = ops.replace ? ops.replace.map((r) => resolveTag(db, table, r)) : current.slice()
  for (const r of ops.add ?? []) {
    const tag = resolveTag(db, table, r)
    if (!tags.includes(tag)) tags.push(tag)
  }
  if (ops.remove) {
    const gone = new Set(ops.remove.map((r) => resolveTag(db, table, r)))
    tags = tags.filter((t) => !gone.has(t))
  }
  return [...new Set(tags)]
}

// ---- shared entity pieces -----------------------------------------------------------------

/** Looks up the record being updated, reporting `FieldMissing`/`NotFound` at `id`. */
function target<T extends { id: number }>(obj: Obj, mode: 'create' | 'update', table: Table<T>, check: Check): T | undefined | false {
  if (mode === 'create') return undefined
  if (obj.id === undefined) return check.fail('FieldMissing', 'id', DETAIL.missing) ?? false
  const id = check.int(obj, 'id')
  if (id === undefined) return false
  return table.get(id) ?? check.fail('NotFound', 'id', DETAIL.notFound) ?? false
}

function embeddedOf(obj: Obj, check: Check, allowed: readonly string[]): Obj | undefined {
  const e = obj._embedded
  if (e === undefined || e === null) return undefined
  if (!isObj(e)) return check.fail('InvalidType', '_embedded', DETAIL.type('object'))
  check.only(e, allowed, '_embedded.')
  return e
}

function ids(check: Check, list: unknown[] | undefined, path: string, exists: (id: number) => boolean): { id: number; is_main?: boolean }[] | undefined {
  if (!list) return undefined
  const out: { id: number; is_main?: boolean }[] = []
  list.forEach((item, i) => {
    if (!isObj(item)) return check.fail('InvalidType', `${path}.${i}`, DETAIL.type('object'))
    const id = check.int(item, 'id', `${path}.${i}.id`)
    if (id === undefined) return item.id === undefined ? check.fail('FieldMissing', `${path}.${i}.id`, DETAIL.missing) : undefined
    // Unknown linked entities: the real code is undocumented; NotFound mirrors the PATCH-by-id case.
    if (!exists(id)) return check.fail('NotFound', `${path}.${i}.id`, DETAIL.notFound)
    const isMain = item.is_main
    out.push(typeof isMain === 'boolean' ? { id, is_main: isMain } : { id })
  })
  return out
}

function checkUser(db: AmoDb, check: Check, key: string, id: number | undefined): void {
  if (id !== undefined && !db.users.get(id)) check.fail('NotSupportedChoice', key, DETAIL.choice)
}

const COMMON_KEYS = ['request_id', 'created_by', 'updated_by', 'created_at', 'updated_at', 'responsible_user_id', 'custom_fields_values', 'tags_to_add', 'tags_to_delete', '_embedded']

// ---- leads --------------------------------------------------------------------------------

const LEAD_KEYS = [...COMMON_KEYS, 'name', 'price', 'status_id', 'pipeline_id', 'loss_reason_id', 'closed_at', 'visitor_uid']

function firstWorkingStatus(p: Pipeline): number {
  // API-created leads skip "unsorted" and land in the first working status.
  const s = p._embedded.statuses.find((x) => x.type === 0 && x.id !== 142 && x.id !== 143) ?? p._embedded.statuses[0]
  return s ? s.id : 142
}

function leadWriter(ctx: WriteContext, mode: 'create' | 'update') {
  const { db } = ctx
  return (obj: Obj, check: Check): (() => Lead) | undefined => {
    check.only(obj, mode === 'update' ? [...LEAD_KEYS, 'id'] : LEAD_KEYS)
    const existing = target(obj, mode, db.leads, check)
    if (existing === false) return undefined
    const name = check.str(obj, 'name')
    const price = check.int(obj, 'price')
    const statusIn = check.int(obj, 'status_id')
    const pipelineIn = check.int(obj, 'pipeline_id')
    const responsible = check.int(obj, 'responsible_user_id')
    const createdBy = check.int(obj, 'created_by')
    const updatedBy = check.int(obj, 'updated_by')
    const createdAt = check.int(obj, 'created_at')
    const updatedAt = check.int(obj, 'updated_at')
    const closedAt = check.intOrNull(obj, 'closed_at')
    const lossReason = check.intOrNull(obj, 'loss_reason_id')
    checkUser(db, check, 'responsible_user_id', responsible)
    if (typeof lossReason === 'number' && !db.lossReasons.get(lossReason)) check.fail('NotSupportedChoice', 'loss_reason_id', DETAIL.choice)

    // Status ids are unique except 142/143, so a bare status_id implies its pipeline.
    const current = existing ? existing.pipeline_id : db.mainPipeline().id
    let pipelineId = pipelineIn ?? current
    if (pipelineIn === undefined && statusIn !== undefined && !db.findStatus(current, statusIn)) {
      pipelineId = db.pipelines.rows.find((p) => db.findStatus(p.id, statusIn))?.id ?? current
    }
    const pipeline = db.pipelines.get(pipelineId)
    let statusId: number | undefined
    if (!pipeline) {
      if (pipelineIn !== undefined) check.fail('NotSupportedChoice', 'pipeline_id', DETAIL.choice)
    } else {
      statusId = statusIn ?? (existing && existing.pipeline_id === pipelineId ? existing.status_id : firstWorkingStatus(pipeline))
      if (statusIn !== undefined && !db.findStatus(pipelineId, statusIn)) check.fail('NotSupportedChoice', 'status_id', DETAIL.choice)
    }

    const cf = fieldValues(obj, db.fieldsOf('leads'), check)
    const embedded = embeddedOf(obj, check, ['contacts', 'companies', 'tags', 'source'])
    const contacts = embedded && ids(check, check.list(embedded, 'contacts', '_embedded.contacts'), '_embedded.contacts', (id) => !!db.contacts.get(id))
    const companies = embedded && ids(check, check.list(embedded, 'companies', '_embedded.companies'), '_embedded.companies', (id) => !!db.companies.get(id))
    const tags = tagOps(obj, embedded, check, db.tags.leads)
    if (check.errors.length > 0 || statusId === undefined) return undefined
    const finalStatus = statusId

    return () => {
      const now = ctx.nowSec
      const lead: Lead = existing || {
        id: db.nextId('lead'), name: '', price: 0, responsible_user_id: ctx.userId, group_id: 0, status_id: finalStatus,
        pipeline_id: pipelineId, loss_reason_id: null, created_by: createdBy ?? ctx.userId, updated_by: ctx.userId,
        created_at: createdAt ?? now, updated_at: now, closed_at: null, closest_task_at: null, is_deleted: false,
        custom_fields_values: null, score: null, account_id: db.account.id, _embedded: { tags: [] },
      }
      const wasClosed = existing ? existing.status_id === 142 || existing.status_id === 143 : false
      const isClosed = finalStatus === 142 || finalStatus === 143
      if (name !== undefined) lead.name = name
      else if (!existing) lead.name = `Сделка #${lead.id}` // amoCRM's own default name
      if (price !== undefined) lead.price = price
      if (responsible !== undefined) lead.responsible_user_id = responsible
      if (createdAt !== undefined) lead.created_at = createdAt
      if (lossReason !== undefined) lead.loss_reason_id = lossReason
      lead.pipeline_id = pipelineId
      lead.status_id = finalStatus
      // Entering 142/143 stamps closed_at; reopening clears it (the latter is an assumption).
      if (closedAt !== undefined) lead.closed_at = closedAt
      else if (isClosed && !wasClosed) lead.closed_at = now
      else if (!isClosed) lead.closed_at = null
      lead.custom_fields_values = mergeFieldValues(lead.custom_fields_values, cf)
      lead._embedded = { tags: applyTags(db, db.tags.leads, lead._embedded.tags, tags) }
      lead.updated_at = updatedAt ?? now
      lead.updated_by = updatedBy ?? ctx.userId
      if (!existing) db.leads.insert(lead)
      for (const c of contacts ?? []) db.links.linkLeadContact(lead.id, c.id, c.is_main === true)
      const company = companies?.[0]
      if (company) db.links.setLeadCompany(lead.id, company.id)
      return lead
    }
  }
}

// ---- contacts & companies -----------------------------------------------------------------

const CONTACT_KEYS = [...COMMON_KEYS, 'name', 'first_name', 'last_name']

function contactWriter(ctx: WriteContext, mode: 'create' | 'update') {
  const { db } = ctx
  return (obj: Obj, check: Check): (() => Contact) | undefined => {
    check.only(obj, mode === 'update' ? [...CONTACT_KEYS, 'id'] : CONTACT_KEYS)
    const existing = target(obj, mode, db.contacts, check)
    if (existing === false) return undefined
    const name = check.str(obj, 'name')
    const first = check.str(obj, 'first_name')
    const last = check.str(obj, 'last_name')
    const responsible = check.int(obj, 'responsible_user_id')
    const createdAt = check.int(obj, 'created_at')
    const updatedAt = check.int(obj, 'updated_at')
    const updatedBy = check.int(obj, 'updated_by')
    const createdBy = check.int(obj, 'created_by')
    checkUser(db, check, 'responsible_user_id', responsible)
    const cf = fieldValues(obj, db.fieldsOf('contacts'), check)
    const embedded = embeddedOf(obj, check, ['tags', 'companies'])
    const companies = embedded && ids(check, check.list(embedded, 'companies', '_embedded.companies'), '_embedded.companies', (id) => !!db.companies.get(id))
    const tags = tagOps(obj, embedded, check, db.tags.contacts)
    if (check.errors.length > 0) return undefined

    return () => {
      const now = ctx.nowSec
      const contact: Contact = existing || {
        id: db.nextId('contact'), name: '', first_name: '', last_name: '', responsible_user_id: ctx.userId, group_id: 0,
        created_by: createdBy ?? ctx.userId, updated_by: ctx.userId, created_at: createdAt ?? now, updated_at: now,
        closest_task_at: null, is_deleted: false, is_unsorted: false, custom_fields_values: null, account_id: db.account.id,
        _embedded: { tags: [] },
      }
      if (first !== undefined) contact.first_name = first
      if (last !== undefined) contact.last_name = last
      if (name !== undefined) contact.name = name
      else if (first !== undefined || last !== undefined) contact.name = `${contact.first_name} ${contact.last_name}`.trim()
      if (responsible !== undefined) contact.responsible_user_id = responsible
      if (createdAt !== undefined) contact.created_at = createdAt
      contact.custom_fields_values = mergeFieldValues(contact.custom_fields_values, cf)
      contact._embedded = { tags: applyTags(db, db.tags.contacts, contact._embedded.tags, tags) }
      contact.updated_at = updatedAt ?? now
      contact.updated_by = updatedBy ?? ctx.userId
      if (!existing) db.contacts.insert(contact)
      const company = companies?.[0]
      if (company) db.links.setContactCompany(contact.id, company.id)
      return contact
    }
  }
}

const COMPANY_KEYS = [...COMMON_KEYS, 'name']

function companyWriter(ctx: WriteContext, mode: 'create' | 'update') {
  const { db } = ctx
  return (obj: Obj, check: Check): (() => Company) | undefined => {
    check.only(obj, mode === 'update' ? [...COMPANY_KEYS, 'id'] : COMPANY_KEYS)
    const existing = target(obj, mode, db.companies, check)
    if (existing === false) return undefined
    const name = check.str(obj, 'name')
    const responsible = check.int(obj, 'responsible_user_id')
    const createdAt = check.int(obj, 'created_at')
    const updatedAt = check.int(obj, 'updated_at')
    const updatedBy = check.int(obj, 'updated_by')
    const createdBy = check.int(obj, 'created_by')
    checkUser(db, check, 'responsible_user_id', responsible)
    const cf = fieldValues(obj, db.fieldsOf('companies'), check)
    const embedded = embeddedOf(obj, check, ['tags'])
    const tags = tagOps(obj, embedded, check, db.tags.companies)
    if (check.errors.length > 0) return undefined

    return () => {
      const now = ctx.nowSec
      const company: Company = existing || {
        id: db.nextId('company'), name: '', responsible_user_id: ctx.userId, group_id: 0, created_by: createdBy ?? ctx.userId,
        updated_by: ctx.userId, created_at: createdAt ?? now, updated_at: now, closest_task_at: null, is_deleted: false,
        custom_fields_values: null, account_id: db.account.id, _embedded: { tags: [] },
      }
      if (name !== undefined) company.name = name
      if (responsible !== undefined) company.responsible_user_id = responsible
      if (createdAt !== undefined) company.created_at = createdAt
      company.custom_fields_values = mergeFieldValues(company.custom_fields_values, cf)
      company._embedded = { tags: applyTags(db, db.tags.companies, company._embedded.tags, tags) }
      company.updated_at = updatedAt ?? now
      company.updated_by = updatedBy ?? ctx.userId
      if (!existing) db.companies.insert(company)
      return company
    }
  }
}

// ---- catalog elements ---------------------------------------------------------------------

const ELEMENT_KEYS = ['request_id', 'name', 'custom_fields_values', 'created_by', 'updated_by', 'created_at', 'updated_at']

function elementWriter(ctx: WriteContext, mode: 'create' | 'update', catalogId: number) {
  const { db } = ctx
  const table = db.elementsOf(catalogId)
  return (obj: Obj, check: Check): (() => CatalogElement) | undefined => {
    check.only(obj, mode === 'update' ? [...ELEMENT_KEYS, 'id'] : ELEMENT_KEYS)
    const existing = target(obj, mode, table, check)
    if (existing === false) return undefined
    const name = check.str(obj, 'name')
    if (mode === 'create' && obj.name === undefined) check.fail('FieldMissing', 'name', DETAIL.missing)
    const createdAt = check.int(obj, 'created_at')
    const updatedAt = check.int(obj, 'updated_at')
    const cf = fieldValues(obj, db.fieldsOf(`catalogs:${catalogId}`), check)
    if (check.errors.length > 0) return undefined

    return () => {
      const now = ctx.nowSec
      const el: CatalogElement = existing || {
        id: db.nextId('catalogElement'), catalog_id: catalogId, name: '', created_by: ctx.userId, updated_by: ctx.userId,
        created_at: createdAt ?? now, updated_at: now, is_deleted: false, custom_fields_values: null, account_id: db.account.id,
      }
      if (name !== undefined) el.name = name
      el.custom_fields_values = mergeFieldValues(el.custom_fields_values, cf)
      el.updated_at = updatedAt ?? now
      el.updated_by = ctx.userId
      if (!existing) table.insert(el)
      return el
    }
  }
}

export function writeEntities(ctx: WriteContext, target: WriteTarget, mode: 'create' | 'update', items: unknown[]): BatchResult<{ id: number; updated_at: number }> {
  if (typeof target === 'object') return runBatch(items, elementWriter(ctx, mode, target.catalogId))
  switch (target) {
    case 'leads': return runBatch(items, leadWriter(ctx, mode))
    case 'contacts': return runBatch(items, contactWriter(ctx, mode))
    case 'companies': return runBatch(items, companyWriter(ctx, mode))
  }
}

// ---- definitions: custom fields and catalogs ----------------------------------------------

export function createFieldDefs(ctx: WriteContext, scope: FieldScope, items: unknown[]): BatchResult<FieldDef> {
  const { db } = ctx
  const table = db.fieldsOf(scope)
  const catalogId = scope.startsWith('catalogs:') ? Number(scope.slice('catalogs:'.length)) : undefined
  return runBatch(items, (obj, check) => {
    check.only(obj, ['request_id', 'name', 'type', 'code', 'sort', 'is_api_only', 'enums', 'group_id', 'required_statuses', 'remind', 'settings'])
    const name = check.str(obj, 'name')
    if (obj.name === undefined) check.fail('FieldMissing', 'name', DETAIL.missing)
    const type = check.str(obj, 'type')
    if (obj.type === undefined) check.fail('FieldMissing', 'type', DETAIL.missing)
    else if (type !== undefined && !FIELD_TYPES.includes(type as FieldDef['type'])) check.fail('NotSupportedChoice', 'type', DETAIL.choice)
    const code = check.str(obj, 'code')
    if (code !== undefined && table.rows.some((f) => f.code === code.toUpperCase())) check.fail('NotSupportedChoice', 'code', 'Field with this code already exists.')
    const sort = check.int(obj, 'sort')
    const apiOnly = check.bool(obj, 'is_api_only')
    const enumsIn = check.list(obj, 'enums', 'enums')
    const enums: { value: string; sort?: number }[] = []
    enumsIn?.forEach((e, i) => {
      if (!isObj(e)) return check.fail('InvalidType', `enums.${i}`, DETAIL.type('object'))
      const value = check.str(e, 'value', `enums.${i}.value`)
      if (value === undefined) return e.value === undefined ? check.fail('FieldMissing', `enums.${i}.value`, DETAIL.missing) : undefined
      const s = check.int(e, 'sort', `enums.${i}.sort`)
      enums.push(s !== undefined ? { value, sort: s } : { value })
    })
    if (type && (ENUM_TYPES.has(type) || type === 'multitext') && enums.length === 0) check.fail('FieldMissing', 'enums', DETAIL.missing)
    if (check.errors.length > 0 || name === undefined || type === undefined) return undefined
    return () => table.insert({
      id: db.nextId('field'), name, type: type as FieldDef['type'], account_id: db.account.id, code: code ? code.toUpperCase() : null,
      sort: sort ?? (table.size + 1) * 10, is_api_only: apiOnly ?? false,
      enums: enums.length > 0 ? enums.map((e, i) => ({ id: db.nextId('enum'), value: e.value, sort: e.sort ?? (i + 1) * 10 })) : null,
      group_id: null, required_statuses: [], is_deletable: true, is_predefined: false,
      entity_type: catalogId !== undefined ? 'catalogs' : scope, remind: null,
      ...(catalogId !== undefined ? { catalog_id: catalogId } : {}),
    })
  })
}

export const MAX_CATALOGS = 10
const CATALOG_TYPES = ['regular', 'invoices', 'products'] as const

export function writeCatalogs(ctx: WriteContext, mode: 'create' | 'update', items: unknown[]): BatchResult<Catalog> {
  const { db } = ctx
  const keys = ['request_id', 'name', 'type', 'sort', 'can_add_elements', 'can_show_in_cards', 'can_link_multiple', 'sdk_widget_code']
  return runBatch(items, (obj, check) => {
    check.only(obj, mode === 'update' ? [...keys, 'id'] : keys)
    const existing = target(obj, mode, db.catalogs, check)
    if (existing === false) return undefined
    const name = check.str(obj, 'name')
    if (mode === 'create' && obj.name === undefined) check.fail('FieldMissing', 'name', DETAIL.missing)
    const type = check.str(obj, 'type') as Catalog['type'] | undefined
    if (type !== undefined && !CATALOG_TYPES.includes(type)) check.fail('NotSupportedChoice', 'type', DETAIL.choice)
    // At most one invoices list and one products list per account (research §2.6).
    if (mode === 'create' && (type === 'invoices' || type === 'products') && db.catalogs.rows.some((c) => c.type === type)) {
      check.fail('NotSupportedChoice', 'type', DETAIL.choice)
    }
    const sort = check.int(obj, 'sort')
    const canAdd = check.bool(obj, 'can_add_elements')
    const canShow = check.bool(obj, 'can_show_in_cards')
    const canLink = check.bool(obj, 'can_link_multiple')
    const widget = obj.sdk_widget_code === null ? null : check.str(obj, 'sdk_widget_code')
    if (check.errors.length > 0) return undefined
    return () => {
      const now = ctx.nowSec
      const catalog: Catalog = existing || {
        id: db.nextId('catalog'), name: '', created_by: ctx.userId, updated_by: ctx.userId, created_at: now, updated_at: now,
        sort: (db.catalogs.size + 1) * 10, type: type ?? 'regular', can_add_elements: true, can_show_in_cards: false,
        can_link_multiple: false, can_be_deleted: true, sdk_widget_code: null, account_id: db.account.id,
      }
      if (name !== undefined) catalog.name = name
      if (sort !== undefined) catalog.sort = sort
      if (canAdd !== undefined) catalog.can_add_elements = canAdd
      if (canShow !== undefined) catalog.can_show_in_cards = canShow
      if (canLink !== undefined) catalog.can_link_multiple = canLink
      if (widget !== undefined) catalog.sdk_widget_code = widget
      catalog.updated_at = now
      catalog.updated_by = ctx.userId
      if (!existing) db.catalogs.insert(catalog)
      return catalog
    }
  })
}
