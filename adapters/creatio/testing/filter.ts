// An OData 4 `$filter` parser and evaluator for the operators crmkit emits (and a few more), with
// Creatio's reported strictness: quoted dates and quoted GUIDs are type errors (400), and a lookup
// compared through its scalar FK column (`OwnerId eq <guid>`) fails with a 500 (research §3.2).
import { ZERO_GUID, type EntitySchema, type SiteSchema } from './schema.js'

export class ODataError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly inner?: string,
  ) {
    super(message)
  }
}

type Tok = { k: 'str' | 'guid' | 'date' | 'num' | 'id' | 'op'; v: string }
export type Node =
  | { t: 'lit'; v: unknown; type: 'String' | 'Guid' | 'DateTimeOffset' | 'Number' | 'Boolean' | 'Null' }
  | { t: 'path'; parts: string[] }
  | { t: 'cmp'; op: string; l: Node; r: Node }
  | { t: 'and' | 'or'; l: Node; r: Node }
  | { t: 'not'; e: Node }
  | { t: 'fn'; name: string; args: Node[] }

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/
const DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?/

function tokenize(src: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < src.length) {
    const ch = src[i]!
    if (/\s/.test(ch)) {
      i++
      continue
    }
    if ('(),/'.includes(ch)) {
      out.push({ k: 'op', v: ch })
      i++
      continue
    }
    if (ch === "'") {
      let v = ''
      i++
      for (;;) {
        if (i >= src.length) throw new ODataError(400, 'Syntax error: unterminated string literal in $filter')
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'"
            i += 2
            continue
          }
          i++
          break
        }
        v += src[i++]
      }
      out.push({ k: 'str', v })
      continue
    }
    const rest = src.slice(i)
    const g = GUID_RE.exec(rest)
    if (g) {
      out.push({ k: 'guid', v: g[0].toLowerCase() })
      i += g[0].length
      continue
    }
    const dt = DATE_RE.exec(rest)
    if (dt && dt[0].length > 4) {
      out.push({ k: 'date', v: dt[0] })
      i += dt[0].length
      continue
    }
    const n = /^-?\d+(\.\d+)?/.exec(rest)
    if (n) {
      out.push({ k: 'num', v: n[0] })
      i += n[0].length
      continue
    }
    const id = /^[A-Za-z_$][\w$]*/.exec(rest)
    if (id) {
      out.push({ k: 'id', v: id[0] })
      i += id[0].length
      continue
    }
    throw new ODataError(400, `Syntax error at position ${i} in $filter`)
  }
  return out
}

const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])
const FNS = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper'])

export function parseFilter(src: string): Node {
  const toks = tokenize(src)
  let p = 0
  const peek = () => toks[p]
  const eat = (v?: string) => {
    const t = toks[p]
    if (!t || (v !== undefined && t.v !== v)) throw new ODataError(400, `Syntax error in $filter: expected ${v ?? 'a token'} at token ${p}`)
    p++
    return t
  }
  const orExpr = (): Node => {
    let l = andExpr()
    while (peek()?.k === 'id' && peek()!.v === 'or') {
      p++
      l = { t: 'or', l, r: andExpr() }
    }
    return l
  }
  const andExpr = (): Node => {
    let l = unary()
    while (peek()?.k === 'id' && peek()!.v === 'and') {
      p++
      l = { t: 'and', l, r: unary() }
    }
    return l
  }
  const unary = (): Node => {
    if (peek()?.k === 'id' && peek()!.v === 'not') {
      p++
      return { t: 'not', e: unary() }
    }
    const l = operand()
    const op = peek()
    if (op?.k === 'id' && CMP.has(op.v)) {
      p++
      return { t: 'cmp', op: op.v, l, r: operand() }
    }
    return l
  }
  const operand = (): Node => {
    const tk = eat()
    if (tk.k === 'op' && tk.v === '(') {
      const e = orExpr()
      eat(')')
      return e
    }
    if (tk.k === 'str') return { t: 'lit', v: tk.v, type: 'String' }
    if (tk.k === 'guid') return { t: 'lit', v: tk.v, type: 'Guid' }
    if (tk.k === 'date') return { t: 'lit', v: Date.parse(tk.v), type: 'DateTimeOffset' }
    if (tk.k === 'num') return { t: 'lit', v: Number(tk.v), type: 'Number' }
    if (tk.k === 'id') {
      if (tk.v === 'true' || tk.v === 'false') return { t: 'lit', v: tk.v === 'true', type: 'Boolean' }
      if (tk.v === 'null') return { t: 'lit', v: null, type: 'Null' }
      if (FNS.has(tk.v) && peek()?.v === '(') {
        eat('(')
        const args = [orExpr()]
        while (peek()?.v === ',') {
          p++
          args.push(orExpr())
        }
        eat(')')
        return { t: 'fn', name: tk.v, args }
      }
      const parts = [tk.v]
      while (peek()?.v === '/') {
        p++
        parts.push(eat().v)
      }
      return { t: 'path', parts }
    }
    throw new ODataError(400, `Syntax error in $filter near "${tk.v}"`)
  }
  const node = orExpr()
  if (p !== toks.length) throw new ODataError(400, `Syntax error in $filter: unexpected "${toks[p]!.v}"`)
  return node
}

export type Row = Record<string, unknown>
export interface EvalEnv {
  schema: SiteSchema
  entity: string
  /** Row of `entity` by id, to follow navigation paths. */
  find(entity: string, id: string): Row | undefined
}

type Typed = { v: unknown; type: string }

/** Compiles a parsed filter into a row predicate, checking types against the schema first. */
export function compileFilter(node: Node, env: EvalEnv): (row: Row) => boolean {
  const typeOfPath = (parts: string[]): { type: string; lookupScalar: boolean } => {
    let entity: EntitySchema | undefined = env.schema.get(env.entity)
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k]!
      const col = entity?.get(part)
      const last = k === parts.length - 1
      if (col && last) return { type: col.type, lookupScalar: !!col.lookup }
      const nav = entity?.get(`${part}Id`)
      if (nav?.lookup) {
        if (last) return { type: 'Nav', lookupScalar: false }
        entity = env.schema.get(nav.lookup)
        continue
      }
      throw new ODataError(400, `Could not find a property named '${part}' on type 'Terrasoft.Configuration.OData.${env.entity}'.`)
    }
    return { type: 'Unknown', lookupScalar: false }
  }
  const resolve = (row: Row, parts: string[]): unknown => {
    let entity = env.entity
    let cur: Row | undefined = row
    for (let k = 0; k < parts.length; k++) {
      if (!cur) return null
      const part = parts[k]!
      const last = k === parts.length - 1
      const schema = env.schema.get(entity)!
      if (schema.has(part) && last) return cur[part]
      const fk = cur[`${part}Id`] as string | undefined
      const target = schema.get(`${part}Id`)!.lookup!
      if (!fk || fk === ZERO_GUID) return null
      if (last) return fk
      if (parts[k + 1] === 'Id' && k + 1 === parts.length - 1) return fk
      cur = env.find(target, fk)
      entity = target
    }
    return null
  }
  const ev = (n: Node): ((row: Row) => Typed) => {
    switch (n.t) {
      case 'lit':
        return () => ({ v: n.v, type: n.type })
      case 'path': {
        const { type } = typeOfPath(n.parts)
        return (row) => ({ v: resolve(row, n.parts), type })
      }
      case 'fn': {
        const args = n.args.map(ev)
        const str = (x: unknown) => (typeof x === 'string' ? x.toLowerCase() : '')
        return (row) => {
          const [a, b] = args.map((f) => f(row).v)
          switch (n.name) {
            case 'contains':
              return { v: str(a).includes(str(b)), type: 'Boolean' }
            case 'startswith':
              return { v: str(a).startsWith(str(b)), type: 'Boolean' }
            case 'endswith':
              return { v: str(a).endsWith(str(b)), type: 'Boolean' }
            case 'tolower':
              return { v: str(a), type: 'String' }
            default:
              return { v: typeof a === 'string' ? a.toUpperCase() : '', type: 'String' }
          }
        }
      }
      case 'not': {
        const e = ev(n.e)
        return (row) => ({ v: !e(row).v, type: 'Boolean' })
      }
      case 'and':
      case 'or': {
        const l = ev(n.l)
        const r = ev(n.r)
        return n.t === 'and' ? (row) => ({ v: !!l(row).v && !!r(row).v, type: 'Boolean' }) : (row) => ({ v: !!l(row).v || !!r(row).v, type: 'Boolean' })
      }
      case 'cmp': {
        checkTypes(n.l, n.r)
        const l = ev(n.l)
        const r = ev(n.r)
        return (row) => ({ v: compare(n.op, l(row), r(row)), type: 'Boolean' })
      }
    }
  }
  const checkTypes = (l: Node, r: Node) => {
    const [path, lit] = l.t === 'path' ? [l, r] : r.t === 'path' ? [r, l] : [null, null]
    if (!path || !lit || lit.t !== 'lit') return
    const { type, lookupScalar } = typeOfPath(path.parts)
    if (lookupScalar && lit.type === 'Guid') {
      throw new ODataError(500, 'An error has occurred.', `Column '${path.parts.join('/')}' is a lookup: filter it as '${path.parts.join('/').replace(/Id$/, '')}/Id'.`)
    }
    const incompatible =
      (type === 'DateTimeOffset' && lit.type === 'String') ||
      (type === 'Guid' && lit.type === 'String') ||
      (type === 'String' && (lit.type === 'Guid' || lit.type === 'DateTimeOffset'))
    if (incompatible) {
      throw new ODataError(400, `A binary operator with incompatible types was detected. Found operand types 'Edm.${type}' and 'Edm.${lit.type}' for operator kind 'Equal'.`)
    }
  }
  const root = ev(node)
  return (row) => !!root(row).v
}

function norm(x: Typed): unknown {
  if (x.v === null || x.v === undefined) return null
  if (x.type === 'DateTimeOffset' && typeof x.v === 'string') return x.v.startsWith('0001-01-01') ? null : Date.parse(x.v)
  if (x.type === 'Guid' || x.type === 'Nav') return x.v === ZERO_GUID ? null : String(x.v).toLowerCase()
  if (x.type === 'Decimal' && typeof x.v === 'string') return Number(x.v)
  if (x.type === 'String' && typeof x.v === 'string') return x.v.toLowerCase()
  return x.v
}

function compare(op: string, a: Typed, b: Typed): boolean {
  const x = norm(a)
  const y = norm(b)
  if (op === 'eq') return x === y
  if (op === 'ne') return x !== y
  if (x === null || y === null) return false
  const c = (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0
  return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0
}
