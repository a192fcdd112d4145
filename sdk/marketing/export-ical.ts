// ical-generator: maintained (sebbo2002), RFC 5545 folding/escaping done right, no runtime
// dependencies and no Node built-ins, so it runs in the widgets' browsers too.
import ical from 'ical-generator'
import type { CalendarItem } from './calendar.js'
import { validateCalendarItems } from './calendar.js'
import { addDays, dayKey } from './dates.js'

export interface ICalOptions {
  name?: string
  /**
   * All-day events (default): DATE values computed in `timeZone` (default UTC), DTEND exclusive
   * as RFC 5545 requires. Timed events (`allDay: false`) are written in UTC ("Z"): unambiguous in
   * every client without shipping VTIMEZONE data.
   */
  allDay?: boolean
  timeZone?: string
  /** Domain appended to UIDs so they are globally unique (default `crmkit.marketing`). */
  uidDomain?: string
  /** DTSTAMP; pass a fixed value for reproducible files (default: now). */
  stamp?: Date
}

/** The schedule as an iCalendar (.ics) document, one VEVENT per item. */
export function toICalendar(items: readonly CalendarItem[], options: ICalOptions = {}): string {
  validateCalendarItems(items)
  const allDay = options.allDay ?? true
  const tz = options.timeZone ?? 'UTC'
  const domain = options.uidDomain ?? 'crmkit.marketing'
  const stamp = options.stamp ?? new Date()
  const cal = ical({ name: options.name ?? 'Marketing calendar', prodId: { company: 'crmkit', product: 'marketing', language: 'RU' } })
  for (const it of items) {
    const start = allDay ? dayKey(it.startsAt.getTime(), tz) : it.startsAt
    const end = allDay ? addDays(dayKey(it.endsAt.getTime(), tz), 1) : it.endsAt
    cal.createEvent({
      id: `${it.id}@${domain}`,
      start,
      end,
      allDay,
      stamp,
      summary: it.name,
      description: it.description ?? null,
      url: it.url ?? null,
      categories: [it.channel, ...(it.segments ?? [])].filter((x): x is string => !!x).map((name) => ({ name })),
    })
  }
  return cal.toString()
}
