// REST methods of the emulated portal, called by the HTTP layer and by `batch` alike.
import { ENTITY, portalDate, semanticLetter, type Bitrix24Db, type Item, type SpaType, type UserField, type UserFieldType } from './db.js'
import { FilterError, compileFilter, matches, sortRows, type Row } from './filters.js'

export const PAGE = 50

export type MethodResult =
  | { ok: true; result: unknown; total?: number; next?: number; cost: number }
  | { ok: false; error: string; description: string; status: number; cost: number }

export interface MethodContext {
  db: Bitrix24Db
  now: () => number
  /** User the call runs as (the webhook's author or the token's user). */
  userId: number
  /** One-shot corruption hooks, by method name (the contract suite's malformed-response test). */
  corrupt: Set<string>
  /** How the call was authorised: placement and app methods need an application (OAuth / frame) token. */
  auth?: 'webhook' | 'oauth'
}

const fail = (status: number, error: string, description: string, cost = 0.001): MethodResult => ({ ok: false, error, description, status, cost })
const ok = (result: unknown, cost: number, extra: { total?: number; next?: number } = {}): MethodResult => ({ ok: true, result, cost, ...extra })

/** Standard fields per entity type as `crm.item.fields` describes them. */
const COMMON: Record<string, string> = {
  id: 'integer', assignedById: 'user', createdBy: 'user', updatedBy: 'user', createdTime: 'datetime', updatedTime: 'datetime',
  opened: 'char', utmSource: 'string', utmMedium: 'string', utmCampaign: 'string', utmContent: 'string', utmTerm: 'string',
}
const STANDARD: Record<number, Record<string, string>> = {
  [ENTITY.lead]: {
    ...COMMON, title: 'string', name: 'string', lastName: 'string', stageId: 'crm_status', stageSemanticId: 'char',
    opportunity: 'double', currencyId: 'crm_currency', isManualOpportunity: 'char', sourceId: 'crm_status', sourceDescription: 'text',
    movedTime: 'datetime', dateClosed: 'datetime', contactId: 'crm_contact', companyId: 'crm_company', fm: 'crm_multifield',
  },
  [ENTITY.deal]: {
    ...COMMON, title: 'string', categoryId: 'crm_category', stageId: 'crm_status', stageSemanticId: 'char', closed: 'char',
    opportunity: 'double', currencyId: 'crm_currency', isManualOpportunity: 'char', taxValue: 'double', probability: 'integer',
    typeId: 'crm_status', movedTime: 'datetime', begindate: 'date', closedate: 'date', contactId: 'crm_contact', contactIds: 'crm_contact',
    companyId: 'crm_company', leadId: 'crm_lead', sourceId: 'crm_status', sourceDescription: 'text', observers: 'user',
  },
  [ENTITY.contact]: {
    ...COMMON, name: 'string', lastName: 'string', secondName: 'string', honorific: 'crm_status', companyId: 'crm_company',
    sourceId: 'crm_status', fm: 'crm_multifield',
  },
  [ENTITY.company]: { ...COMMON, title: 'string', fm: 'crm_multifield' },
}
const SPA_FIELDS: Record<string, string> = {
  ...COMMON, title: 'string', begindate: 'date', closedate: 'date', opportunity: 'double', currencyId: 'crm_currency',
  categoryId: 'crm_category', stageId: 'crm_status',
}
const READ_ONLY = new Set(['id', 'createdBy', 'updatedBy', 'createdTime', 'updatedTime', 'stageSemanticId', 'movedTime'])

function standardOf(db: Bitrix24Db, entityTypeId: number): Record<string, string> {
  const base = STANDARD[entityTypeId] ?? SPA_FIELDS
  if (entityTypeId > 4) {
    const extra: Record<string, string> = {}
    const t = db.types.find((x) => x.entityTypeId === entityTypeId)
    for (const p of t?.relations.parent ?? []) extra[`parentId${p.entityTypeId}`] = 'crm_entity'
    return { ...base, ...extra }
  }
  // Smart processes linked as parents of deals/leads add `parentId{type}` there too.
  const extra: Record<string, string> = {}
  for (const t of db.types) if (t.relations.child.some((c) => c.entityTypeId === entityTypeId)) extra[`parentId${t.entityTypeId}`] = 'crm_entity'
  return { ...base, ...extra }
}

function knownFields(db: Bitrix24Db, entityTypeId: number): string[] {
  return [...Object.keys(standardOf(db, entityTypeId)), ...db.fieldsOf(entityTypeId).map((f) => f.fieldName)]
}

/** `UF_CRM_3_1747309727` → `ufCrm3_1747309727`, `UF_CRM_1747309879` → `ufCrm_1747309879` (research §2.9). */
export function ufCamel(name: string): string {
  const parts = name.replace(/^UF_CRM_/, '').split('_')
  let out = 'ufCrm'
  parts.forEach((p, i) => {
    if (/^\d+$/.test(p)) out += i === 0 && parts.length > 1 && /^\d+$/.test(parts[1] ?? '') ? p : `_${p}`
    else out += p.charAt(0) + p.slice(1).toLowerCase()
  })
  return out
}

function presenter(db: Bitrix24Db, entityTypeId: number, select: unknown, originalUf: boolean): (item: Item) => Row {
  const fields = Array.isArray(select) ? select.map(String) : []
  const all = !fields.length || fields.includes('*')
  const allUf = all || fields.includes('UF_*')
  const ufs = db.fieldsOf(entityTypeId).map((f) => f.fieldName)
  const ufSet = new Set(ufs)
  const wanted = new Set(fields)
  return (item) => {
    const out: Row = {}
    for (const k in item) {
      const v = item[k]
      if (k.startsWith('UF_')) {
        if (!ufSet.has(k) || !(allUf || wanted.has(k) || wanted.has(ufCamel(k)))) continue
        out[originalUf ? k : ufCamel(k)] = v === undefined ? null : v
      } else if (all || k === 'id' || wanted.has(k)) out[k] = v === undefined ? null : v
    }
    if (allUf) for (const f of ufs) if (!(f in item)) out[originalUf ? f : ufCamel(f)] = null
    return out
  }
}

function present(db: Bitrix24Db, entityTypeId: number, item: Item, select: unknown, originalUf: boolean): Row {
  return presenter(db, entityTypeId, select, originalUf)(item)
}

const int = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN)
const yes = (v: unknown): boolean => v === 'Y' || v === 'y' || v === true || v === 1 || v === '1'

const isIdAsc = (order: unknown) => {
  const entries = order && typeof order === 'object' ? Object.entries(order as Record<string, unknown>) : []
  return entries.length === 1 && entries[0]![0].toLowerCase() === 'id' && String(entries[0]![1]).toUpperCase() === 'ASC'
}

function listItems(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const { db } = c
  const entityTypeId = int(p.entityTypeId)
  if (!db.isKnownEntityType(entityTypeId)) return fail(400, 'NOT_FOUND', 'Smart process not found')
  const known = knownFields(db, entityTypeId)
  const start = p.start === undefined || p.start === '' ? 0 : int(p.start)
  const order = p.order && typeof p.order === 'object' && Object.keys(p.order).length ? p.order : { id: 'ASC' }
  const show = presenter(db, entityTypeId, p.select, yes(p.useOriginalUfNames))
  const tableSize = db.table(entityTypeId).size
  let rows: Row[]
  try {
    const conditions = compileFilter(p.filter, known)
    if (isIdAsc(order)) {
      // Seek to the `>id` / `>=id` cursor instead of scanning the table (what the index does).
      const all = db.byId(entityTypeId)
      let from = 0
      for (const cond of conditions) {
        if (cond.field !== 'id' || (cond.op !== '>' && cond.op !== '>=')) continue
        const v = Number(cond.value)
        if (Number.isNaN(v)) return ok({ items: [] }, 0.005, start === -1 ? { total: 0 } : { total: 0 })
        let lo = from
        let hi = all.length
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if (cond.op === '>' ? all[mid]!.id <= v : all[mid]!.id < v) lo = mid + 1
          else hi = mid
        }
        from = lo
      }
      rows = []
      for (let i = from; i < all.length; i++) {
        if (!matches(all[i]!, conditions)) continue
        rows.push(all[i]!)
        if (start === -1 && rows.length === PAGE) break
      }
    } else {
      rows = [...db.table(entityTypeId).values()].filter((r) => matches(r, conditions))
      rows = sortRows(rows, order, known)
    }
  } catch (e) {
    if (e instanceof FilterError) return fail(400, 'INVALID_ARG_VALUE', e.message)
    throw e
  }
  if (start === -1) {
    // No COUNT(*): cheap, `total` 0 and no `next` (research §3).
    const page = rows.slice(0, PAGE)
    return ok({ items: maybeCorrupt(c, 'crm.item.list', page.map((r) => show(r as Item))) }, 0.005 + 0.002 * page.length, { total: 0 })
  }
  const offset = Number.isNaN(start) || start < 0 ? 0 : start
  const page = rows.slice(offset, offset + PAGE)
  // Counting and offsets cost time proportional to the table (49.9 s per page on 2.4 M rows).
  const cost = 0.005 + 0.002 * page.length + 0.00002 * tableSize + 0.00001 * offset
  return ok(
    { items: maybeCorrupt(c, 'crm.item.list', page.map((r) => show(r as Item))) },
    cost,
    offset + PAGE < rows.length ? { total: rows.length, next: offset + PAGE } : { total: rows.length },
  )
}

function maybeCorrupt(c: MethodContext, method: string, rows: Row[]): Row[] {
  if (!c.corrupt.has(method) || !rows.length) return rows
  c.corrupt.delete(method)
  return [{ ...rows[0], opportunity: 'lots', createdTime: 'yesterday' }, ...rows.slice(1)]
}

function getItem(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const entityTypeId = int(p.entityTypeId)
  if (!c.db.isKnownEntityType(entityTypeId)) return fail(400, 'NOT_FOUND', 'Smart process not found')
  const item = c.db.table(entityTypeId).get(int(p.id))
  if (!item) return fail(400, 'NOT_FOUND', 'Element not found', 0.005)
  return ok({ item: present(c.db, entityTypeId, item, ['*'], yes(p.useOriginalUfNames)) }, 0.01)
}

type Fields = Record<string, unknown>

/** Applies writable fields; unknown fields are silently ignored, as Bitrix24 does. */
function applyFields(c: MethodContext, entityTypeId: number, target: Item | Fields, fields: Fields, isNew: boolean): string | null {
  const { db } = c
  const std = standardOf(db, entityTypeId)
  const ufs = new Map<string, UserField>()
  for (const f of db.fieldsOf(entityTypeId)) {
    ufs.set(f.fieldName, f)
    ufs.set(ufCamel(f.fieldName), f)
  }
  for (const [key, value] of Object.entries(fields)) {
    const uf = ufs.get(key)
    if (uf) {
      const err = checkUf(uf, value)
      if (err) return err
      target[uf.fieldName] = normaliseUf(uf, value)
      continue
    }
    if (!(key in std) || READ_ONLY.has(key)) continue
    switch (key) {
      case 'contactIds': {
        const ids = (Array.isArray(value) ? value : value == null || value === '' ? [] : [value]).map(int)
        for (const id of ids) if (!db.table(ENTITY.contact).has(id)) return `Contact with ID ${String(id)} is not found`
        target.contactIds = ids
        target.contactId = ids[0] ?? null
        break
      }
      case 'contactId':
      case 'companyId':
      case 'leadId':
      case 'assignedById': {
        const id = value === null || value === '' ? (key === 'companyId' ? 0 : null) : int(value)
        if (id !== null && Number.isNaN(id)) return `Field "${key}" must be an integer`
        if (key === 'contactId' && id && !db.table(ENTITY.contact).has(id)) return `Contact with ID ${id} is not found`
        if (key === 'companyId' && id && !db.table(ENTITY.company).has(id)) return `Company with ID ${id} is not found`
        target[key] = id
        if (key === 'contactId' && entityTypeId === ENTITY.deal) target.contactIds = id ? [id] : []
        break
      }
      case 'opportunity': {
        const n = value === null || value === '' ? 0 : Number(value)
        if (Number.isNaN(n)) return 'Field "opportunity" must be a number'
        target.opportunity = n
        break
      }
      case 'categoryId':
        if (!isNew) break // immutable after create
        target.categoryId = int(value)
        break
      case 'fm': {
        if (!Array.isArray(value)) return 'Field "fm" must be an array'
        const list = (Array.isArray(target.fm) ? target.fm : []) as Record<string, unknown>[]
        let next = 90_000 + list.length
        for (const v of value as Record<string, unknown>[]) list.push({ id: next++, typeId: v.typeId, valueType: v.valueType ?? 'WORK', value: v.value })
        target.fm = list
        break
      }
      case 'begindate':
      case 'closedate':
        if (value === null || value === '') target[key] = null
        else if (Number.isNaN(Date.parse(String(value)))) return `Field "${key}" must be a date`
        else target[key] = portalDate(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? `${String(value)}T00:00:00Z` : String(value)))
        break
      default:
        if (key.startsWith('parentId')) {
          const id = value === null || value === '' ? 0 : int(value)
          const parentType = Number(key.slice('parentId'.length))
          if (id && !db.table(parentType).has(id)) return `Parent element ${id} is not found`
          target[key] = id
        } else target[key] = value
    }
  }
  if (entityTypeId === ENTITY.deal) {
    const category = int(target.categoryId ?? 0) || 0
    if (!db.categories.some((x) => x.id === category && x.entityTypeId === 2)) return `Pipeline ${category} not found`
    const entityId = category === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${category}`
    const stages = db.stagesOf(entityId)
    if (target.stageId == null || target.stageId === '') target.stageId = stages[0]!.STATUS_ID
    const stage = stages.find((s) => s.STATUS_ID === target.stageId)
    if (!stage) return `Stage "${String(target.stageId)}" does not belong to pipeline ${category}`
    target.categoryId = category
    target.stageSemanticId = semanticLetter(stage)
    target.closed = stage.SEMANTICS ? 'Y' : 'N'
  }
  if (entityTypeId === ENTITY.lead) {
    if (target.stageId == null || target.stageId === '') target.stageId = 'NEW'
    const stage = db.leadStatus(String(target.stageId))
    if (!stage) return `Status "${String(target.stageId)}" not found`
    target.stageSemanticId = semanticLetter(stage)
  }
  return null
}

function checkUf(uf: UserField, value: unknown): string | null {
  if (value === null || value === '') return null
  const values = Array.isArray(value) ? value : [value]
  if (uf.multiple === 'N' && values.length > 1) return `Field "${uf.fieldName}" takes one value`
  for (const v of values) {
    switch (uf.userTypeId as UserFieldType) {
      case 'enumeration':
        if (!uf.enum.some((e) => String(e.id) === String(v))) return `Field "${uf.fieldName}": value "${String(v)}" is not in the list`
        break
      case 'double':
      case 'integer':
        if (Number.isNaN(Number(v))) return `Field "${uf.fieldName}" must be a number`
        break
      case 'money':
        if (!/^-?\d+(\.\d+)?\|[A-Z]{3}$/.test(String(v))) return `Field "${uf.fieldName}" must look like "300|RUB"`
        break
      case 'date':
      case 'datetime':
        if (Number.isNaN(Date.parse(String(v)))) return `Field "${uf.fieldName}" must be a date`
        break
      default:
    }
  }
  return null
}

function normaliseUf(uf: UserField, value: unknown): unknown {
  if (value === null || value === '') return uf.multiple === 'Y' ? [] : null
  const one = (v: unknown) => {
    switch (uf.userTypeId) {
      case 'enumeration':
      case 'integer':
        return Number(v)
      case 'double':
        return Number(v)
      case 'boolean':
        return yes(v) ? 1 : 0
      case 'date':
        return portalDate(Date.parse(String(v))).slice(0, 10) === String(v).slice(0, 10) ? `${String(v).slice(0, 10)}T03:00:00+03:00` : portalDate(Date.parse(String(v)))
      case 'datetime':
        return portalDate(Date.parse(String(v)))
      default:
        return String(v)
    }
  }
  return uf.multiple === 'Y' ? (Array.isArray(value) ? value : [value]).map(one) : one(Array.isArray(value) ? value[0] : value)
}

function addItem(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const { db } = c
  const entityTypeId = int(p.entityTypeId)
  if (!db.isKnownEntityType(entityTypeId)) return fail(400, 'NOT_FOUND', 'Smart process not found')
  const fields = (p.fields && typeof p.fields === 'object' ? p.fields : {}) as Fields
  const now = c.now()
  const draft: Fields = {}
  const err = applyFields(c, entityTypeId, draft, fields, true)
  if (err) return fail(400, 'INVALID_ARG_VALUE', err, 0.02)
  const stamp = portalDate(now)
  const base: Fields = {
    assignedById: c.userId, createdBy: c.userId, updatedBy: c.userId, createdTime: stamp, updatedTime: stamp, opened: 'Y',
    utmSource: null, utmMedium: null, utmCampaign: null, utmContent: null, utmTerm: null,
  }
  if (entityTypeId === ENTITY.deal) {
    Object.assign(base, {
      title: null, opportunity: 0, currencyId: 'RUB', isManualOpportunity: 'N', taxValue: 0, probability: null, typeId: 'SALE',
      movedTime: stamp, begindate: stamp.slice(0, 10) + 'T03:00:00+03:00', closedate: portalDate(now + 7 * 86_400_000),
      contactId: null, contactIds: [], companyId: 0, leadId: null, sourceId: null, sourceDescription: null, observers: [],
    })
  } else if (entityTypeId === ENTITY.lead) {
    Object.assign(base, { title: null, opportunity: 0, currencyId: 'RUB', movedTime: stamp, contactId: null, companyId: 0, sourceId: null, fm: [] })
  } else if (entityTypeId === ENTITY.contact) {
    Object.assign(base, { name: null, lastName: null, secondName: null, companyId: 0, fm: [] })
  } else if (entityTypeId === ENTITY.company) {
    Object.assign(base, { title: null, fm: [] })
  } else {
    Object.assign(base, { title: null, begindate: null, closedate: null, opportunity: 0, currencyId: 'RUB' })
  }
  const item = db.insert(entityTypeId, { ...base, ...draft })
  if (entityTypeId === ENTITY.deal) {
    if (!item.title) item.title = `Сделка #${item.id}`
    if (item.closed === 'Y') item.closedate = stamp
  }
  if (entityTypeId === ENTITY.lead && !item.title) item.title = `Лид #${item.id}`
  return ok({ item: present(db, entityTypeId, item, ['*'], yes(p.useOriginalUfNames)) }, 0.05)
}

function updateItem(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const { db } = c
  const entityTypeId = int(p.entityTypeId)
  if (!db.isKnownEntityType(entityTypeId)) return fail(400, 'NOT_FOUND', 'Smart process not found')
  const item = db.table(entityTypeId).get(int(p.id))
  if (!item) return fail(400, 'NOT_FOUND', 'Element not found', 0.005)
  const fields = (p.fields && typeof p.fields === 'object' ? p.fields : {}) as Fields
  const draft: Fields = { ...item }
  const err = applyFields(c, entityTypeId, draft, fields, false)
  if (err) return fail(400, 'INVALID_ARG_VALUE', err, 0.02)
  const stamp = portalDate(c.now())
  if (draft.stageId !== item.stageId) {
    draft.movedTime = stamp
    if (entityTypeId === ENTITY.deal && draft.closed === 'Y') draft.closedate = stamp
    if (entityTypeId === ENTITY.lead) draft.dateClosed = draft.stageSemanticId === 'P' ? null : stamp
  }
  Object.assign(item, draft, { updatedTime: stamp, updatedBy: c.userId })
  return ok({ item: present(db, entityTypeId, item, ['*'], yes(p.useOriginalUfNames)) }, 0.04)
}

function deleteItem(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const entityTypeId = int(p.entityTypeId)
  if (!c.db.isKnownEntityType(entityTypeId)) return fail(400, 'NOT_FOUND', 'Smart process not found')
  if (!c.db.remove(entityTypeId, int(p.id))) return fail(400, 'NOT_FOUND', 'Element not found', 0.005)
  return ok([], 0.03) // PHP's empty array for "nothing to say"
}

function itemFields(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const entityTypeId = int(p.entityTypeId)
  if (!c.db.isKnownEntityType(entityTypeId)) return fail(400, 'NOT_FOUND', 'Smart process not found')
  const out: Record<string, unknown> = {}
  for (const [name, type] of Object.entries(standardOf(c.db, entityTypeId))) {
    out[name] = { type, isRequired: false, isReadOnly: READ_ONLY.has(name), isImmutable: name === 'categoryId', isMultiple: name === 'contactIds' || name === 'fm' || name === 'observers', isDynamic: false, title: name, upperName: name.replace(/([A-Z])/g, '_$1').toUpperCase() }
  }
  const original = yes(p.useOriginalUfNames)
  for (const f of c.db.fieldsOf(entityTypeId)) {
    out[original ? f.fieldName : ufCamel(f.fieldName)] = {
      type: f.userTypeId, isRequired: f.mandatory === 'Y', isReadOnly: false, isImmutable: false, isMultiple: f.multiple === 'Y', isDynamic: true,
      title: f.title, upperName: f.fieldName,
      ...(f.userTypeId === 'enumeration' ? { items: f.enum.map((e) => ({ ID: e.id, VALUE: e.value })) } : {}),
    }
  }
  return ok({ fields: out }, 0.01)
}

function statusList(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const known = ['ID', 'ENTITY_ID', 'STATUS_ID', 'NAME', 'SORT', 'SYSTEM', 'CATEGORY_ID', 'SEMANTICS']
  try {
    const rows = sortRows(c.db.statuses.filter((r) => matches(r as unknown as Row, compileFilter(p.filter, known))) as unknown as Row[], p.order ?? { SORT: 'ASC' }, known)
    // Legacy dictionary: ids, sort and category come back as strings.
    const out = rows.map((r) => ({ ...r, ID: String(r.ID), SORT: String(r.SORT), CATEGORY_ID: r.CATEGORY_ID === null ? null : String(r.CATEGORY_ID) }))
    return ok(out, 0.005, { total: out.length })
  } catch (e) {
    if (e instanceof FilterError) return fail(400, 'INVALID_ARG_VALUE', e.message)
    throw e
  }
}

function categoryList(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const entityTypeId = int(p.entityTypeId)
  if (!c.db.isKnownEntityType(entityTypeId)) return fail(400, 'NOT_FOUND', 'Entity type not found')
  const rows = c.db.categories.filter((x) => x.entityTypeId === entityTypeId).sort((a, b) => a.sort - b.sort)
  return ok({ categories: rows }, 0.005, { total: rows.length })
}

function userGet(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const start = Math.max(0, int(p.start) || 0)
  const filter = (p.filter && typeof p.filter === 'object' ? p.filter : {}) as Record<string, unknown>
  let rows = c.db.users as unknown as Row[]
  if (filter.ID !== undefined) rows = rows.filter((u) => (Array.isArray(filter.ID) ? filter.ID.map(String) : [String(filter.ID)]).includes(String(u.ID)))
  const page = rows.slice(start, start + PAGE)
  return ok(page, 0.005, start + PAGE < rows.length ? { total: rows.length, next: start + PAGE } : { total: rows.length })
}

function typeList(c: MethodContext): MethodResult {
  return ok({ types: c.db.types }, 0.005, { total: c.db.types.length })
}

function typeAdd(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const f = (p.fields ?? {}) as Record<string, unknown>
  if (!f.title || typeof f.title !== 'string') return fail(400, 'INVALID_ARG_VALUE', 'Field "title" is required')
  let entityTypeId: number
  if (f.entityTypeId !== undefined) {
    entityTypeId = int(f.entityTypeId)
    const allowed = (entityTypeId >= 128 && entityTypeId <= 192) || (entityTypeId >= 1030 && entityTypeId % 2 === 0)
    if (!allowed) return fail(400, 'INVALID_ARG_VALUE', 'entityTypeId is out of allowed range')
    if (c.db.types.some((t) => t.entityTypeId === entityTypeId)) return fail(400, 'INVALID_ARG_VALUE', 'entityTypeId is already in use')
  } else {
    entityTypeId = c.db.nextEntityTypeId
    c.db.nextEntityTypeId += 2
  }
  const rel = (f.relations ?? {}) as { parent?: { entityTypeId: unknown }[]; child?: { entityTypeId: unknown }[] }
  const type: SpaType = {
    id: c.db.nextTypeId++,
    entityTypeId,
    title: f.title,
    code: typeof f.code === 'string' ? f.code : null,
    isBeginCloseDatesEnabled: yes(f.isBeginCloseDatesEnabled) ? 'Y' : 'N',
    isClientEnabled: yes(f.isClientEnabled) ? 'Y' : 'N',
    isStagesEnabled: yes(f.isStagesEnabled) ? 'Y' : 'N',
    isCategoriesEnabled: yes(f.isCategoriesEnabled) ? 'Y' : 'N',
    relations: {
      parent: (rel.parent ?? []).map((x) => ({ entityTypeId: int(x.entityTypeId) })),
      child: (rel.child ?? []).map((x) => ({ entityTypeId: int(x.entityTypeId) })),
    },
    createdTime: portalDate(c.now()),
  }
  c.db.types.push(type)
  return ok({ type }, 0.2)
}

function userFieldConfigList(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const filter = (p.filter ?? {}) as Record<string, unknown>
  const rows = c.db.userFields.filter((f) => filter.entityId === undefined || f.entityId === filter.entityId)
  return ok({ fields: rows.map(toFieldConfig) }, 0.005, { total: rows.length })
}

const toFieldConfig = (f: UserField) => ({
  id: f.id, entityId: f.entityId, fieldName: f.fieldName, userTypeId: f.userTypeId, multiple: f.multiple, mandatory: f.mandatory,
  editFormLabel: { ru: f.title, en: f.title }, enum: f.enum,
})

const USER_TYPES = new Set(['string', 'double', 'integer', 'boolean', 'date', 'datetime', 'enumeration', 'money', 'url'])

function addUserField(c: MethodContext, entityId: string, raw: Record<string, unknown>): MethodResult {
  const name = String(raw.fieldName ?? raw.FIELD_NAME ?? '')
  const type = String(raw.userTypeId ?? raw.USER_TYPE_ID ?? '')
  const fieldName = name.startsWith('UF_CRM_') ? name : `UF_CRM_${name}`
  if (!/^UF_CRM_[A-Z0-9_]+$/.test(fieldName) || fieldName.length > 50) return fail(400, 'ERROR_FIELD_NAME', 'Invalid field name')
  if (!USER_TYPES.has(type)) return fail(400, 'ERROR_USER_TYPE', `Unknown user type "${type}"`)
  if (c.db.userFields.some((f) => f.entityId === entityId && f.fieldName === fieldName)) return fail(400, 'ERROR_FIELD_EXISTS', `Field ${fieldName} already exists`)
  const label = (raw.editFormLabel ?? raw.EDIT_FORM_LABEL) as Record<string, string> | string | undefined
  const field: UserField = {
    id: c.db.nextUserFieldId++, entityId, fieldName, userTypeId: type as UserFieldType,
    title: typeof label === 'string' ? label : label?.ru ?? label?.en ?? fieldName,
    multiple: yes(raw.multiple ?? raw.MULTIPLE) ? 'Y' : 'N', mandatory: 'N', enum: [],
  }
  c.db.userFields.push(field)
  return ok(field.id, 0.1)
}

function userFieldConfigAdd(c: MethodContext, p: Record<string, unknown>): MethodResult {
  const field = (p.field ?? {}) as Record<string, unknown>
  const entityId = String(field.entityId ?? '')
  if (!/^CRM_\d+$/.test(entityId) || !c.db.types.some((t) => `CRM_${t.id}` === entityId)) return fail(400, 'ERROR_ENTITY_ID', `Unknown entityId "${entityId}"`)
  const r = addUserField(c, entityId, field)
  if (!r.ok) return r
  return ok({ field: toFieldConfig(c.db.userFields.find((f) => f.id === r.result)!) }, r.cost)
}

// ---- deprecated per-entity methods, enough for peer libraries ------------------------------

const LEGACY: Record<string, string> = {
  id: 'ID', title: 'TITLE', stageId: 'STAGE_ID', categoryId: 'CATEGORY_ID', stageSemanticId: 'STAGE_SEMANTIC_ID', closed: 'CLOSED',
  opportunity: 'OPPORTUNITY', currencyId: 'CURRENCY_ID', assignedById: 'ASSIGNED_BY_ID', createdBy: 'CREATED_BY_ID',
  updatedBy: 'MODIFY_BY_ID', createdTime: 'DATE_CREATE', updatedTime: 'DATE_MODIFY', movedTime: 'MOVED_TIME', begindate: 'BEGINDATE',
  closedate: 'CLOSEDATE', contactId: 'CONTACT_ID', companyId: 'COMPANY_ID', leadId: 'LEAD_ID', sourceId: 'SOURCE_ID',
  sourceDescription: 'SOURCE_DESCRIPTION', utmSource: 'UTM_SOURCE', utmMedium: 'UTM_MEDIUM', utmCampaign: 'UTM_CAMPAIGN',
  utmContent: 'UTM_CONTENT', utmTerm: 'UTM_TERM', name: 'NAME', lastName: 'LAST_NAME', opened: 'OPENED', typeId: 'TYPE_ID',
  isManualOpportunity: 'IS_MANUAL_OPPORTUNITY', dateClosed: 'DATE_CLOSED', probability: 'PROBABILITY', taxValue: 'TAX_VALUE',
}

function legacyRow(entityTypeId: number, item: Item): Row {
  const out: Row = {}
  for (const [k, v] of Object.entries(item)) {
    const name = LEGACY[k] ?? (k.startsWith('UF_') ? k : null)
    if (!name) continue
    // Legacy answers: ids and money as strings, "Y"/"N", "" or null for empty.
    out[entityTypeId === ENTITY.lead && name === 'STAGE_ID' ? 'STATUS_ID' : entityTypeId === ENTITY.lead && name === 'STAGE_SEMANTIC_ID' ? 'STATUS_SEMANTIC_ID' : name] =
      v === null || v === undefined ? null : typeof v === 'number' ? (name === 'OPPORTUNITY' || name === 'TAX_VALUE' ? v.toFixed(2) : String(v)) : Array.isArray(v) ? v : v
  }
  return out
}

function legacyList(c: MethodContext, entityTypeId: number, method: string, p: Record<string, unknown>): MethodResult {
  const rows = [...c.db.table(entityTypeId).values()].map((i) => legacyRow(entityTypeId, i))
  const known = rows[0] ? Object.keys(rows[0]) : Object.values(LEGACY)
  try {
    const conditions = compileFilter(p.filter, known)
    const sorted = sortRows(rows.filter((r) => matches(r, conditions)), p.order && typeof p.order === 'object' && Object.keys(p.order).length ? p.order : { ID: 'ASC' }, known)
    const select = Array.isArray(p.select) ? p.select.map(String) : []
    const pick = (r: Row): Row => {
      if (!select.length || select.includes('*')) return r
      return Object.fromEntries(Object.entries(r).filter(([k]) => k === 'ID' || select.includes(k) || (k.startsWith('UF_') && select.includes('UF_*'))))
    }
    const start = p.start === undefined || p.start === '' ? 0 : int(p.start)
    if (start === -1) {
      const page = sorted.slice(0, PAGE)
      return ok(page.map(pick), 0.005 + 0.002 * page.length, { total: 0 })
    }
    const offset = Number.isNaN(start) || start < 0 ? 0 : start
    const page = sorted.slice(offset, offset + PAGE)
    const cost = 0.005 + 0.002 * page.length + 0.00002 * rows.length + 0.00001 * offset
    void method
    return ok(page.map(pick), cost, offset + PAGE < sorted.length ? { total: sorted.length, next: offset + PAGE } : { total: sorted.length })
  } catch (e) {
    if (e instanceof FilterError) return fail(400, '', e.message)
    throw e
  }
}

function legacyGet(c: MethodContext, entityTypeId: number, p: Record<string, unknown>): MethodResult {
  const item = c.db.table(entityTypeId).get(int(p.id ?? p.ID))
  // Legacy "not found" has an empty error code (research §2.1).
  if (!item) return fail(400, '', 'Not found', 0.005)
  return ok(legacyRow(entityTypeId, item), 0.01)
}

// Widget placements (research bitrix24.md §8.2): codes we emulate; binding needs app context.
const PLACEMENTS = new Set([
  'LEFT_MENU', 'CRM_ANALYTICS_MENU', 'CALENDAR_GRIDVIEW', 'DEFAULT',
  ...['LEAD', 'DEAL', 'CONTACT', 'COMPANY', 'QUOTE', 'SMART_INVOICE'].flatMap((e) => [`CRM_${e}_DETAIL_TAB`, `CRM_${e}_LIST_MENU`, `CRM_${e}_DETAIL_TOOLBAR`]),
])
const wrongAuth = () => fail(401, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method')
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v))
const param = (p: Record<string, unknown>, name: string) => p[name] ?? p[name.toLowerCase()]

function placementBind(c: MethodContext, p: Record<string, unknown>): MethodResult {
  if (c.auth !== 'oauth') return wrongAuth()
  if (c.userId !== 1) return fail(403, 'ACCESS_DENIED', 'Access denied! Admin permissions required')
  const placement = str(param(p, 'PLACEMENT')).toUpperCase()
  const handler = str(param(p, 'HANDLER'))
  if (!placement) return fail(400, 'ERROR_ARGUMENT', 'Argument "PLACEMENT" is null or empty')
  if (!handler) return fail(400, 'ERROR_ARGUMENT', 'Argument "HANDLER" is null or empty')
  if (!PLACEMENTS.has(placement) && !/^CRM_DYNAMIC_\d+_DETAIL_TAB$/.test(placement)) return fail(400, 'ERROR_PLACEMENT_NOT_FOUND', 'Placement not found')
  if (c.db.app.placements.some((x) => x.placement === placement && x.handler === handler)) return fail(400, 'ERROR_CORE', 'Handler already binded')
  const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null)
  c.db.app.placements.push({
    placement, handler, title: str(param(p, 'TITLE')), description: str(param(p, 'DESCRIPTION')), groupName: str(param(p, 'GROUP_NAME')),
    langAll: obj(param(p, 'LANG_ALL')), options: obj(param(p, 'OPTIONS')),
  })
  return ok(true, 0.01)
}

function placementUnbind(c: MethodContext, p: Record<string, unknown>): MethodResult {
  if (c.auth !== 'oauth') return wrongAuth()
  const placement = str(param(p, 'PLACEMENT')).toUpperCase()
  const handler = str(param(p, 'HANDLER'))
  if (!placement) return fail(400, 'ERROR_ARGUMENT', 'Argument "PLACEMENT" is null or empty')
  const before = c.db.app.placements.length
  c.db.app.placements = c.db.app.placements.filter((x) => !(x.placement === placement && (!handler || x.handler === handler)))
  return ok({ count: before - c.db.app.placements.length }, 0.01)
}

function placementGet(c: MethodContext): MethodResult {
  if (c.auth !== 'oauth') return wrongAuth()
  return ok(
    c.db.app.placements.map((x) => ({ placement: x.placement, handler: x.handler, title: x.title, description: x.description, groupName: x.groupName, options: x.options ?? [], langAll: x.langAll ?? [] })),
    0.005,
  )
}

function userRow(c: MethodContext) {
  const u = c.db.users.find((x) => x.ID === String(c.userId))
  return u ? { ...u, ADMIN: c.userId === 1, IS_ONLINE: 'Y', TIME_ZONE: 'Europe/Moscow' } : null
}

export const METHODS: Record<string, (c: MethodContext, p: Record<string, unknown>) => MethodResult> = {
  'placement.bind': placementBind,
  'placement.unbind': placementUnbind,
  'placement.get': placementGet,
  'placement.list': (c) => (c.auth === 'oauth' ? ok([...PLACEMENTS].sort(), 0.005) : wrongAuth()),
  'app.info': (c) =>
    c.auth === 'oauth'
      ? ok({ ID: 1, CODE: 'local.crmkit', VERSION: 1, STATUS: 'L', INSTALLED: c.db.app.installed, PAYMENT_EXPIRED: 'N', DAYS: null, LICENSE: 'ru_project', LICENSE_TYPE: 'project', LICENSE_FAMILY: 'project' }, 0.002)
      : wrongAuth(),
  'user.current': (c) => {
    const u = userRow(c)
    return u ? ok(u, 0.002) : fail(401, 'NO_AUTH_FOUND', 'Wrong authorization data')
  },
  'crm.item.list': listItems,
  'crm.item.get': getItem,
  'crm.item.add': addItem,
  'crm.item.update': updateItem,
  'crm.item.delete': deleteItem,
  'crm.item.fields': itemFields,
  'crm.status.list': statusList,
  'crm.category.list': categoryList,
  'user.get': userGet,
  'crm.type.list': typeList,
  'crm.type.add': typeAdd,
  'userfieldconfig.list': userFieldConfigList,
  'userfieldconfig.add': userFieldConfigAdd,
  'crm.deal.userfield.add': (c, p) => addUserField(c, 'CRM_DEAL', (p.fields ?? {}) as Record<string, unknown>),
  'crm.lead.userfield.add': (c, p) => addUserField(c, 'CRM_LEAD', (p.fields ?? {}) as Record<string, unknown>),
  'crm.deal.userfield.list': (c) => ok(c.db.userFields.filter((f) => f.entityId === 'CRM_DEAL').map((f) => ({ ID: String(f.id), FIELD_NAME: f.fieldName, USER_TYPE_ID: f.userTypeId })), 0.005),
  'crm.lead.userfield.list': (c) => ok(c.db.userFields.filter((f) => f.entityId === 'CRM_LEAD').map((f) => ({ ID: String(f.id), FIELD_NAME: f.fieldName, USER_TYPE_ID: f.userTypeId })), 0.005),
  'crm.lead.list': (c, p) => legacyList(c, ENTITY.lead, 'crm.lead.list', p),
  'crm.deal.list': (c, p) => legacyList(c, ENTITY.deal, 'crm.deal.list', p),
  'crm.lead.get': (c, p) => legacyGet(c, ENTITY.lead, p),
  'crm.deal.get': (c, p) => legacyGet(c, ENTITY.deal, p),
  // Application settings: only the app itself (OAuth / frame token) may read or write them.
  'app.option.get': (c, p) => {
    if (c.auth !== 'oauth') return wrongAuth()
    const options = c.db.app.options ?? {}
    return ok(typeof p.option === 'string' ? (options[p.option] ?? null) : options, 0.001)
  },
  'app.option.set': (c, p) => {
    if (c.auth !== 'oauth') return wrongAuth()
    if (!p.options || typeof p.options !== 'object' || Array.isArray(p.options)) return fail(400, 'ERROR_ARGUMENT', 'options: an object is required')
    c.db.app.options = { ...c.db.app.options, ...(p.options as Record<string, unknown>) }
    return ok(true, 0.001)
  },
  'profile': (c) => ok({ ID: String(c.userId), ADMIN: c.userId === 1, NAME: c.db.users.find((u) => u.ID === String(c.userId))?.NAME ?? '' }, 0.001),
}
