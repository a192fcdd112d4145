import { invalid } from './errors.js'
import { isValidDate } from './dates.js'

/** A scheduled campaign or activity on the marketing calendar. */
export interface CalendarItem {
  id: string
  name: string
  channel: string | null
  /** Audience segments it targets. */
  segments?: readonly string[]
  startsAt: Date
  /** Inclusive: a campaign ending 31 March runs on 31 March (see `endExclusive`). */
  endsAt: Date
  ownerId?: string | null
  description?: string | null
  url?: string | null
}

export type OverlapRule = 'channel' | 'segment' | 'channel-and-segment' | 'channel-or-segment'

export interface Overlap {
  a: string
  b: string
  /** The intersection of the two date ranges. */
  from: Date
  to: Date
  /** The shared channel, when they share one. */
  channel: string | null
  sharedSegments: string[]
}

export function validateCalendarItems(items: readonly CalendarItem[]): void {
  items.forEach((it, i) => {
    if (typeof it.id !== 'string' || !it.id) invalid(['items', i, 'id'], 'must be a non-empty id')
    if (!isValidDate(it.startsAt)) invalid(['items', i, 'startsAt'], 'must be a valid Date')
    if (!isValidDate(it.endsAt)) invalid(['items', i, 'endsAt'], 'must be a valid Date')
    if (it.endsAt.getTime() < it.startsAt.getTime()) invalid(['items', i, 'endsAt'], 'must not be before startsAt', 'end_before_start')
  })
}

/**
 * Pairs of items whose dates intersect and that compete for the same channel and/or audience
 * (default `channel-or-segment`). Sweep line over start times: O(n log n + pairs checked).
 * `endExclusive: true` treats ends as instants (a campaign ending 10:00 and one starting 10:00
 * do not overlap).
 */
export function findOverlaps(items: readonly CalendarItem[], options: { rule?: OverlapRule; endExclusive?: boolean } = {}): Overlap[] {
  validateCalendarItems(items)
  const rule = options.rule ?? 'channel-or-segment'
  const exclusive = options.endExclusive ?? false
  const order = items.map((_, i) => i).sort((x, y) => items[x]!.startsAt.getTime() - items[y]!.startsAt.getTime() || x - y)
  const active: number[] = []
  const out: Overlap[] = []
  for (const i of order) {
    const it = items[i]!
    const s = it.startsAt.getTime()
    // Drop items that ended before this one starts.
    for (let k = active.length - 1; k >= 0; k--) {
      const e = items[active[k]!]!.endsAt.getTime()
      if (exclusive ? e <= s : e < s) active.splice(k, 1)
    }
    for (const k of active) {
      const other = items[k]!
      const channel = it.channel !== null && it.channel === other.channel ? it.channel : null
      const segs = new Set(other.segments ?? [])
      const shared = [...new Set(it.segments ?? [])].filter((x) => segs.has(x)).sort()
      const hit =
        rule === 'channel' ? channel !== null
        : rule === 'segment' ? shared.length > 0
        : rule === 'channel-and-segment' ? channel !== null && shared.length > 0
        : channel !== null || shared.length > 0
      if (!hit) continue
      const [a, b] = other.startsAt.getTime() < s || (other.startsAt.getTime() === s && k < i) ? [other, it] : [it, other]
      out.push({
        a: a.id,
        b: b.id,
        from: new Date(s),
        to: new Date(Math.min(it.endsAt.getTime(), other.endsAt.getTime())),
        channel,
        sharedSegments: shared,
      })
    }
    active.push(i)
  }
  return out
}
