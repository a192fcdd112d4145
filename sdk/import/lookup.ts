// Finding the CRM's existing records by key. Two ways, chosen per CRM and size (README, "Import
// with de-duplication"): a full scan (one request per page, whatever the number of rows), or one
// search per key (cheaper for a handful of rows, but only where the CRM's search sees the key).
import { mapConcurrent } from '../batch.js'
import type { ImportTraits } from '../adapter.js'
import { UnsupportedError, type CrmName } from '../errors.js'
import type * as M from '../model/index.js'
import type { ListQuery } from '../model/query.js'
import type { Paginator } from '../paginate.js'
import { customValues, stateOfRecord, type RecordState } from './merge.js'
import { normaliseEmail, phoneKeyOfStored, phoneSearchText, type CountryCode } from './normalize.js'
import { keysFor, type ImportKind } from './prepare.js'
import type { ImportOptions, MatchOn } from './types.js'

export type Target =
  | { kind: 'existing'; id: string; state: RecordState }
  | { kind: 'pending'; row: number; state: RecordState }

/** Key → records and pending rows carrying it, in the order they were added. */
export class KeyIndex {
  private readonly byKey = new Map<string, Target[]>()
  readonly existing = new Map<string, Target & { kind: 'existing' }>()

  add(keys: readonly string[], target: Target): void {
    for (const key of keys) {
      const list = this.byKey.get(key)
      if (!list) this.byKey.set(key, [target])
      else if (!list.includes(target)) list.push(target)
    }
  }

  get(key: string): readonly Target[] {
    return this.byKey.get(key) ?? []
  }
}

/** Up to this many keys, `auto` searches (where the CRM's search can) instead of scanning. */
export const SEARCH_MAX_KEYS = 50

/** Whether the collection's `search` finds records by this key (the adapter says, in its import traits). */
function searchSees(traits: ImportTraits, m: MatchOn): boolean {
  return traits.searchFinds.includes(typeof m === 'string' ? m : 'custom')
}

export function chooseIndex(crm: CrmName, kind: ImportKind, traits: ImportTraits, match: readonly MatchOn[], keyCount: number, wanted: ImportOptions['index']): 'scan' | 'search' {
  const searchable = match.every((m) => searchSees(traits, m))
  if (wanted === 'search') {
    if (!searchable) throw new UnsupportedError(`${crm} search cannot find ${kind} by ${match.map((m) => (typeof m === 'string' ? m : m.customField)).join(', ')}; use index: 'scan'`, { crm })
    return 'search'
  }
  if (wanted === 'scan') return 'scan'
  return searchable && keyCount <= SEARCH_MAX_KEYS ? 'search' : 'scan'
}

/** Every key a stored record answers to: the match keys plus its name (used to reconcile rows without keys). */
export function recordKeys(kind: ImportKind, record: M.Contact | M.Company, match: readonly MatchOn[], region: CountryCode): string[] {
  const c = kind === 'contacts' ? (record as M.Contact) : null
  return keysFor([...match, 'name'], {
    name: record.name,
    phones: (c?.phones ?? []).map((p) => phoneKeyOfStored(p, region)).filter((k): k is string => k !== null),
    emails: (c?.emails ?? []).flatMap((e) => {
      const n = normaliseEmail(e)
      return n.ok ? [n.value] : []
    }),
    custom: (field) => {
      const lower = field.toLowerCase()
      return Object.entries(record.customFields).flatMap(([id, v]) => (id === field || v.code?.toLowerCase() === lower ? customValues(v) : []))
    },
  })
}

export interface LoadOptions {
  kind: ImportKind
  list: (query: ListQuery) => Paginator<M.Contact | M.Company>
  match: readonly MatchOn[]
  region: CountryCode
  mode: 'scan' | 'search'
  /** Keys of the rows, for `search`. */
  keys: readonly string[]
  onProgress?: (done: number, total: number | null) => void
}

export async function loadExisting(index: KeyIndex, o: LoadOptions): Promise<void> {
  const add = (record: M.Contact | M.Company) => {
    if (index.existing.has(record.id)) return
    const target = { kind: 'existing' as const, id: record.id, state: stateOfRecord(o.kind, record) }
    index.existing.set(record.id, target)
    index.add(recordKeys(o.kind, record, o.match, o.region), target)
  }
  if (o.mode === 'scan') {
    let n = 0
    for await (const page of o.list({}).pages()) {
      for (const r of page) add(r)
      n += page.length
      o.onProgress?.(n, null)
    }
    return
  }
  // Search is by substring (and by digits for phones); every hit is verified by its normalised keys.
  const terms = [...new Set(o.keys.map(searchTerm))]
  let done = 0
  await mapConcurrent(terms, 4, async (term) => {
    for await (const page of o.list({ search: term }).pages()) for (const r of page) add(r)
    o.onProgress?.(++done, terms.length)
  })
}

function searchTerm(key: string): string {
  const [type] = key.split(':', 1)
  const value = key.slice(key.indexOf(':') + 1)
  if (type === 'phone') return phoneSearchText(value)
  if (type === 'cf') return value.slice(value.indexOf(':') + 1)
  if (type === 'name') {
    // The key has "ё" folded to "е" and runs of spaces to one; a CRM's substring search does
    // neither, so "ип елкин" would miss "ИП  Ёлкин" and the row be created twice. Search for the
    // longest piece that reads the same either way; hits are verified by their keys.
    const pieces = value.split(/[\sе]+/).filter(Boolean)
    return pieces.reduce((a, b) => (b.length > a.length ? b : a), '') || value
  }
  return value
}
