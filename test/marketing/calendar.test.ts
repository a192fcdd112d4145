import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../sdk/errors.js'
import { contactPressure, findOverlaps, isoWeekKey, dayKey, toCsv, toICalendar, type CalendarItem } from '../../sdk/marketing/index.js'

const d = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s)

const items: CalendarItem[] = [
  { id: 'a', name: 'Весна: поиск', channel: 'paid-search', segments: ['b2b'], startsAt: d('2026-03-01'), endsAt: d('2026-03-10') },
  { id: 'b', name: 'Поиск бренд', channel: 'paid-search', segments: ['b2c'], startsAt: d('2026-03-10'), endsAt: d('2026-03-20') },
  { id: 'c', name: 'Рассылка', channel: 'email', segments: ['b2b'], startsAt: d('2026-03-05'), endsAt: d('2026-03-06') },
  { id: 'd', name: '=HYPERLINK("x")', channel: 'email', segments: ['vip'], startsAt: d('2026-04-01'), endsAt: d('2026-04-02') },
]

describe('overlaps', () => {
  it('same channel or same segment with intersecting dates (ends inclusive by default)', () => {
    const o = findOverlaps(items)
    expect(o.map((x) => [x.a, x.b, x.channel, x.sharedSegments])).toEqual([
      ['a', 'c', null, ['b2b']],
      ['a', 'b', 'paid-search', []],
    ])
    expect(o[1]!.from.toISOString().slice(0, 10)).toBe('2026-03-10')
  })

  it('rules narrow the match; exclusive ends drop a touching pair', () => {
    expect(findOverlaps(items, { rule: 'channel' }).map((x) => x.a + x.b)).toEqual(['ab'])
    expect(findOverlaps(items, { rule: 'segment' }).map((x) => x.a + x.b)).toEqual(['ac'])
    expect(findOverlaps(items, { rule: 'channel-and-segment' })).toEqual([])
    expect(findOverlaps(items, { rule: 'channel', endExclusive: true })).toEqual([])
  })

  it('end before start is a ValidationError naming the field', () => {
    try {
      findOverlaps([{ ...items[0]!, endsAt: d('2026-02-01') }])
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError)
      expect((e as ValidationError).issues[0]!.path).toEqual(['items', 0, 'endsAt'])
    }
  })
})

describe('contact pressure', () => {
  const campaigns = [
    { id: 'daily', segments: ['b2c'], channel: 'sms', startsAt: d('2026-03-02'), endsAt: d('2026-03-08'), everyDays: 1 },
    { id: 'weekly', segments: ['b2c', 'b2b'], channel: 'email', startsAt: d('2026-03-02'), endsAt: d('2026-03-15'), everyDays: 7, messagesPerSend: 2 },
  ]

  it('counts messages per contact per day and ISO week and flags windows over the caps', () => {
    const r = contactPressure(campaigns, { capPerDay: 2, capPerWeek: 8 })
    const b2cMonday = r.days.find((x) => x.segment === 'b2c' && x.period === '2026-03-02')!
    expect(b2cMonday).toEqual({ segment: 'b2c', period: '2026-03-02', messages: 3, campaigns: ['daily', 'weekly'] })
    expect(r.weeks.filter((x) => x.segment === 'b2c').map((x) => [x.period, x.messages])).toEqual([
      ['2026-W10', 9],
      ['2026-W11', 2],
    ])
    expect(r.violations.map((v) => [v.window, v.segment, v.period, v.messages])).toEqual([
      ['day', 'b2c', '2026-03-02', 3],
      ['week', 'b2c', '2026-W10', 9],
    ])
  })

  it('sliding windows and channel filters', () => {
    const r = contactPressure(campaigns, { sliding: { days: 3, cap: 4 }, channels: ['sms'] })
    expect(r.days.every((x) => x.campaigns.join() === 'daily')).toBe(true)
    expect(r.violations).toEqual([])
    const all = contactPressure(campaigns, { sliding: { days: 3, cap: 4 } })
    expect(all.violations.map((v) => [v.segment, v.period, v.messages])).toEqual([['b2c', '2026-03-02', 5]])
  })

  it('days follow the requested time zone', () => {
    const late = [{ id: 'x', segments: ['s'], startsAt: d('2026-03-02T22:30:00Z'), endsAt: d('2026-03-02T22:30:00Z'), everyDays: 1 }]
    expect(contactPressure(late).days[0]!.period).toBe('2026-03-02')
    expect(contactPressure(late, { timeZone: 'Europe/Moscow' }).days[0]!.period).toBe('2026-03-03')
    expect(dayKey(d('2026-03-02T22:30:00Z').getTime(), 'Europe/Kyiv')).toBe('2026-03-03')
    expect(isoWeekKey('2026-01-01')).toBe('2026-W01')
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53')
  })

  it('bad cadence is a ValidationError naming the field', () => {
    try {
      contactPressure([{ ...campaigns[0]!, everyDays: 0 }])
      expect.unreachable()
    } catch (e) {
      expect((e as ValidationError).issues[0]!.path).toEqual(['campaigns', 0, 'everyDays'])
    }
  })

  it('an invalid sliding cap is a ValidationError on sliding.cap (it would otherwise flag nothing)', () => {
    for (const cap of [-1, Number.NaN, Number.POSITIVE_INFINITY, undefined]) {
      try {
        contactPressure(campaigns, { sliding: { days: 3, cap: cap as number } })
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError)
        expect((e as ValidationError).issues[0]).toMatchObject({ path: ['sliding', 'cap'], code: 'too_small' })
      }
    }
    // A cap of 0 is valid: every send is over it.
    expect(contactPressure(campaigns, { sliding: { days: 1, cap: 0 }, channels: ['sms'] }).violations).toHaveLength(7)
  })
})

describe('exports', () => {
  it('iCalendar: one all-day VEVENT per item, exclusive DTEND, escaped text, stable UIDs', () => {
    const ics = toICalendar(items, { stamp: d('2026-01-01'), timeZone: 'Europe/Moscow' })
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true)
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(4)
    expect(ics).toContain('UID:a@crmkit.marketing')
    expect(ics).toContain('DTSTART;VALUE=DATE:20260301')
    expect(ics).toContain('DTEND;VALUE=DATE:20260311')
    expect(ics).toContain('SUMMARY:Весна: поиск')
    expect(ics).toContain('CATEGORIES:paid-search,b2b')
    expect(ics).toContain('\r\n')
  })

  it('iCalendar: timed events are written in UTC', () => {
    const ics = toICalendar([{ id: 't', name: 'Вебинар', channel: 'offline', startsAt: d('2026-03-05T09:00:00Z'), endsAt: d('2026-03-05T10:30:00Z') }], { allDay: false, stamp: d('2026-01-01') })
    expect(ics).toContain('DTSTART:20260305T090000Z')
    expect(ics).toContain('DTEND:20260305T103000Z')
  })

  it('time zones are explicit: X-WR-TIMEZONE in the header, days computed in the zone in both exports', () => {
    // 22:30 UTC on 1 March is already 2 March in Moscow (UTC+3).
    const late: CalendarItem[] = [{ id: 'm', name: 'Ночной старт', channel: 'email', startsAt: d('2026-03-01T22:30:00Z'), endsAt: d('2026-03-02T22:30:00Z') }]
    const ics = toICalendar(late, { stamp: d('2026-01-01'), timeZone: 'Europe/Moscow' })
    expect(ics).toContain('DTSTART;VALUE=DATE:20260302\r\n')
    expect(ics).toContain('DTEND;VALUE=DATE:20260304\r\n')
    expect(ics).toContain('\r\nX-WR-TIMEZONE:Europe/Moscow\r\n')
    // A calendar property: before the first component (RFC 5545 icalbody = calprops component).
    expect(ics.indexOf('X-WR-TIMEZONE')).toBeLessThan(ics.indexOf('BEGIN:VEVENT'))
    expect(ics).toContain('DTSTAMP:20260101T000000Z') // still UTC
    expect(toICalendar(late, { stamp: d('2026-01-01') })).toContain('DTSTART;VALUE=DATE:20260301\r\n')
    expect(toICalendar(late, { stamp: d('2026-01-01') })).toContain('\r\nX-WR-TIMEZONE:UTC\r\n')
    // Timed events stay in UTC; the header names the zone to show them in.
    const timed = toICalendar(late, { allDay: false, stamp: d('2026-01-01'), timeZone: 'Europe/Moscow' })
    expect(timed).toContain('DTSTART:20260301T223000Z')
    expect(timed).toContain('X-WR-TIMEZONE:Europe/Moscow')
    expect(toICalendar([], { timeZone: 'Europe/Moscow' })).toMatch(/X-WR-TIMEZONE:Europe\/Moscow\r\nEND:VCALENDAR/)

    const csv = Papa.parse<Record<string, string>>(toCsv(late, { timeZone: 'Europe/Moscow' }).slice(1).trim(), { header: true }).data
    expect(csv[0]).toMatchObject({ start_day: '2026-03-02', end_day: '2026-03-03', starts_at_utc: '2026-03-01T22:30:00.000Z', time_zone: 'Europe/Moscow' })
  })

  it('an unknown time zone is a ValidationError on timeZone, also for timed events', () => {
    for (const allDay of [true, false]) {
      try {
        toICalendar(items, { timeZone: 'Mars/Olympus', allDay })
        expect.unreachable()
      } catch (e) {
        expect((e as ValidationError).issues[0]!.path).toEqual(['timeZone'])
      }
    }
  })

  it('CSV: BOM, explicit time zone, formula cells neutralised, round-trips', () => {
    const csv = toCsv(items, { timeZone: 'Europe/Kyiv', delimiter: ';' })
    expect(csv.startsWith('\ufeffid;name;channel')).toBe(true)
    const parsed = Papa.parse<string[]>(csv.slice(1).trim(), { delimiter: ';' }).data
    expect(parsed[1]).toEqual(['a', 'Весна: поиск', 'paid-search', 'b2b', '2026-03-01', '2026-03-10', '2026-03-01T00:00:00.000Z', '2026-03-10T00:00:00.000Z', 'Europe/Kyiv', '', ''])
    expect(parsed[4]![1]).toBe(`'=HYPERLINK("x")`)
  })
})
