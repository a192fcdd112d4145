// Turns one loose input row into a validated create payload plus its match keys, or a
// ValidationError whose issues name every bad field of that row (not just the first).
import { ValidationError, type CrmName, type ValidationIssue } from '../errors.js'
import * as M from '../model/index.js'
import { validateInput } from '../validate.js'
import { normaliseEmail, normaliseName, normalisePhone, normaliseText, type CountryCode } from './normalize.js'
import type { MatchOn } from './types.js'

export type ImportKind = 'contacts' | 'companies'

export interface PreparedRow {
  index: number
  /** `<index>:<fingerprint>`: identifies the row in the journal. */
  rowKey: string
  input: M.ContactCreate | M.CompanyCreate
  /** Match keys in the order of `match`, e.g. `phone:+79991234567`, `email:a@b.ru`, `name:ромашка`. */
  keys: string[]
  /** `name:<normalised name>`: finds the row's record on resume when it has no match keys. */
  nameKey: string
}

export function matchLabel(m: MatchOn): string {
  return typeof m === 'string' ? m : `customField ${m.customField}`
}

const splitList = (v: string) => v.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean)

function listOf(value: unknown, field: string, issues: ValidationIssue[], index: number): string[] {
  if (value === undefined || value === null || value === '') return []
  if (typeof value === 'string') return splitList(value)
  if (Array.isArray(value)) {
    const out: string[] = []
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push(...splitList(v))
      else if (typeof v === 'number') out.push(String(v))
      else issues.push({ path: [field, i], message: 'must be text', code: 'invalid_type', index })
    })
    return out
  }
  if (typeof value === 'number') return [String(value)]
  issues.push({ path: [field], message: 'must be text or a list of text', code: 'invalid_type', index })
  return []
}

const optText = (v: unknown) => (typeof v === 'number' ? String(v) : v)

/** Keys of a row or record for the given match fields. */
export function keysFor(
  match: readonly MatchOn[],
  values: { name: string; phones: string[]; emails: string[]; custom: (field: string) => unknown[] },
): string[] {
  const keys: string[] = []
  for (const m of match) {
    if (m === 'phone') keys.push(...values.phones.map((p) => `phone:${p}`))
    else if (m === 'email') keys.push(...values.emails.map((e) => `email:${e}`))
    else if (m === 'name') {
      const n = normaliseName(values.name)
      if (n) keys.push(`name:${n}`)
    } else {
      for (const v of values.custom(m.customField)) {
        const t = normaliseText(v)
        if (t !== null) keys.push(`cf:${m.customField}:${t}`)
      }
    }
  }
  return [...new Set(keys)]
}

export function prepareRow(
  kind: ImportKind,
  raw: unknown,
  index: number,
  o: { crm: CrmName; match: readonly MatchOn[]; region: CountryCode },
): PreparedRow | ValidationError {
  const issues: ValidationIssue[] = []
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return new ValidationError(`Row #${index}: must be an object`, {
      crm: o.crm,
      issues: [{ path: [], message: 'must be an object', code: 'invalid_type', index }],
    })
  }
  const r = raw as Record<string, unknown>
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
  const candidate: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(r)) if (v !== undefined) candidate[k] = optText(v)

  // A contact without `name` but with first/last names gets them joined, as CRMs display it.
  let name = text(r.name)
  if (!name && kind === 'contacts') name = [text(r.firstName), text(r.lastName)].filter(Boolean).join(' ')
  if (!name) issues.push({ path: ['name'], message: 'is required', code: 'missing', index })
  candidate.name = name

  const phones: string[] = []
  const emails: string[] = []
  if (kind === 'contacts') {
    for (const [field, list, norm] of [
      ['phones', phones, (s: string) => normalisePhone(s, o.region)],
      ['emails', emails, normaliseEmail],
    ] as const) {
      listOf(r[field], field, issues, index).forEach((value, i) => {
        const n = norm(value)
        if (n.ok) {
          if (!list.includes(n.value)) list.push(n.value)
        } else issues.push({ path: [field, i], message: n.message, code: field === 'phones' ? 'invalid_phone' : 'invalid_email', index })
      })
    }
    if (phones.length) candidate.phones = phones
    else delete candidate.phones
    if (emails.length) candidate.emails = emails
    else delete candidate.emails
  }
  for (const k of ['firstName', 'lastName', 'companyId', 'ownerId']) if (candidate[k] === '') candidate[k] = null

  // The model's own schema catches the rest (unknown fields, wrong types) with the same paths.
  let input: M.ContactCreate | M.CompanyCreate | null = null
  if (!issues.length) {
    try {
      input = validateInput(kind === 'contacts' ? M.ContactCreate : M.CompanyCreate, candidate, o.crm, index)
    } catch (e) {
      if (e instanceof ValidationError) issues.push(...e.issues)
      else throw e
    }
  }
  if (issues.length || !input) {
    const what = issues.map((i) => `${i.path.join('.') || '(row)'} ${i.message}`).join('; ')
    return new ValidationError(`Row #${index}: ${what}`, { crm: o.crm, issues })
  }
  const customFields = (input.customFields ?? {}) as Record<string, unknown>
  const keys = keysFor(o.match, {
    name,
    phones,
    emails,
    custom: (f) => {
      const v = customFields[f]
      return Array.isArray(v) ? v : [v]
    },
  })
  return { index, rowKey: `${index}:${fingerprint(input)}`, input, keys, nameKey: `name:${normaliseName(name)}` }
}

/** FNV-1a over the row's JSON: tells a journal entry for this row from one for a different row. */
export function fingerprint(value: unknown): string {
  const s = JSON.stringify(value)
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(36)
}
