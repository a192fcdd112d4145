/**
 * The import journal: an append-only log that makes an import resumable. Before a write batch the
 * importer appends one `intent` per row, after it one `done` (or `failed`) per row. On resume:
 * `done` rows are not touched again; rows with an intent and no outcome may have reached the CRM,
 * so they are looked up there by their match keys before anything is written for them.
 */
export type JournalEntry =
  | {
      t: 'intent'
      /** `<row index>:<fingerprint of the row>`: a changed input file does not inherit old outcomes. */
      row: string
      op: 'create' | 'update'
      /** For updates: the record being merged into. */
      target?: string
      /** The row's keys (as in the report's `matchedBy`), to find its record on resume. */
      keys: string[]
      /** Records that already had one of those keys before this write: they are not ours. */
      known: string[]
    }
  | { t: 'done'; row: string; id: string }
  /** The CRM provably did not apply the write; a later run may try again. */
  | { t: 'failed'; row: string; code: string }

export interface ImportJournal {
  /** Every entry written so far (by any earlier run on the same journal), in order. */
  read(): Promise<JournalEntry[]>
  /** Appends and returns once the entries are durable (the file journal fsyncs). */
  append(entries: JournalEntry[]): Promise<void>
}

/** Keeps the journal in memory: resumes after an error in the same page or process, not a crash. */
export class MemoryImportJournal implements ImportJournal {
  readonly entries: JournalEntry[] = []
  async read(): Promise<JournalEntry[]> {
    return [...this.entries]
  }
  async append(entries: JournalEntry[]): Promise<void> {
    this.entries.push(...entries.map((e) => structuredClone(e)))
  }
}
