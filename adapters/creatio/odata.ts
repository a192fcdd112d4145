/**
 * A small builder for the OData 4 Creatio accepts (research §3.2): bare GUIDs and UTC dates,
 * doubled quotes in strings, `Lookup/Id` for lookup filters, `in` expanded into `or` chains,
 * a stable `$orderby` whenever `$top`/`$skip` page, and the 20,000-row cap.
 */

/** Creatio never returns more than this many rows in one response (MaxEntityRowCount). */
export const MAX_ROWS = 20_000
/** How many values go into one `(a eq x or a eq y …)` chain; longer lists are split into chunks. */
export const IN_CHUNK = 50
export const ZERO_GUID = '00000000-0000-0000-0000-000000000000'
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isGuid(value: string): boolean {
  return GUID.test(value)
}

/** A literal in Creatio's OData 4 syntax. GUIDs and dates are bare; strings single-quoted, `'` doubled. */
export type Literal = { guid: string } | { date: Date } | string | number | boolean | null

export function literal(v: Literal): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`OData cannot express ${v}`)
    return String(v)
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if ('guid' in v) {
    if (!isGuid(v.guid)) throw new RangeError(`not a GUID: ${JSON.stringify(v.guid)}`)
    return v.guid.toLowerCase()
  }
  if (Number.isNaN(v.date.getTime())) throw new RangeError('invalid date')
  // Whole seconds print without fractions, as Creatio's own examples do; UTC with Z always.
  return v.date.toISOString().replace('.000Z', 'Z')
}

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'

/** `Field op literal`. Pass `lookup: true` for a lookup column to filter on `Field/Id` (research §3.2). */
export function cmp(field: string, op: CompareOp, value: Literal, o: { lookup?: boolean } = {}): string {
  return `${o.lookup ? `${field}/Id` : field} ${op} ${literal(value)}`
}

export const and = (...parts: (string | null | undefined)[]): string | null => {
  const p = parts.filter((x): x is string => !!x)
  return p.length === 0 ? null : p.length === 1 ? p[0]! : p.map(wrap).join(' and ')
}
export const or = (...parts: (string | null | undefined)[]): string | null => {
  const p = parts.filter((x): x is string => !!x)
  return p.length === 0 ? null : p.length === 1 ? p[0]! : `(${p.join(' or ')})`
}
function wrap(s: string): string {
  return /\s(or|and)\s/.test(s) && !(s.startsWith('(') && balanced(s.slice(1, -1))) ? `(${s})` : s
}
function balanced(s: string): boolean {
  let depth = 0
  let quoted = false
  for (const ch of s) {
    if (ch === "'") quoted = !quoted
    else if (!quoted && ch === '(') depth++
    else if (!quoted && ch === ')' && --depth < 0) return false
  }
  return depth === 0
}

/**
 * `field in (values)` for an OData server without `in`: one `or` chain per chunk of `chunk` values.
 * Returns one filter per chunk; the caller runs one query per chunk and concatenates.
 */
export function inChunks(field: string, values: Literal[], o: { lookup?: boolean; chunk?: number } = {}): string[] {
  const size = o.chunk ?? IN_CHUNK
  const out: string[] = []
  for (let i = 0; i < values.length; i += size) {
    out.push(or(...values.slice(i, i + size).map((v) => cmp(field, 'eq', v, o)))!)
  }
  return out
}

/** `contains(Field,'text')`, quotes doubled. */
export function contains(field: string, text: string): string {
  return `contains(${field},${literal(text)})`
}

export interface ODataQuery {
  select?: string[]
  filter?: string | null
  /** E.g. `['CreatedOn desc']`. `Id` is appended when missing so paging is stable. */
  orderby?: string[]
  top?: number
  skip?: number
  expand?: string[]
  count?: boolean
}

const enc = (s: string) => encodeURIComponent(s).replace(/%2C/g, ',').replace(/%2F/g, '/').replace(/%24/g, '$')

/**
 * The query string. Paging (`top`/`skip`) without a total order is unstable in SQL Server, so an
 * order ending in `Id` is forced whenever a page is asked for; `top` is capped at 20,000.
 */
export function buildQuery(q: ODataQuery): string {
  const p: string[] = []
  if (q.select?.length) p.push(`$select=${enc(q.select.join(','))}`)
  if (q.expand?.length) p.push(`$expand=${enc(q.expand.join(','))}`)
  if (q.filter) p.push(`$filter=${enc(q.filter)}`)
  const paging = q.top !== undefined || q.skip !== undefined
  let order = q.orderby ?? []
  if (paging && !order.some((o) => /^Id(\s|$)/.test(o))) order = [...order, 'Id']
  if (order.length) p.push(`$orderby=${enc(order.join(','))}`)
  if (q.top !== undefined) {
    if (!Number.isInteger(q.top) || q.top < 0) throw new RangeError('$top must be a non-negative integer')
    p.push(`$top=${Math.min(q.top, MAX_ROWS)}`)
  }
  if (q.skip) p.push(`$skip=${q.skip}`)
  if (q.count) p.push('$count=true')
  return p.join('&')
}

/** The count-only query Creatio documents for totals above the row cap: `$count=true&$top=0`. */
export function countQuery(filter?: string | null): string {
  return buildQuery({ ...(filter ? { filter } : {}), count: true, top: 0 })
}

/** `Entity(guid)`, the key form Creatio uses in URLs and Location headers. */
export function keyPath(entity: string, id: string): string {
  return `${entity}(${literal({ guid: id })})`
}
