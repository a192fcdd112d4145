/**
 * Appends to an emulator's request log, keeping at least the newest `limit` entries when a limit
 * is set: a long-running sandbox must not grow without bound, while tests (no limit) see every
 * request. Trimmed in one splice whenever the log doubles, so each append stays O(1) amortised.
 */
export function appendToLog<T>(log: T[], entry: T, limit: number | undefined): void {
  log.push(entry)
  if (limit !== undefined && log.length >= Math.max(2, 2 * limit)) log.splice(0, log.length - limit)
}

export const LOG_LIMIT_DOC = 'Keep at least the newest this many request-log entries (default: all).'
