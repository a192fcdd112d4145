import { describe, expect, it } from 'vitest'
import { dayOf, isoDay, layoutRow, monthWeeks, parseIsoDay, startOfWeek, weekday } from '../../widgets/calendar/days.js'

const d = (s: string) => new Date(`${s}T00:00:00Z`)

describe('calendar days (UTC)', () => {
  it('weeks start on Monday and cover the whole month', () => {
    const weeks = monthWeeks(d('2026-03-15'))
    expect(isoDay(weeks[0]![0]!)).toBe('2026-02-23') // March 1st 2026 is a Sunday
    expect(isoDay(weeks.at(-1)![6]!)).toBe('2026-04-05')
    expect(weeks.every((w) => w.length === 7 && weekday(dayOf(w[0]!)) === 0)).toBe(true)
    expect(isoDay(startOfWeek(d('2026-11-25')))).toBe('2026-11-23')
  })

  it('stacks overlapping campaigns in lanes and clips them to the row', () => {
    const row = d('2026-03-02')
    const bars = layoutRow(row, 7, [
      { id: 'a', start: d('2026-02-20'), end: d('2026-03-04') },
      { id: 'b', start: d('2026-03-03'), end: d('2026-03-10') },
      { id: 'c', start: d('2026-03-05'), end: d('2026-03-05') },
      { id: 'gone', start: d('2026-03-20'), end: d('2026-03-21') },
    ])
    expect(bars.map((b) => [b.item.id, b.from, b.to, b.lane, b.continuesBefore, b.continuesAfter])).toEqual([
      ['a', 0, 2, 0, true, false],
      ['b', 1, 6, 1, false, true],
      ['c', 3, 3, 0, false, false],
    ])
  })

  it('parses only real calendar days', () => {
    expect(parseIsoDay('2026-02-28')?.toISOString()).toBe('2026-02-28T00:00:00.000Z')
    expect(parseIsoDay('2026-02-30')).toBeNull()
    expect(parseIsoDay('28.02.2026')).toBeNull()
  })
})
