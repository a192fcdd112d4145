/**
 * Calendar-day arithmetic in UTC. Campaign dates are calendar days stored as 00:00 UTC, so doing
 * the maths on UTC day numbers keeps a campaign on the same days in every viewer's time zone
 * (local-time libraries would shift it by a day west of Greenwich). Formatting uses Intl.
 */
const DAY = 86_400_000

export type DayNumber = number

export const dayOf = (d: Date): DayNumber => Math.floor(d.getTime() / DAY)
export const dateOf = (n: DayNumber): Date => new Date(n * DAY)
export const addDays = (d: Date, n: number): Date => dateOf(dayOf(d) + n)
export const todayUtc = (now = new Date()): Date => dateOf(dayOf(now))

/** Monday-based weekday, 0..6 (Russian calendars start on Monday). */
export const weekday = (n: DayNumber): number => (((n + 3) % 7) + 7) % 7

export const startOfWeek = (d: Date): Date => dateOf(dayOf(d) - weekday(dayOf(d)))
export const startOfMonth = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
export const addMonths = (d: Date, n: number): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1))
export const startOfQuarter = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1))

/** The weeks (Monday first) that cover a month, as arrays of 7 dates. */
export function monthWeeks(anyDayInMonth: Date): Date[][] {
  const first = startOfMonth(anyDayInMonth)
  const last = dayOf(addMonths(first, 1)) - 1
  const weeks: Date[][] = []
  for (let start = dayOf(startOfWeek(first)); start <= last; start += 7) {
    weeks.push(Array.from({ length: 7 }, (_, i) => dateOf(start + i)))
  }
  return weeks
}

export interface Span {
  id: string
  start: Date
  end: Date
}

export interface Bar<T extends Span> {
  item: T
  /** First and last column (0..days-1) the bar covers within the row. */
  from: number
  to: number
  lane: number
  continuesBefore: boolean
  continuesAfter: boolean
}

/**
 * Lays items over a row of consecutive days: each gets the lowest lane free over its columns
 * (greedy interval colouring, optimal for intervals), longest first so long campaigns stay on top.
 */
export function layoutRow<T extends Span>(rowStart: Date, days: number, items: T[]): Bar<T>[] {
  const first = dayOf(rowStart)
  const last = first + days - 1
  const visible = items
    .filter((i) => dayOf(i.start) <= last && dayOf(i.end) >= first)
    .sort((a, b) => dayOf(a.start) - dayOf(b.start) || dayOf(b.end) - dayOf(a.end) || a.id.localeCompare(b.id))
  const laneEnds: number[] = []
  return visible.map((item) => {
    const from = Math.max(dayOf(item.start), first) - first
    const to = Math.min(dayOf(item.end), last) - first
    let lane = laneEnds.findIndex((end) => end < from)
    if (lane === -1) lane = laneEnds.length
    laneEnds[lane] = to
    return { item, from, to, lane, continuesBefore: dayOf(item.start) < first, continuesAfter: dayOf(item.end) > last }
  })
}

export function formatDay(d: Date, locale: string, opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' }): string {
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' }).format(d)
}

/** `YYYY-MM-DD` for date inputs. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10)

export function parseIsoDay(s: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null
  const d = new Date(`${s}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || isoDay(d) !== s ? null : d
}
