// PHP-style parameters, as Bitrix24 reads them: `filter[>ID]=10&select[]=ID&order[ID]=ASC`, in
// query strings, form bodies and the `cmd` strings of `batch`. JSON bodies arrive already nested.

export type Params = Record<string, unknown>

/** Parses `a[b][]=1&a[c]=2` into `{ a: { b: ['1'], c: '2' } }` (values stay strings, as in PHP). */
export function parsePhpQuery(search: string): Params {
  const out: Params = {}
  const text = search.startsWith('?') ? search.slice(1) : search
  if (!text) return out
  for (const part of text.split('&')) {
    if (!part) continue
    const eq = part.indexOf('=')
    const rawKey = decode(eq < 0 ? part : part.slice(0, eq))
    const value = eq < 0 ? '' : decode(part.slice(eq + 1))
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey)
    if (!m) continue
    const keys = [m[1]!, ...[...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)]
    assign(out, keys, value)
  }
  return listify(out) as Params
}

/** PHP arrays with keys 0..n-1 are lists (json_encode writes them as JSON arrays). */
function listify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(listify)
  if (node === null || typeof node !== 'object') return node
  const entries = Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, listify(v)] as const)
  if (entries.length && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v)
  return Object.fromEntries(entries)
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

function assign(target: Params | unknown[], keys: string[], value: string): void {
  let node: Record<string, unknown> | unknown[] = target
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const last = i === keys.length - 1
    if (Array.isArray(node)) {
      if (key === '') {
        if (last) node.push(value)
        else {
          const child = keys[i + 1] === '' ? [] : {}
          node.push(child)
          node = child as Record<string, unknown>
        }
        continue
      }
      // A named key under an array: PHP turns it into a map; we keep numeric keys as indexes.
      const obj: Record<string, unknown> = Object.fromEntries(node.map((v, j) => [String(j), v]))
      node.length = 0
      node = obj
    }
    const map = node as Record<string, unknown>
    if (last) {
      if (key === '') map[String(Object.keys(map).length)] = value
      else map[key] = value
      return
    }
    const nextIsList = keys[i + 1] === ''
    let child = map[key]
    if (child === undefined || typeof child !== 'object' || child === null) {
      child = nextIsList ? [] : {}
      map[key] = child
    }
    node = child as Record<string, unknown> | unknown[]
  }
}

/** Builds the PHP query string for nested params (the inverse of parsePhpQuery). */
export function buildPhpQuery(params: Params): string {
  const parts: string[] = []
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined) return
    if (Array.isArray(value)) {
      if (!value.length) return
      value.forEach((v, i) => walk(`${prefix}[${typeof v === 'object' && v !== null ? i : ''}]`, v))
    } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}[${k}]` : k, v)
    } else {
      const v = value instanceof Date ? value.toISOString() : value === null ? '' : String(value)
      parts.push(`${encodeKey(prefix)}=${encodeURIComponent(v)}`)
    }
  }
  walk('', params)
  return parts.join('&')
}

/** Keeps brackets and operator characters readable in keys (`filter[>=updatedTime]`). */
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')
}
