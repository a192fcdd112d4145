import { addDays, dayKey, isoWeekKey, isValidDate, DAY_MS } from './dates.js'
import { invalid } from './errors.js'

/** A campaign that contacts every member of its segments on a fixed cadence. */
export interface PressureCampaign {
  id: string
  segments: readonly string[]
  channel?: string | null
  startsAt: Date
  endsAt: Date
  /** A send every `everyDays` days from the start (1 = daily, 7 = weekly). */
  everyDays: number
  /** Messages each contact gets per send (default 1). */
  messagesPerSend?: number
}

export interface PressureOptions {
  /** Caps per contact; a window above a cap is a violation. */
  capPerDay?: number
  capPerWeek?: number
  /** Sliding window (Adobe Campaign fatigue rules): at most `cap` messages in any `days` consecutive days. */
  sliding?: { days: number; cap: number }
  /** Days and ISO weeks are counted in this IANA zone (default UTC). */
  timeZone?: string
  /** Count only these channels (default all: pressure is per contact, whatever the channel). */
  channels?: readonly string[]
}

export interface PressureCell {
  segment: string
  /** YYYY-MM-DD, YYYY-Www, or the first day of a sliding window. */
  period: string
  /** Messages per contact of the segment in the period. */
  messages: number
  campaigns: string[]
}

export interface PressureViolation extends PressureCell {
  window: 'day' | 'week' | 'sliding'
  cap: number
}

export interface PressureReport {
  days: PressureCell[]
  weeks: PressureCell[]
  violations: PressureViolation[]
}

/**
 * Messages per contact per segment per day and per ISO week, with the windows above the caps.
 * Segments are treated as given: a contact in two segments is counted in each, so overlapping
 * segments should be modelled as their own segment if their combined load matters.
 */
export function contactPressure(campaigns: readonly PressureCampaign[], options: PressureOptions = {}): PressureReport {
  const tz = options.timeZone ?? 'UTC'
  for (const [name, v] of [['capPerDay', options.capPerDay], ['capPerWeek', options.capPerWeek]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) invalid([name], 'must be a non-negative number', 'too_small')
  }
  if (options.sliding && !(Number.isInteger(options.sliding.days) && options.sliding.days >= 1)) invalid(['sliding', 'days'], 'must be a positive integer', 'too_small')
  // A missing or NaN cap would compare false with every count and silently flag nothing.
  if (options.sliding && !(Number.isFinite(options.sliding.cap) && options.sliding.cap >= 0)) invalid(['sliding', 'cap'], 'must be a non-negative number', 'too_small')
  const channels = options.channels ? new Set(options.channels) : null
  // segment → day → {messages, campaigns}
  const perDay = new Map<string, Map<string, { messages: number; campaigns: Set<string> }>>()
  campaigns.forEach((c, i) => {
    if (!isValidDate(c.startsAt)) invalid(['campaigns', i, 'startsAt'], 'must be a valid Date')
    if (!isValidDate(c.endsAt)) invalid(['campaigns', i, 'endsAt'], 'must be a valid Date')
    if (c.endsAt.getTime() < c.startsAt.getTime()) invalid(['campaigns', i, 'endsAt'], 'must not be before startsAt', 'end_before_start')
    if (!(Number.isFinite(c.everyDays) && c.everyDays > 0)) invalid(['campaigns', i, 'everyDays'], 'must be greater than zero', 'too_small')
    const per = c.messagesPerSend ?? 1
    if (!(Number.isFinite(per) && per >= 0)) invalid(['campaigns', i, 'messagesPerSend'], 'must not be negative', 'too_small')
    if (channels && !channels.has(c.channel ?? '')) return
    for (let t = c.startsAt.getTime(); t <= c.endsAt.getTime(); t += c.everyDays * DAY_MS) {
      const day = dayKey(t, tz)
      for (const seg of new Set(c.segments)) {
        let days = perDay.get(seg)
        if (!days) perDay.set(seg, (days = new Map()))
        let cell = days.get(day)
        if (!cell) days.set(day, (cell = { messages: 0, campaigns: new Set() }))
        cell.messages += per
        cell.campaigns.add(c.id)
      }
    }
  })
  const days: PressureCell[] = []
  const weeks: PressureCell[] = []
  const violations: PressureViolation[] = []
  for (const seg of [...perDay.keys()].sort()) {
    const dayMap = perDay.get(seg)!
    const sortedDays = [...dayMap.keys()].sort()
    const weekMap = new Map<string, { messages: number; campaigns: Set<string> }>()
    for (const d of sortedDays) {
      const cell = dayMap.get(d)!
      const out = { segment: seg, period: d, messages: cell.messages, campaigns: [...cell.campaigns].sort() }
      days.push(out)
      if (options.capPerDay !== undefined && cell.messages > options.capPerDay) violations.push({ ...out, window: 'day', cap: options.capPerDay })
      const wk = isoWeekKey(d)
      let w = weekMap.get(wk)
      if (!w) weekMap.set(wk, (w = { messages: 0, campaigns: new Set() }))
      w.messages += cell.messages
      for (const id of cell.campaigns) w.campaigns.add(id)
    }
    for (const [wk, w] of weekMap) {
      const out = { segment: seg, period: wk, messages: w.messages, campaigns: [...w.campaigns].sort() }
      weeks.push(out)
      if (options.capPerWeek !== undefined && w.messages > options.capPerWeek) violations.push({ ...out, window: 'week', cap: options.capPerWeek })
    }
    if (options.sliding && sortedDays.length > 0) {
      // Each window starting on a send day; the sum over [d, d + days − 1].
      const { days: len, cap } = options.sliding
      for (const d of sortedDays) {
        const last = addDays(d, len - 1)
        let messages = 0
        const ids = new Set<string>()
        for (const e of sortedDays) {
          if (e < d || e > last) continue
          const cell = dayMap.get(e)!
          messages += cell.messages
          for (const id of cell.campaigns) ids.add(id)
        }
        if (messages > cap) violations.push({ segment: seg, period: d, messages, campaigns: [...ids].sort(), window: 'sliding', cap })
      }
    }
  }
  return { days, weeks, violations }
}
