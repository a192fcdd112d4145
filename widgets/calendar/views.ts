import { addDays, addMonths, dateOf, dayOf, monthWeeks, startOfMonth, startOfQuarter, startOfWeek } from './days.js'

export type View = 'month' | 'week' | 'quarter' | 'timeline'
export const VIEWS: View[] = ['month', 'week', 'quarter', 'timeline']

/** One horizontal band of consecutive days; timeline bands belong to one channel. */
export interface Row {
  key: string
  start: Date
  days: number
  /** Timeline only: the channel this swimlane shows (null = campaigns without a channel). */
  channel?: string | null
}

/** The first day of the period a view shows around `anchor`. */
export function periodStart(view: View, anchor: Date): Date {
  switch (view) {
    case 'week':
      return startOfWeek(anchor)
    case 'quarter':
      return startOfQuarter(anchor)
    default:
      return startOfMonth(anchor)
  }
}

export function stepPeriod(view: View, start: Date, direction: 1 | -1): Date {
  switch (view) {
    case 'week':
      return addDays(start, 7 * direction)
    case 'quarter':
      return addMonths(start, 3 * direction)
    default:
      return addMonths(start, direction)
  }
}

/** First and last day (inclusive) of the period. */
export function periodRange(view: View, start: Date): { first: Date; last: Date } {
  if (view === 'week') return { first: start, last: addDays(start, 6) }
  const months = view === 'quarter' ? 3 : 1
  return { first: start, last: dateOf(dayOf(addMonths(start, months)) - 1) }
}

/**
 * Rows to draw. Month and quarter views are Monday-based weeks covering the period; the week view
 * is one row; the timeline is one swimlane per channel across the whole month.
 */
export function rowsFor(view: View, start: Date, channels: (string | null)[]): Row[] {
  if (view === 'week') return [{ key: `w${dayOf(start)}`, start, days: 7 }]
  if (view === 'timeline') {
    const { first, last } = periodRange('month', start)
    const days = dayOf(last) - dayOf(first) + 1
    return channels.map((channel) => ({ key: `c:${channel ?? ''}`, start: first, days, channel }))
  }
  const { last } = periodRange(view, start)
  const weeks: Row[] = []
  for (let w = startOfWeek(start); dayOf(w) <= dayOf(last); w = addDays(w, 7)) weeks.push({ key: `w${dayOf(w)}`, start: w, days: 7 })
  return weeks
}

export { monthWeeks }
