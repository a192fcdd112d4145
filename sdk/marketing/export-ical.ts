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
  /** IANA zone the days are computed in; written as the calendar's X-WR-TIMEZONE (default UTC). */
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
  dayKey(0, tz) // a bad zone is a ValidationError on `timeZone`, also for timed events
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
  // X-WR-TIMEZONE names the zone the DATE values were computed in (clients show timed UTC events
  // in it). Not ical-generator's timezone(): with native Dates it writes local times of the
  // machine running the export and drops the Z from DTSTAMP. Not its x(): that prints calendar
  // properties after the VEVENTs, where RFC 5545 does not allow them.
  const text = cal.toString()
  const at = text.indexOf('\r\nBEGIN:VEVENT')
  const header = `\r\nX-WR-TIMEZONE:${tz}`
  return at < 0 ? text.replace(/\r\nEND:VCALENDAR/, `${header}$&`) : text.slice(0, at) + header + text.slice(at)
}
