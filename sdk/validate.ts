import { safeParse, type core } from 'zod/mini'
import { UnexpectedResponseError, ValidationError, type CrmName, type ValidationIssue } from './errors.js'
import { isUnparseable } from './http.js'

// Schemas are any zod 4 schema (zod/mini on the browser path, classic in Node-only code): the
// functional `safeParse` runs both.

// zod/mini objects lack classic zod's JIT fast path: a 250-deal page parses ~4x slower than with
// classic zod. Under Node, schemas are compiled on first use (z.compile, ~4x faster than classic;
// failures fall back to the runtime parser, so errors are identical). Browsers skip it: the
// compiler is too big for the widget bundles, and widgets parse a few hundred rows.
type Compile = <S extends core.$ZodType>(schema: S) => S
let compile: Compile | undefined
const compiled = new WeakMap<core.$ZodType, core.$ZodType>()
if (typeof process !== 'undefined' && process.versions?.node) {
  void import(/* webpackIgnore: true */ './zod-compile.js').then(
    (m: { compile: Compile }) => (compile = m.compile),
    () => undefined,
  )
}
function fast<S extends core.$ZodType>(schema: S): S {
  if (!compile) return schema
  let c = compiled.get(schema)
  if (!c) compiled.set(schema, (c = compile(schema)))
  return c as S
}

/**
 * Validates a CRM response against its schema. A mismatch becomes UnexpectedResponseError naming
 * the path and a short excerpt, instead of a TypeError deep inside a mapper.
 */
export function parseResponse<S extends core.$ZodType>(schema: S, data: unknown, crm: CrmName, what: string): core.output<S> {
  if (isUnparseable(data)) {
    throw new UnexpectedResponseError(`${what}: the response body is not valid JSON (truncated?)`, {
      crm,
      path: '',
      excerpt: '',
    })
  }
  const result = safeParse(fast(schema), data)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue ? issue.path.join('.') : ''
  const excerpt = excerptAt(data, issue?.path ?? [])
  throw new UnexpectedResponseError(
    `${what}: unexpected response shape at ${path || '(root)'}: ${issue?.message ?? 'invalid'} (got ${excerpt})`,
    { crm, path, excerpt },
  )
}

function excerptAt(data: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = data
  for (const key of path) {
    if (node == null || typeof node !== 'object') break
    node = (node as Record<PropertyKey, unknown>)[key]
  }
  let text: string
  try {
    text = node === undefined ? 'undefined' : JSON.stringify(node)
  } catch {
    text = String(node)
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Converts caller-input validation failures into a ValidationError whose issues name each field. */
export function validateInput<S extends core.$ZodType>(schema: S, input: unknown, crm: CrmName, index?: number): core.output<S> {
  const result = safeParse(fast(schema), input)
  if (result.success) return result.data
  const issues: ValidationIssue[] = result.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
    code: i.code,
    ...(index === undefined ? {} : { index }),
  }))
  const first = issues[0]
  const where = first && first.path.length ? first.path.join('.') : '(input)'
  throw new ValidationError(
    `Invalid input${index === undefined ? '' : ` #${index}`}: ${where} ${first?.message ?? 'is invalid'}`,
    { crm, issues },
  )
}
