// The importer behind `crm.contacts.import` / `crm.companies.import`: validate rows, look up the
// CRM's records, decide each row, then write in journalled batches (journal.ts explains resume).
import type { WriteOutcome } from '../batch.js'
import { DEFAULT_IMPORT_TRAITS, type ImportTraits } from '../adapter.js'
import {
  AbortError,
  AccountBlockedError,
  AuthError,
  CrmError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  UnsupportedError,
  ValidationError,
  type CrmName,
} from '../errors.js'
import type * as M from '../model/index.js'
import type { ListQuery } from '../model/query.js'
import type { Paginator } from '../paginate.js'
import { isSupportedCountry } from 'libphonenumber-js'
import type { JournalEntry } from './journal.js'
import { chooseIndex, KeyIndex, loadExisting, type Target } from './lookup.js'
import { planMerge, stateOfInput } from './merge.js'
import { matchLabel, prepareRow, type ImportKind, type PreparedRow } from './prepare.js'
import type { ImportOptions, ImportReport, ImportRowReport, MatchOn } from './types.js'

/** The part of a collection the importer uses. */
export interface ImportCollection {
  list(query?: ListQuery, options?: { signal?: AbortSignal }): Paginator<M.Contact | M.Company>
  createMany(inputs: never[], options?: { signal?: AbortSignal }): Promise<WriteOutcome<{ id: string }>[]>
  updateMany(updates: { id: string; patch: never }[], options?: { signal?: AbortSignal }): Promise<WriteOutcome<{ id: string }>[]>
}

const OVERWRITABLE: Record<ImportKind, ReadonlySet<string>> = {
  contacts: new Set(['name', 'firstName', 'lastName', 'companyId', 'ownerId', 'phones', 'emails', 'customFields']),
  companies: new Set(['name', 'ownerId', 'customFields']),
}

interface Settings {
  match: MatchOn[]
  onDuplicate: 'skip' | 'merge' | 'create'
  overwrite: Set<string>
  region: NonNullable<ImportOptions['defaultRegion']>
  batchSize: number
}

function settings(crm: CrmName, kind: ImportKind, traits: ImportTraits, o: ImportOptions): Settings {
  const issues: ValidationError['issues'] = []
  const match = o.match ?? (kind === 'contacts' ? ['phone', 'email'] : ['name'])
  if (!Array.isArray(match) || match.length === 0) issues.push({ path: ['match'], message: 'must list at least one key', code: 'too_small' })
  else {
    match.forEach((m, i) => {
      const ok =
        m === 'name' ||
        (kind === 'contacts' && (m === 'phone' || m === 'email')) ||
        (typeof m === 'object' && m !== null && typeof m.customField === 'string' && m.customField.trim() !== '')
      if (!ok) issues.push({ path: ['match', i], message: `${kind} cannot be matched by ${JSON.stringify(m)}`, code: 'invalid_value' })
    })
  }
  const onDuplicate = o.onDuplicate ?? 'skip'
  if (!['skip', 'merge', 'create'].includes(onDuplicate)) issues.push({ path: ['onDuplicate'], message: 'must be skip, merge or create', code: 'invalid_value' })
  const overwrite = new Set(o.overwrite ?? [])
  for (const f of overwrite) {
    if (!OVERWRITABLE[kind].has(f) && !/^customFields\.\S+$/.test(f)) issues.push({ path: ['overwrite'], message: `${kind} have no field "${f}"`, code: 'invalid_value' })
  }
  if (o.index !== undefined && !['auto', 'scan', 'search'].includes(o.index)) issues.push({ path: ['index'], message: 'must be auto, scan or search', code: 'invalid_value' })
  // An unknown region would silently make every local number invalid.
  if (o.defaultRegion !== undefined && !isSupportedCountry(o.defaultRegion)) issues.push({ path: ['defaultRegion'], message: `"${o.defaultRegion}" is not a supported region code`, code: 'invalid_value' })
  const batchSize = o.batchSize ?? 100
  if (!Number.isInteger(batchSize) || batchSize < 1) issues.push({ path: ['batchSize'], message: 'must be a positive integer', code: 'invalid_value' })
  if (issues.length) throw new ValidationError(`Invalid import options: ${issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`, { crm, issues })
  if (traits.multiValues === 'append' && (overwrite.has('phones') || overwrite.has('emails'))) {
    throw new UnsupportedError(`${crm} adds phones and e-mails on update and cannot replace them: drop "phones"/"emails" from overwrite`, { crm })
  }
  return { match: match as MatchOn[], onDuplicate, overwrite, region: o.defaultRegion ?? 'RU', batchSize }
}

/** True when the CRM certainly did not apply the write, so trying it again cannot duplicate. */
function notApplied(e: CrmError): boolean {
  if (e instanceof NetworkError) return !e.mayHaveApplied
  return (
    e instanceof ValidationError ||
    e instanceof RateLimitError ||
    e instanceof AuthError ||
    e instanceof PermissionError ||
    e instanceof NotFoundError ||
    e instanceof AccountBlockedError ||
    e instanceof UnsupportedError
  )
}

const blank = (index: number): ImportRowReport => ({
  index,
  action: 'create',
  status: 'planned',
  id: null,
  matchedIds: [],
  matchedBy: null,
  duplicateOfRow: null,
  changes: [],
  notes: [],
  error: null,
})

export async function runImport(args: {
  crm: CrmName
  kind: ImportKind
  /** From the adapter's driver; DEFAULT_IMPORT_TRAITS when it declares none. */
  traits?: ImportTraits
  collection: ImportCollection
  records: readonly unknown[]
  options?: ImportOptions
}): Promise<ImportReport> {
  const { crm, kind, collection } = args
  const traits = args.traits ?? DEFAULT_IMPORT_TRAITS
  const o = args.options ?? {}
  if (!Array.isArray(args.records)) {
    throw new ValidationError('records must be an array', { crm, issues: [{ path: ['records'], message: 'must be an array', code: 'invalid_type' }] })
  }
  const s = settings(crm, kind, traits, o)
  const signal = o.signal
  const call = signal ? { signal } : {}
  const checkAbort = () => {
    if (signal?.aborted) throw new AbortError({ crm })
  }

  // 1. Rows: invalid ones are reported and set aside; the rest carry their keys.
  const reports = args.records.map((_, i) => blank(i))
  const rows: PreparedRow[] = []
  args.records.forEach((raw, i) => {
    const r = prepareRow(kind, raw, i, { crm, match: s.match, region: s.region })
    if (r instanceof ValidationError) Object.assign(reports[i]!, { action: 'invalid', status: 'failed', error: r })
    else rows.push(r)
  })

  // 2. What an earlier run did.
  const done = new Map<string, string>()
  const doneOp = new Map<string, 'create' | 'update'>()
  const intents = new Map<string, JournalEntry & { t: 'intent' }>()
  for (const e of o.journal ? await o.journal.read() : []) {
    if (e.t === 'intent') intents.set(e.row, e)
    else if (e.t === 'done') {
      done.set(e.row, e.id)
      doneOp.set(e.row, intents.get(e.row)?.op ?? 'create')
      intents.delete(e.row)
    } else intents.delete(e.row)
  }
  const claimed = new Set(done.values())

  // 3. The CRM's existing records.
  const lookupKeys = rows.flatMap((r) => (done.has(r.rowKey) ? [] : r.keys.length ? r.keys : intents.has(r.rowKey) ? [r.nameKey] : []))
  const mode = chooseIndex(crm, kind, traits, s.match, new Set(lookupKeys).size, o.index)
  const index = new KeyIndex()
  if (rows.length > done.size) {
    await loadExisting(index, {
      kind,
      list: (q) => collection.list(q, call),
      match: s.match,
      region: s.region,
      mode,
      keys: lookupKeys,
      onProgress: (n, total) => o.onProgress?.({ phase: 'index', done: n, total }),
    })
  }
  checkAbort()

  // 4. Decide every row, in input order (so within-file duplicates point at the earlier row).
  interface Create { row: PreparedRow; input: Record<string, unknown>; known: string[]; folded: number[] }
  interface Update { id: string; patch: Record<string, unknown>; rows: PreparedRow[] }
  const creates: Create[] = []
  const createOf = new Map<number, Create>()
  const updates = new Map<string, Update>()
  const adopted: JournalEntry[] = []
  const existingIds = (keys: readonly string[]) => [...new Set(keys.flatMap((k) => index.get(k).flatMap((t) => (t.kind === 'existing' ? [t.id] : []))))]

  for (const row of rows) {
    const rep = reports[row.index]!
    const previous = done.get(row.rowKey)
    const intent = intents.get(row.rowKey)
    if (previous !== undefined) {
      Object.assign(rep, { action: doneOp.get(row.rowKey) === 'update' ? 'merge' : 'create', status: 'resumed', id: previous })
      const t = index.existing.get(previous)
      if (t) index.add(row.keys, t)
      continue
    }
    if (intent?.op === 'create') {
      // The create may have landed before the crash: a record with the row's keys that was not
      // there when the intent was written (and is not another row's) is this row's.
      const found = existingIds(intent.keys.length ? intent.keys : [row.nameKey]).find((id) => !intent.known.includes(id) && !claimed.has(id))
      if (found !== undefined) {
        claimed.add(found)
        adopted.push({ t: 'done', row: row.rowKey, id: found })
        Object.assign(rep, { action: 'create', status: 'resumed', id: found })
        index.add(row.keys, index.existing.get(found)!)
        continue
      }
    }

    let first: Target | undefined
    for (const key of row.keys) {
      const t = index.get(key)[0]
      if (t) {
        first = t
        rep.matchedBy = key
        break
      }
    }
    rep.matchedIds = existingIds(row.keys)

    if (!first || s.onDuplicate === 'create') {
      const c: Create = { row, input: { ...row.input }, known: existingIds(row.keys.length ? row.keys : [row.nameKey]), folded: [] }
      creates.push(c)
      createOf.set(row.index, c)
      index.add([...row.keys, row.nameKey], { kind: 'pending', row: row.index, state: stateOfInput(row.input) })
      rep.action = 'create'
      if (first) rep.notes.push('created although it matches (onDuplicate: create)')
      continue
    }
    if (first.kind === 'pending') rep.duplicateOfRow = first.row
    else rep.id = first.id
    if (s.onDuplicate === 'skip') {
      rep.action = 'skip'
      rep.notes.push(first.kind === 'pending' ? `duplicate of row ${first.row}` : `already in the CRM as ${first.id}`)
      continue
    }
    const plan = planMerge(first.state, row, { kind, crm, traits, overwrite: s.overwrite, region: s.region, pending: first.kind === 'pending' })
    rep.notes.push(...plan.notes)
    index.add(row.keys, first)
    if (!plan.changes.length) {
      rep.action = 'skip'
      rep.notes.push('nothing new to merge')
      continue
    }
    rep.action = 'merge'
    rep.changes = plan.changes
    if (first.kind === 'pending') {
      const c = createOf.get(first.row)!
      Object.assign(c.input, plan.patch, plan.patch.customFields ? { customFields: { ...(c.input.customFields as object), ...(plan.patch.customFields as object) } } : {})
      c.folded.push(row.index)
    } else {
      const u = updates.get(first.id) ?? { id: first.id, patch: {}, rows: [] }
      for (const [k, v] of Object.entries(plan.patch)) {
        if (k === 'customFields') u.patch.customFields = { ...(u.patch.customFields as object), ...(v as object) }
        else if ((k === 'phones' || k === 'emails') && traits.multiValues === 'append') u.patch[k] = [...((u.patch[k] as string[]) ?? []), ...(v as string[])]
        else u.patch[k] = v
      }
      u.rows.push(row)
      updates.set(first.id, u)
    }
  }

  const summarise = (dryRun: boolean): ImportReport => {
    const summary = { total: reports.length, created: 0, merged: 0, skipped: 0, invalid: 0, failed: 0, resumed: 0 }
    for (const r of reports) {
      if (r.action === 'invalid') summary.invalid++
      else if (r.status === 'failed') summary.failed++
      else if (r.status === 'resumed') summary.resumed++
      else if (r.action === 'create') summary.created++
      else if (r.action === 'merge') summary.merged++
      else summary.skipped++
    }
    return { dryRun, index: mode, rows: reports, summary }
  }
  if (o.dryRun) return summarise(true)

  // 5. Writes: intent (durable) → write → outcome (durable), batch by batch.
  const journal = o.journal
  if (journal && adopted.length) await journal.append(adopted)
  const total = creates.length + updates.size
  let written = 0
  const settle = (rowKeys: string[], outcome: WriteOutcome<{ id: string }> | undefined, apply: (id: string | null, error: CrmError | null, note?: string) => void, entries: JournalEntry[]) => {
    if (outcome?.ok) {
      for (const row of rowKeys) entries.push({ t: 'done', row, id: outcome.record.id })
      apply(outcome.record.id, null)
      return
    }
    const error = outcome ? outcome.error : new CrmError('No outcome for this write', { crm })
    if (notApplied(error)) {
      for (const row of rowKeys) entries.push({ t: 'failed', row, code: error.code })
      apply(null, error)
    } else {
      apply(null, error, 'the write may have reached the CRM: run the import again with the same journal to reconcile, never blindly')
    }
  }

  const rowByIndex = new Map(rows.map((r) => [r.index, r]))
  // Rows skipped as duplicates of an earlier row share its record id once that row is written.
  const skippedDuplicates = new Map<number, ImportRowReport[]>()
  for (const rep of reports) {
    if (rep.duplicateOfRow !== null && rep.action === 'skip') skippedDuplicates.set(rep.duplicateOfRow, [...(skippedDuplicates.get(rep.duplicateOfRow) ?? []), rep])
  }
  for (let i = 0; i < creates.length; i += s.batchSize) {
    checkAbort()
    const chunk = creates.slice(i, i + s.batchSize)
    await journal?.append(chunk.map((c) => ({ t: 'intent', row: c.row.rowKey, op: 'create', keys: c.row.keys, known: c.known })))
    const outcomes = await collection.createMany(chunk.map((c) => c.input) as never[], call)
    const entries: JournalEntry[] = []
    chunk.forEach((c, j) => {
      const rowKeys = [c.row.rowKey, ...c.folded.map((f) => rowByIndex.get(f)!.rowKey)]
      settle(rowKeys, outcomes[j], (id, error, note) => {
        for (const idx of [c.row.index, ...c.folded]) {
          const rep = reports[idx]!
          Object.assign(rep, { status: error ? 'failed' : 'done', id: id ?? rep.id, error })
          if (note) rep.notes.push(note)
        }
      }, entries)
    })
    for (const c of chunk) {
      const target = reports[c.row.index]!
      for (const rep of skippedDuplicates.get(c.row.index) ?? []) Object.assign(rep, { status: target.status === 'failed' ? 'failed' : 'done', id: target.id })
    }
    await journal?.append(entries)
    written += chunk.length
    o.onProgress?.({ phase: 'write', done: written, total })
  }

  const updateList = [...updates.values()]
  for (let i = 0; i < updateList.length; i += s.batchSize) {
    checkAbort()
    const chunk = updateList.slice(i, i + s.batchSize)
    await journal?.append(chunk.flatMap((u) => u.rows.map((r) => ({ t: 'intent' as const, row: r.rowKey, op: 'update' as const, target: u.id, keys: r.keys, known: [] }))))
    const outcomes = await collection.updateMany(chunk.map((u) => ({ id: u.id, patch: u.patch as never })), call)
    const entries: JournalEntry[] = []
    chunk.forEach((u, j) => {
      settle(u.rows.map((r) => r.rowKey), outcomes[j], (id, error, note) => {
        for (const r of u.rows) {
          const rep = reports[r.index]!
          Object.assign(rep, { status: error ? 'failed' : 'done', id: id ?? rep.id, error })
          if (note) rep.notes.push(note)
        }
      }, entries)
    })
    await journal?.append(entries)
    written += chunk.length
    o.onProgress?.({ phase: 'write', done: written, total })
  }
  for (const rep of reports) if (rep.status === 'planned') rep.status = 'done'
  return summarise(false)
}
