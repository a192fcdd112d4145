// papaparse's unparse: maintained, ~7 kB gzipped, one file with no Node built-ins (csv-stringify's
// browser build drags in an 80 kB Buffer/stream polyfill), and it has `escapeFormulae`, which
// neutralises =, +, -, @ cells so a campaign name cannot run as an Excel formula.
import Papa from 'papaparse'
import type { CalendarItem } from './calendar.js'
import { validateCalendarItems } from './calendar.js'
import { FORMULA_CELL } from './csv-formula.js'
import { dayKey } from './dates.js'

export interface CsvOptions {
  /** Day columns are computed in this IANA zone (default UTC); the ISO columns are always UTC. */
  timeZone?: string
  /** `;` for Russian/Ukrainian Excel, which expects it with a decimal comma (default `,`). */
  delimiter?: ',' | ';' | '\t'
  /** Prefix a UTF-8 BOM so Excel reads Cyrillic correctly (default true). */
  bom?: boolean
}

export { FORMULA_CELL } from './csv-formula.js'

export const CSV_COLUMNS = ['id', 'name', 'channel', 'segments', 'start_day', 'end_day', 'starts_at_utc', 'ends_at_utc', 'time_zone', 'owner_id', 'url'] as const

/** The schedule as CSV, one row per item, with the time zone written into every row. */
export function toCsv(items: readonly CalendarItem[], options: CsvOptions = {}): string {
  validateCalendarItems(items)
  const tz = options.timeZone ?? 'UTC'
  const rows = items.map((it) => [
    it.id,
    it.name,
    it.channel ?? '',
    (it.segments ?? []).join('|'),
    dayKey(it.startsAt.getTime(), tz),
    dayKey(it.endsAt.getTime(), tz),
    it.startsAt.toISOString(),
    it.endsAt.toISOString(),
    tz,
    it.ownerId ?? '',
    it.url ?? '',
  ])
  const csv = Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { delimiter: options.delimiter ?? ',', escapeFormulae: FORMULA_CELL, newline: '\r\n' })
  return (options.bom ?? true ? '\ufeff' : '') + csv
}
