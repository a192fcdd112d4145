import type { z } from 'zod'
import { UnexpectedResponseError, ValidationError, type CrmName, type ValidationIssue } from './errors.js'
import { isUnparseable } from './http.js'

/**
 * Validates a CRM response against its schema. A mismatch becomes UnexpectedResponseError naming
 * the path and a short excerpt, instead of a TypeError deep inside a mapper.
 */
export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, crm: CrmName, what: string): z.output<S> {
  if (isUnparseable(data)) {
    throw new UnexpectedResponseError(`${what}: the response body is not valid JSON (truncated?)`, {
      crm,
      path: '',
      excerpt: '',
    })
  }
  const result = schema.safeParse(data)
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
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, crm: CrmName, index?: number): z.output<S> {
  const result = schema.safeParse(input)
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
