// `onDuplicate: 'merge'`: fill what the target lacks, overwrite only the fields named in
// `overwrite`. Phones and e-mails are lists: new numbers are added, existing ones never removed.
import type { CrmName } from '../errors.js'
import type { ImportTraits } from '../adapter.js'
import type * as M from '../model/index.js'
import { normaliseEmail, phoneKeyOfStored, type CountryCode } from './normalize.js'
import type { ImportKind, PreparedRow } from './prepare.js'

/** What the importer knows of a record (existing in the CRM, or about to be created from an earlier row). */
export interface RecordState {
  name: string
  firstName: string | null
  lastName: string | null
  phones: string[]
  emails: string[]
  companyId: string | null
  ownerId: string | null
  /** Custom values by field id and by field code. */
  custom: Map<string, unknown>
}


export function customValues(v: M.CustomFieldValue): unknown[] {
  switch (v.kind) {
    case 'multitext':
      return v.value.map((x) => x.value)
    case 'enum':
      return [v.value.value, v.value.id]
    case 'multienum':
      return v.value.flatMap((x) => [x.value, x.id])
    default:
      return [v.value]
  }
}

export function stateOfRecord(kind: ImportKind, record: M.Contact | M.Company): RecordState {
  const custom = new Map<string, unknown>()
  for (const [id, v] of Object.entries(record.customFields)) {
    const values = customValues(v)
    const value = values.length > 1 ? values : values[0]
    custom.set(id, value)
    if (v.code) custom.set(v.code, value)
  }
  const c = kind === 'contacts' ? (record as M.Contact) : null
  return {
    name: record.name,
    firstName: c?.firstName ?? null,
    lastName: c?.lastName ?? null,
    phones: c ? [...c.phones] : [],
    emails: c ? [...c.emails] : [],
    companyId: c?.companyId ?? null,
    ownerId: record.ownerId,
    custom,
  }
}

export function stateOfInput(input: M.ContactCreate | M.CompanyCreate): RecordState {
  const c = input as M.ContactCreate
  return {
    name: input.name,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    phones: [...(c.phones ?? [])],
    emails: [...(c.emails ?? [])],
    companyId: c.companyId ?? null,
    ownerId: input.ownerId ?? null,
    custom: new Map(Object.entries(input.customFields ?? {})),
  }
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)

export interface MergePlan {
  /** The update to send (for an existing record) or the fields to fold into a pending create. */
  patch: Record<string, unknown>
  changes: string[]
  notes: string[]
}

/**
 * Compares a row with the state of its target. `pending` targets are creates not yet sent: their
 * lists are simply extended. Mutates `state` so that later rows merging into the same record see
 * what earlier ones filled.
 */
export function planMerge(
  state: RecordState,
  row: PreparedRow,
  o: { kind: ImportKind; crm: CrmName; traits: ImportTraits; overwrite: ReadonlySet<string>; region: CountryCode; pending: boolean },
): MergePlan {
  const patch: Record<string, unknown> = {}
  const changes: string[] = []
  const notes: string[] = []
  const input = row.input as M.ContactCreate

  const scalar = (field: 'name' | 'firstName' | 'lastName' | 'companyId' | 'ownerId', value: string | null | undefined) => {
    if (isEmpty(value) || state[field] === value) return
    if (!isEmpty(state[field]) && !o.overwrite.has(field)) {
      notes.push(`${field} kept ("${state[field]}"; the row has "${value}")`)
      return
    }
    patch[field] = value
    ;(state as unknown as Record<string, unknown>)[field] = value
    changes.push(field)
  }
  scalar('name', input.name)
  scalar('ownerId', input.ownerId)
  if (o.kind === 'contacts') {
    scalar('firstName', input.firstName)
    scalar('lastName', input.lastName)
    scalar('companyId', input.companyId)
    list('phones', input.phones ?? [], (s) => phoneKeyOfStored(s, o.region))
    list('emails', input.emails ?? [], (s) => {
      const n = normaliseEmail(s)
      return n.ok ? n.value : null
    })
  }

  function list(field: 'phones' | 'emails', incoming: string[], keyOf: (s: string) => string | null) {
    const have = new Set(state[field].map((v) => keyOf(v) ?? `raw:${v}`))
    const replace = o.overwrite.has(field)
    const fresh = replace ? incoming : incoming.filter((v) => !have.has(keyOf(v) ?? `raw:${v}`))
    if (!fresh.length || (replace && sameList(incoming, state[field], keyOf))) return
    let next = replace ? [...incoming] : [...state[field], ...fresh]
    const cap = o.traits.capacity?.[field]
    if (cap !== undefined && next.length > cap) {
      notes.push(`${field} not stored: ${next.slice(cap).join(', ')} (${o.crm} holds at most ${cap})`)
      next = next.slice(0, cap)
      if (sameList(next, state[field], keyOf)) return
    }
    // Bitrix24 adds the values sent; sending the whole list there would duplicate the old ones.
    patch[field] = !o.pending && o.traits.multiValues === 'append' ? next.slice(state[field].length) : next
    state[field] = next
    changes.push(field)
  }

  const custom = (row.input.customFields ?? {}) as Record<string, unknown>
  for (const [key, value] of Object.entries(custom)) {
    if (isEmpty(value)) continue
    const current = state.custom.get(key)
    if (!isEmpty(current)) {
      if (sameValue(current, value) || !(o.overwrite.has('customFields') || o.overwrite.has(`customFields.${key}`))) {
        if (!sameValue(current, value)) notes.push(`customFields.${key} kept`)
        continue
      }
    }
    patch.customFields = { ...(patch.customFields as object | undefined), [key]: value }
    state.custom.set(key, value)
    changes.push(`customFields.${key}`)
  }
  return { patch, changes, notes }
}

function sameList(a: string[], b: string[], keyOf: (s: string) => string | null): boolean {
  const ka = new Set(a.map(keyOf)), kb = new Set(b.map(keyOf))
  return ka.size === kb.size && [...ka].every((k) => kb.has(k))
}

function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x).trim().toLowerCase()).sort().join('\u0000') : String(v).trim().toLowerCase())
  return norm(a) === norm(b) || (Array.isArray(a) && a.some((x) => norm(x) === norm(b)))
}
