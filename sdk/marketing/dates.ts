import { invalid } from './errors.js'

export const DAY_MS = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Calendar day (YYYY-MM-DD) of an instant in an IANA time zone; Intl does the zone maths. */
export function dayKey(ms: number, timeZone = 'UTC'): string {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    } catch {
      invalid(['timeZone'], `unknown time zone "${timeZone}"`, 'invalid_time_zone')
    }
    formatters.set(timeZone, f)
  }
  // en-CA formats as 2026-03-01; assemble from parts to be safe against locale data changes.
  const parts = f.formatToParts(ms)
  const get = (t: string) => parts.find((p) => p.type === t)!.value
  return `${get('year')}-${get('month')}-${get('day')}`
}

/** ISO 8601 week (e.g. 2026-W09) of a YYYY-MM-DD day. */
export function isoWeekKey(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  const weekday = (d.getUTCDay() + 6) % 7 // Monday = 0
  const thursday = new Date(d.getTime() + (3 - weekday) * DAY_MS)
  const year = thursday.getUTCFullYear()
  const jan1 = Date.UTC(year, 0, 1)
  const week = 1 + Math.floor((thursday.getTime() - jan1) / DAY_MS / 7)
  return `${year}-W${String(week).padStart(2, '0')}`
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

export const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime())
