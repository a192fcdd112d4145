import { useRef } from 'preact/hooks'
import type { Campaign, Money } from '../../sdk/index.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { dayOf, formatDay, isoDay, layoutRow } from './days.js'
import type { Row } from './views.js'

interface Props {
  rows: Row[]
  campaigns: Campaign[]
  actual: Map<string, Money>
  today: Date
  /** Days outside this month are dimmed (month and quarter views). */
  focusMonth?: number
  rowLabel?: (row: Row) => string
  onDayClick(day: Date): void
  onOpen(c: Campaign): void
  onShift(c: Campaign, startDelta: number, endDelta: number): void
}

/**
 * Rows of days with campaign bars laid out in lanes. Bars are buttons: Enter opens, Alt+←/→
 * moves a day, Alt+Shift+←/→ changes the end; dragging moves by whole days.
 */
export function Grid({ rows, campaigns, actual, today, focusMonth, rowLabel, onDayClick, onOpen, onShift }: Props) {
  const { locale, t } = useI18n()
  const drag = useRef<{ id: string; x: number; y: number; colWidth: number; rowHeight: number; week: boolean } | null>(null)
  const suppressClick = useRef(false)
  const spans = campaigns.map((c) => ({ id: c.id, start: c.startsAt, end: c.endsAt, campaign: c }))

  const onKey = (c: Campaign) => (e: KeyboardEvent) => {
    if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return
    e.preventDefault()
    const d = e.key === 'ArrowRight' ? 1 : -1
    if (e.shiftKey) onShift(c, 0, d)
    else onShift(c, d, d)
  }
  const onPointerDown = (c: Campaign, days: number) => (e: PointerEvent) => {
    const bar = e.currentTarget as HTMLElement
    const row = bar.closest('.ck-week') as HTMLElement | null
    if (!row || e.button !== 0) return
    // Capture, so the release is ours even when the pointer ends over another day.
    bar.setPointerCapture?.(e.pointerId)
    drag.current = { id: c.id, x: e.clientX, y: e.clientY, colWidth: row.clientWidth / days || 1, rowHeight: row.clientHeight || 1, week: days === 7 }
  }
  const onPointerUp = (c: Campaign) => (e: PointerEvent) => {
    const d = drag.current
    drag.current = null
    if (!d || d.id !== c.id) return
    const vertical = d.week ? 7 * Math.round((e.clientY - d.y) / d.rowHeight) : 0
    const days = Math.round((e.clientX - d.x) / d.colWidth) + vertical
    if (days !== 0) {
      suppressClick.current = true // a drag is not a click: don't open the editor as well
      onShift(c, days, days)
    }
  }
  const onClick = (c: Campaign) => () => {
    if (suppressClick.current) {
      suppressClick.current = false
      return
    }
    onOpen(c)
  }

  return (
    <div class="ck-rows">
      {rows.map((row) => {
        const days = Array.from({ length: row.days }, (_, i) => new Date(row.start.getTime() + i * 86_400_000))
        const items = row.channel === undefined ? spans : spans.filter((s) => (s.campaign.channel ?? null) === row.channel)
        const bars = layoutRow(row.start, row.days, items)
        return (
          <div class={rowLabel ? 'ck-row-wrap ck-row-wrap--labelled' : 'ck-row-wrap'} key={row.key}>
            {rowLabel && <div class="ck-row-label">{rowLabel(row)}</div>}
            <div class="ck-week" role="row" style={{ gridTemplateColumns: `repeat(${row.days}, minmax(0, 1fr))` }}>
              {days.map((day, i) => {
                const isToday = dayOf(day) === dayOf(today)
                const other = focusMonth !== undefined && day.getUTCMonth() !== focusMonth
                return (
                  <button
                    type="button"
                    role="gridcell"
                    key={isoDay(day)}
                    class={`ck-day${other ? ' ck-day--other' : ''}${isToday ? ' ck-day--today' : ''}`}
                    style={{ gridColumn: i + 1 }}
                    aria-current={isToday ? 'date' : undefined}
                    aria-label={formatDay(day, locale, { day: 'numeric', month: 'long' })}
                    onClick={() => onDayClick(day)}
                  >
                    {day.getUTCDate()}
                  </button>
                )
              })}
              {bars.map((b) => {
                const c = b.item.campaign
                const spent = actual.get(c.id)
                const budget = c.plannedBudget
                  ? `${t('campaign.planned')} ${formatMoney(c.plannedBudget, locale)}${spent ? ` / ${t('campaign.actual')} ${formatMoney(spent, locale)}` : ''}`
                  : ''
                const over = !!(spent && c.plannedBudget && spent.currency === c.plannedBudget.currency && spent.minor > c.plannedBudget.minor)
                return (
                  <button
                    type="button"
                    key={c.id}
                    class={`ck-bar${b.continuesBefore ? ' ck-bar--cont-before' : ''}${b.continuesAfter ? ' ck-bar--cont-after' : ''}${over ? ' ck-bar--over' : ''}`}
                    style={{ gridColumn: `${b.from + 1} / ${b.to + 2}`, gridRow: b.lane + 2 }}
                    data-campaign-id={c.id}
                    title={`${c.name} · ${isoDay(c.startsAt)} – ${isoDay(c.endsAt)}${budget ? ` · ${budget}` : ''}`}
                    onClick={onClick(c)}
                    onKeyDown={onKey(c)}
                    onPointerDown={onPointerDown(c, row.days)}
                    onPointerUp={onPointerUp(c)}
                  >
                    {c.name}
                    {budget && <span class="ck-bar__budget"> · {budget}</span>}
                  </button>
                )
              })}
            </div>
          </div>
        )
      })}
    </div>
  )
}
