// The filter language of `crm.item.list` and the legacy `*.list` methods (research §3): a key is
// an optional operator prefix plus a field name; values compare as numbers, dates or strings.

export type Row = Record<string, unknown>

const OPERATORS = ['!=%', '!%=', '>=', '<=', '!=', '!@', '=%', '%=', '!%', '>', '<', '=', '!', '@', '%'] as const
export type Operator = (typeof OPERATORS)[number] | ''

export interface Condition {
  op: Operator
  field: string
  value: unknown
}

export class FilterError extends Error {}

export function parseFilterKey(key: string): { op: Operator; field: string } {
  for (const op of OPERATORS) if (key.startsWith(op)) return { op, field: key.slice(op.length) }
  return { op: '', field: key }
}

/** Finds a row's key case-insensitively (`ID` and `id`, `STAGE_ID` and `stageId`). */
export function resolveField(sample: Row | undefined, field: string, known: readonly string[]): string | null {
  const norm = (s: string) => s.replace(/_/g, '').toLowerCase()
  const target = norm(field)
  for (const k of known) if (norm(k) === target) return k
  if (sample) for (const k of Object.keys(sample)) if (norm(k) === target) return k
  return null
}

export function compileFilter(filter: unknown, known: readonly string[]): Condition[] {
  if (filter == null || filter === '' || (Array.isArray(filter) && filter.length === 0)) return []
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new FilterError('filter must be an object')
  const out: Condition[] = []
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key === 'logic') continue
    const { op, field } = parseFilterKey(key)
    const resolved = resolveField(undefined, field, known)
    if (!resolved) throw new FilterError(`Unknown field "${field}" in filter`)
    out.push({ op, field: resolved, value })
  }
  return out
}

const DATEISH = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?/

function scalar(v: unknown): number | string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 'Y' : 'N'
  return String(v)
}

function compare(a: unknown, b: unknown): number | null {
  const x = scalar(a)
  const y = scalar(b)
  if (x === null || y === null) return null
  const nx = typeof x === 'number' ? x : /^-?\d+(\.\d+)?$/.test(x) ? Number(x) : NaN
  const ny = typeof y === 'number' ? y : /^-?\d+(\.\d+)?$/.test(y) ? Number(y) : NaN
  if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny
  if (typeof x === 'string' && typeof y === 'string' && DATEISH.test(x) && DATEISH.test(y)) {
    const dx = Date.parse(x.includes('T') || x.includes(' ') ? x.replace(' ', 'T') : `${x}T00:00:00`)
    const dy = Date.parse(y.includes('T') || y.includes(' ') ? y.replace(' ', 'T') : `${y}T00:00:00`)
    if (!Number.isNaN(dx) && !Number.isNaN(dy)) return dx - dy
  }
  if (typeof x === 'number' || typeof y === 'number') return null
  return x.localeCompare(y)
}

function equals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return a.some((v) => equals(v, b))
  const c = compare(a, b)
  if (c !== null) return c === 0
  return (a ?? '') === (b ?? '') || (scalar(a) ?? '') === (scalar(b) ?? '')
}

function like(a: unknown, needle: unknown, mode: 'contains' | 'pattern'): boolean {
  const hay = String(scalar(a) ?? '').toLowerCase()
  const n = String(scalar(needle) ?? '').toLowerCase()
  if (mode === 'contains') return hay.includes(n)
  const re = new RegExp(`^${n.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return re.test(hay)
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [v])

export function matches(row: Row, conditions: Condition[]): boolean {
  for (const { op, field, value } of conditions) {
    const actual = row[field]
    let ok: boolean
    switch (op) {
      case '':
      case '=':
        ok = Array.isArray(value) ? asList(value).some((v) => equals(actual, v)) : equals(actual, value)
        break
      case '!':
      case '!=':
        ok = Array.isArray(value) ? !asList(value).some((v) => equals(actual, v)) : !equals(actual, value)
        break
      case '@':
        ok = asList(value).some((v) => equals(actual, v))
        break
      case '!@':
        ok = !asList(value).some((v) => equals(actual, v))
        break
      case '>': { const c = compare(actual, value); ok = c !== null && c > 0; break }
      case '>=': { const c = compare(actual, value); ok = c !== null && c >= 0; break }
      case '<': { const c = compare(actual, value); ok = c !== null && c < 0; break }
      case '<=': { const c = compare(actual, value); ok = c !== null && c <= 0; break }
      case '%':
        ok = like(actual, value, 'contains')
        break
      case '=%':
      case '%=':
        ok = like(actual, value, 'pattern')
        break
      default: // '!%', '!=%', '!%='
        ok = !like(actual, value, op === '!%' ? 'contains' : 'pattern')
    }
    if (!ok) return false
  }
  return true
}

export function sortRows(rows: Row[], order: unknown, known: readonly string[]): Row[] {
  if (!order || typeof order !== 'object' || Array.isArray(order)) return rows
  const keys = Object.entries(order as Record<string, unknown>).map(([k, dir]) => {
    const field = resolveField(rows[0], k, known)
    if (!field) throw new FilterError(`Unknown field "${k}" in order`)
    return { field, desc: String(dir).toUpperCase() === 'DESC' }
  })
  if (!keys.length) return rows
  return [...rows].sort((a, b) => {
    for (const { field, desc } of keys) {
      const c = compare(a[field], b[field]) ?? 0
      if (c !== 0) return desc ? -c : c
    }
    return 0
  })
}
