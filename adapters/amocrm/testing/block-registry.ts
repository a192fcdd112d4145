// Which amoCRM emulators in this process ever reached the 403 account block. A real account that
// gets there needs amoCRM support to recover, so the test suite treats any block it did not ask
// for as a failure (test/setup/amocrm-block-guard.ts). Small records only: no emulator is retained.

export interface AccountBlockRecord {
  readonly baseUrl: string
  /** Times the account went into the block. */
  blocks: number
  /** The emulator was configured with an explicit `blockAfter429`: a test of the block itself. */
  readonly expected: boolean
}

const records: AccountBlockRecord[] = []

export function trackAccountBlocks(baseUrl: string, expected: boolean): AccountBlockRecord {
  const record: AccountBlockRecord = { baseUrl, blocks: 0, expected }
  records.push(record)
  return record
}

/** Emulators that blocked their account without the test having configured the block. */
export function unexpectedAccountBlocks(): readonly AccountBlockRecord[] {
  return records.filter((r) => r.blocks > 0 && !r.expected)
}
