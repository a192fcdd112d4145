// Public types of `crm.contacts.import` / `crm.companies.import`. Type-only on purpose: the client
// imports this file, and the implementation (with the phone metadata) loads only when used.
import type { CountryCode } from 'libphonenumber-js'
import type { CrmError } from '../errors.js'
import type { CustomFieldInput } from '../model/index.js'
import type { ImportJournal } from './journal.js'

/** What to compare: normalised phone (E.164), e-mail, name, or a custom field by code or id. */
export type MatchOn = 'phone' | 'email' | 'name' | { customField: string }

export type OnDuplicate = 'skip' | 'merge' | 'create'

/**
 * An input row. Loosely typed on purpose (rows come from CSV files and other CRMs): every field is
 * checked at run time and a bad one is reported for its row, never thrown.
 */
export interface ContactImportRecord {
  name?: string | null
  firstName?: string | null
  lastName?: string | null
  /** One number or several; a string may hold several separated by "," or ";". */
  phones?: string | string[] | null
  emails?: string | string[] | null
  companyId?: string | null
  ownerId?: string | null
  customFields?: Record<string, CustomFieldInput>
}

export interface CompanyImportRecord {
  name?: string | null
  ownerId?: string | null
  customFields?: Record<string, CustomFieldInput>
}

export interface ImportProgress {
  phase: 'index' | 'write'
  done: number
  /** null while unknown (a scan does not know the CRM's record count in advance). */
  total: number | null
}

export interface ImportOptions {
  /** Default: contacts `['phone', 'email']`, companies `['name']`. A row matches on any one key. */
  match?: MatchOn[]
  /** What to do with a row that matches an existing record (or an earlier row). Default `skip`. */
  onDuplicate?: OnDuplicate
  /**
   * Fields `merge` may overwrite when the CRM already has a value: `name`, `firstName`,
   * `lastName`, `companyId`, `ownerId`, `phones`, `emails`, `customFields.<code or id>`.
   * Without it, merge only fills what is empty.
   */
  overwrite?: string[]
  /** Plan only: read the CRM, decide every row, write nothing. */
  dryRun?: boolean
  /** Region for numbers written without a country code. Default `RU`. */
  defaultRegion?: CountryCode
  /**
   * How existing records are found. `scan` lists the whole collection once; `search` asks the CRM
   * per key (only amoCRM's search looks into phones and e-mails). `auto` (default) searches on
   * amoCRM when there are at most 50 keys to look up, and scans otherwise.
   */
  index?: 'auto' | 'scan' | 'search'
  /** Makes the import resumable after a crash; see `FileImportJournal` in `crmkit/node`. */
  journal?: ImportJournal
  /** Rows per journalled write batch. Default 100. */
  batchSize?: number
  signal?: AbortSignal
  onProgress?: (p: ImportProgress) => void
}

export type ImportAction = 'create' | 'merge' | 'skip' | 'invalid'

export interface ImportRowReport {
  /** Position in the input. */
  index: number
  action: ImportAction
  /**
   * `planned` (dry run), `done`, `failed` (the write was refused or may not have landed: see
   * `error`), `resumed` (done by an earlier run, found in the journal or reconciled with the CRM).
   */
  status: 'planned' | 'done' | 'failed' | 'resumed'
  /** The record created, merged into or duplicated; null when not (yet) known. */
  id: string | null
  /** Existing records this row matched, best first. */
  matchedIds: string[]
  /** The key that matched, e.g. `phone:+79991234567`. */
  matchedBy: string | null
  /** Set when the row duplicates an earlier row of the same input. */
  duplicateOfRow: number | null
  /** Fields a merge writes. */
  changes: string[]
  /** Why the row was skipped, or what was left out of a merge. */
  notes: string[]
  /** ValidationError (with issues naming the field) for invalid rows; the write error for failed ones. */
  error: CrmError | null
}

export interface ImportSummary {
  total: number
  created: number
  merged: number
  skipped: number
  invalid: number
  failed: number
  /** Rows an earlier, interrupted run had already written. */
  resumed: number
}

export interface ImportReport {
  dryRun: boolean
  /** How existing records were looked up. */
  index: 'scan' | 'search'
  rows: ImportRowReport[]
  summary: ImportSummary
}

export interface Importer<R> {
  /** Imports rows with de-duplication; one report per row, in input order. Never throws for a bad row. */
  import(records: readonly R[], options?: ImportOptions): Promise<ImportReport>
}
