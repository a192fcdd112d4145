// amoCRM list queries: PHP-style bracket parameters (`filter[id][]=1`, `filter[statuses][0][status_id]=142`,
// `filter[created_at][from]=TS`, `order[updated_at]=desc`, `query=...`) parsed and applied to rows.
// Malformed or unsupported filters are ignored rather than rejected (the real API's reaction is undocumented).
import type { FieldValue } from './db.js'

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue }
export type QueryObject = { [key: string]: QueryValue }

/** `a[b][]=1&a[b][]=2&a[c][d]=x` → `{ a: { b: ['1', '2'], c: { d: 'x' } } }`. */
export function parseBracketQuery(params: URLSearchParams | string): QueryObject {
  const root: QueryObject = {}
  const search = typeof params === 'string' ? new URLSearchParams(params) : params
  for (const [key, value] of search) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key)
    const path = m ? [m[1] as string, ...[...(m[2] as string).matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] as string)] : [key]
    assign(root, path, value)
  }
  return root
}

function assign(root: QueryObject, path: string[], value: string): void {
  let cur: QueryObject | QueryValue[] = root
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string
    const last = i === path.length - 1
    const wantsArray = path[i + 1] === ''
    if (Array.isArray(cur)) {
      // Only `[]` lands here: append a scalar, or a fresh container for deeper paths.
      if (last) return void cur.push(value)
      const fresh: QueryObject | QueryValue[] = wantsArray ? [] : {}
      cur.push(fresh)
      cur = fresh
      continue
    }
    if (last) {
      cur[seg] = value
      return
    }
    const existing: QueryValue | undefined = cur[seg]
    if (wantsArray ? Array.isArray(existing) : existing !== undefined && typeof existing === 'object' && !Array.isArray(existing)) {
      cur = existing as QueryObject | QueryValue[]
    } else {
      const fresh: QueryObject | QueryValue[] = wantsArray ? [] : {}
      cur[seg] = fresh
      cur = fresh
    }
  }
}

/** Flattens `'5'`, `['1','2']` or `{0:'1',1:'2'}` into a list of strings. */
export function asList(v: QueryValue | undefined): string[] {
  if (v === undefined) return []
  if (typeof v === 'string') return v === '' ? [] : [v]
  return (Array.isArray(v) ? v : Object.values(v)).flatMap((x) => (typeof x === 'string' ? (x === '' ? [] : [x]) : []))
}

function asInts(v: QueryValue | undefined): number[] {
  return asList(v).map(Number).filter(Number.isInteger)
}

function asObject(v: QueryValue | undefined): { [key: string]: QueryValue } | undefined {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined
}

export interface Filterable {
  id: number
  name: string
  created_at: number
  updated_at: number
  custom_fields_values: FieldValue[] | null
}

export type FilterKey =
  | 'id' | 'name' | 'price' | 'created_at' | 'updated_at' | 'closed_at' | 'created_by' | 'updated_by'
  | 'responsible_user_id' | 'pipeline_id' | 'statuses' | 'custom_fields_values'

export type OrderField = 'id' | 'created_at' | 'updated_at'

export interface ListCriteria<T> {
  /** `null` when nothing filters, so listing can slice without scanning. */
  match: ((row: T) => boolean) | null
  order: { field: OrderField; dir: 'asc' | 'desc' }
}

export interface CriteriaOptions<T> {
  /** Filters this entity understands; others are ignored. */
  supports: ReadonlySet<FilterKey>
  /** Extra text for `query=` (e.g. a lead's contacts' phones and e-mails). */
  searchExtra?: (row: T) => Iterable<string>
}

const num = (row: unknown, field: string): unknown => (row as Record<string, unknown>)[field]

export function buildCriteria<T extends Filterable>(q: QueryObject, options: CriteriaOptions<T>): ListCriteria<T> {
  const preds: ((row: T) => boolean)[] = []
  const filter = asObject(q.filter) ?? {}
  const on = (key: FilterKey): QueryValue | undefined => (options.supports.has(key) ? filter[key] : undefined)

  const ids = asInts(on('id'))
  if (ids.length > 0) {
    const set = new Set(ids)
    preds.push((row) => set.has(row.id))
  }
  const names = asList(on('name')).map((n) => n.toLowerCase())
  if (names.length > 0) {
    const set = new Set(names)
    preds.push((row) => set.has(row.name.toLowerCase()))
  }
  for (const field of ['price', 'created_at', 'updated_at', 'closed_at'] as const) {
    const pred = rangeOrExact(on(field), (row: T) => num(row, field))
    if (pred) preds.push(pred)
  }
  for (const field of ['created_by', 'updated_by', 'responsible_user_id', 'pipeline_id'] as const) {
    const values = asInts(on(field))
    if (values.length === 0) continue
    const set = new Set(values)
    preds.push((row) => set.has(num(row, field) as number))
  }
  const statuses = on('statuses')
  if (statuses !== undefined && typeof statuses === 'object') {
    const pairs = (Array.isArray(statuses) ? statuses : Object.values(statuses)).flatMap((s) => {
      const o = asObject(s)
      const pipeline = Number(o?.pipeline_id), status = Number(o?.status_id)
      return Number.isInteger(pipeline) && Number.isInteger(status) ? [[pipeline, status] as const] : []
    })
    // 142/143 exist in every pipeline, so a status only means something with its pipeline.
    if (pairs.length > 0) preds.push((row) => pairs.some(([p, s]) => num(row, 'pipeline_id') === p && num(row, 'status_id') === s))
  }
  const cfFilter = asObject(on('custom_fields_values'))
  if (cfFilter) {
    for (const [fieldId, cond] of Object.entries(cfFilter)) {
      const id = Number(fieldId)
      const values = (row: T) => row.custom_fields_values?.find((f) => f.field_id === id)?.values ?? []
      const range = asObject(cond)
      if (range && ('from' in range || 'to' in range)) {
        const from = Number(asList(range.from)[0]), to = Number(asList(range.to)[0])
        const lo = Number.isFinite(from) ? from : -Infinity, hi = Number.isFinite(to) ? to : Infinity
        preds.push((row) => values(row).some((v) => Number(v.value) >= lo && Number(v.value) <= hi))
      } else {
        const wanted = new Set(asList(cond))
        if (wanted.size > 0) preds.push((row) => values(row).some((v) => wanted.has(String(v.value)) || (v.enum_id !== undefined && wanted.has(String(v.enum_id)))))
      }
    }
  }
  const query = typeof q.query === 'string' ? q.query.trim() : ''
  if (query !== '') preds.push(textMatcher(query, options.searchExtra))

  const order = asObject(q.order)
  let field: OrderField = 'id'
  let dir: 'asc' | 'desc' = 'asc'
  for (const key of ['id', 'created_at', 'updated_at'] as const) {
    const v = order?.[key]
    if (typeof v === 'string') {
      field = key
      dir = v.toLowerCase() === 'desc' ? 'desc' : 'asc'
      break
    }
  }
  const match = preds.length === 0 ? null : preds.length === 1 ? (preds[0] as (row: T) => boolean) : (row: T) => preds.every((p) => p(row))
  return { match, order: { field, dir } }
}

/** `filter[x]=5`, `filter[x][]=5`, or `filter[x][from]=..&filter[x][to]=..` (inclusive). */
function rangeOrExact<T>(cond: QueryValue | undefined, get: (row: T) => unknown): ((row: T) => boolean) | null {
  if (cond === undefined) return null
  const range = asObject(cond)
  if (range && ('from' in range || 'to' in range)) {
    const from = Number(asList(range.from)[0]), to = Number(asList(range.to)[0])
    const hasFrom = Number.isFinite(from), hasTo = Number.isFinite(to)
    if (!hasFrom && !hasTo) return null
    return (row) => {
      const v = get(row)
      return typeof v === 'number' && (!hasFrom || v >= from) && (!hasTo || v <= to)
    }
  }
  const exact = new Set(asInts(cond))
  return exact.size > 0 ? (row) => exact.has(get(row) as number) : null
}

/** Phone search ignores formatting and the Russian 8/+7 prefix. */
function phoneDigits(s: string): string {
  const d = s.replace(/\D/g, '')
  return d.length === 11 && d.startsWith('8') ? `7${d.slice(1)}` : d
}

function textMatcher<T extends Filterable>(query: string, extra?: (row: T) => Iterable<string>): (row: T) => boolean {
  const needle = query.toLowerCase()
  const digits = /^[\d\s()+-]+$/.test(query) && query.replace(/\D/g, '').length >= 3 ? phoneDigits(query) : null
  const hit = (s: string) => s.toLowerCase().includes(needle) || (digits !== null && phoneDigits(s).includes(digits))
  return (row) => {
    if (hit(row.name)) return true
    for (const f of row.custom_fields_values ?? []) for (const v of f.values) if (hit(String(v.value))) return true
    if (extra) for (const s of extra(row)) if (hit(s)) return true
    return false
  }
}

/**
 * One page of rows. Id order walks the (already id-sorted) table and stops as soon as the page is
 * full; only created_at/updated_at orders sort, and only the matching rows.
 */
export function selectPage<T extends Filterable>(rows: readonly T[], criteria: ListCriteria<T>, offset: number, limit: number): T[] {
  const { match, order } = criteria
  if (order.field === 'id') {
    if (!match) {
      if (order.dir === 'asc') return rows.slice(offset, offset + limit)
      const end = rows.length - offset
      return end <= 0 ? [] : rows.slice(Math.max(0, end - limit), end).reverse()
    }
    const out: T[] = []
    let skipped = 0
    const asc = order.dir === 'asc'
    for (let i = asc ? 0 : rows.length - 1; asc ? i < rows.length : i >= 0; asc ? i++ : i--) {
      const row = rows[i] as T
      if (!match(row)) continue
      if (skipped < offset) skipped++
      else if (out.push(row) >= limit) break
    }
    return out
  }
  const field = order.field
  const sign = order.dir === 'asc' ? 1 : -1
  const matched = match ? rows.filter(match) : rows.slice()
  matched.sort((a, b) => (a[field] - b[field]) * sign || a.id - b.id)
  return matched.slice(offset, offset + limit)
}
