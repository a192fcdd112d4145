import { useMemo, useRef, useState } from 'preact/hooks'
import type { Campaign, Crm } from '../../sdk/index.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { CampaignDialog } from './CampaignDialog.js'
import { addDays, addMonths, dayOf, formatDay, isoDay, layoutRow, monthWeeks, startOfMonth, todayUtc } from './days.js'
import { useCampaigns } from './use-campaigns.js'

interface Props {
  crm: Crm
  /** Injected in tests; the real clock otherwise. */
  now?: Date
}

type Editing = { kind: 'new'; day: Date } | { kind: 'edit'; campaign: Campaign } | null

/**
 * The marketing calendar, month view. Campaign bars are buttons: Enter opens the campaign,
 * Alt+←/→ moves it a day, Alt+Shift+←/→ changes its end; dragging a bar moves it too.
 */
export function CalendarApp({ crm, now }: Props) {
  const { t, locale } = useI18n()
  const today = todayUtc(now)
  const [month, setMonth] = useState(startOfMonth(today))
  const [editing, setEditing] = useState<Editing>(null)
  const store = useCampaigns(crm)
  const weeks = useMemo(() => monthWeeks(month), [month])
  const spans = useMemo(() => store.campaigns.map((c) => ({ id: c.id, start: c.startsAt, end: c.endsAt, campaign: c })), [store.campaigns])
  const drag = useRef<{ id: string; x: number; y: number; colWidth: number; rowHeight: number } | null>(null)
  const suppressClick = useRef(false)

  const shift = (c: Campaign, startDelta: number, endDelta: number) => {
    const startsAt = addDays(c.startsAt, startDelta)
    const endsAt = addDays(c.endsAt, endDelta)
    if (dayOf(endsAt) < dayOf(startsAt)) return
    void store.update(c.id, { startsAt, endsAt })
  }

  const onBarKey = (c: Campaign) => (e: KeyboardEvent) => {
    if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return
    e.preventDefault()
    const d = e.key === 'ArrowRight' ? 1 : -1
    if (e.shiftKey) shift(c, 0, d)
    else shift(c, d, d)
  }

  const onPointerDown = (c: Campaign) => (e: PointerEvent) => {
    const bar = e.currentTarget as HTMLElement
    const row = bar.closest('.ck-week') as HTMLElement | null
    if (!row || e.button !== 0) return
    // Capture, so the release is ours even when the pointer ends over another day.
    bar.setPointerCapture?.(e.pointerId)
    drag.current = { id: c.id, x: e.clientX, y: e.clientY, colWidth: row.clientWidth / 7 || 1, rowHeight: row.clientHeight || 1 }
  }
  const onPointerUp = (c: Campaign) => (e: PointerEvent) => {
    const d = drag.current
    drag.current = null
    if (!d || d.id !== c.id) return
    const days = Math.round((e.clientX - d.x) / d.colWidth) + 7 * Math.round((e.clientY - d.y) / d.rowHeight)
    if (days !== 0) {
      suppressClick.current = true // a drag is not a click: don't open the editor as well
      shift(c, days, days)
    }
  }
  const onBarClick = (c: Campaign) => () => {
    if (suppressClick.current) {
      suppressClick.current = false
      return
    }
    setEditing({ kind: 'edit', campaign: c })
  }

  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(month)
  const title = monthName.charAt(0).toUpperCase() + monthName.slice(1)
  const firstShown = weeks[0]![0]!
  const lastShown = weeks.at(-1)![6]!
  const inView = spans.some((s) => s.start <= lastShown && s.end >= firstShown)
  const weekdayNames = weeks[0]!.map((d) => formatDay(d, locale, { weekday: 'short' }))

  return (
    <section class="ck-calendar" aria-label={t('calendar.title')}>
      <header class="ck-toolbar">
        <h1 class="ck-toolbar__title">{title}</h1>
        <div class="ck-toolbar__nav">
          <button type="button" onClick={() => setMonth(addMonths(month, -1))} aria-label={t('calendar.prev')}>
            ‹
          </button>
          <button type="button" onClick={() => setMonth(startOfMonth(today))}>
            {t('calendar.today')}
          </button>
          <button type="button" onClick={() => setMonth(addMonths(month, 1))} aria-label={t('calendar.next')}>
            ›
          </button>
        </div>
        <button type="button" class="ck-primary" onClick={() => setEditing({ kind: 'new', day: today })}>
          {t('calendar.new')}
        </button>
      </header>

      {store.rejected && (
        <p class="ck-alert" role="alert">
          {t('error.saveFailed', { message: store.rejected })}{' '}
          <button type="button" onClick={store.dismissRejected}>
            {t('dialog.close')}
          </button>
        </p>
      )}

      {store.state.kind === 'loading' && (
        <p class="ck-status" role="status">
          {t('calendar.loading')}
        </p>
      )}
      {store.state.kind === 'error' && (
        <p class="ck-alert" role="alert">
          {t('calendar.error', { message: store.state.message })}{' '}
          <button type="button" onClick={store.reload}>
            {t('calendar.retry')}
          </button>
        </p>
      )}

      {store.state.kind === 'ready' && (
        <div class="ck-month" role="grid" aria-label={title}>
          <div class="ck-weekdays" role="row">
            {weekdayNames.map((n) => (
              <span role="columnheader" key={n}>
                {n}
              </span>
            ))}
          </div>
          {weeks.map((week) => {
            const bars = layoutRow(week[0]!, 7, spans)
            return (
              <div class="ck-week" role="row" key={isoDay(week[0]!)}>
                {week.map((day, i) => (
                  <button
                    type="button"
                    role="gridcell"
                    key={isoDay(day)}
                    class={`ck-day${day.getUTCMonth() === month.getUTCMonth() ? '' : ' ck-day--other'}${dayOf(day) === dayOf(today) ? ' ck-day--today' : ''}`}
                    style={{ gridColumn: i + 1 }}
                    aria-current={dayOf(day) === dayOf(today) ? 'date' : undefined}
                    aria-label={formatDay(day, locale, { day: 'numeric', month: 'long' })}
                    onClick={() => setEditing({ kind: 'new', day })}
                  >
                    {day.getUTCDate()}
                  </button>
                ))}
                {bars.map((b) => (
                  <button
                    type="button"
                    key={b.item.id}
                    class={`ck-bar${b.continuesBefore ? ' ck-bar--cont-before' : ''}${b.continuesAfter ? ' ck-bar--cont-after' : ''}`}
                    style={{ gridColumn: `${b.from + 1} / ${b.to + 2}`, gridRow: b.lane + 2 }}
                    data-campaign-id={b.item.id}
                    title={`${b.item.campaign.name} · ${isoDay(b.item.start)} – ${isoDay(b.item.end)}`}
                    onClick={onBarClick(b.item.campaign)}
                    onKeyDown={onBarKey(b.item.campaign)}
                    onPointerDown={onPointerDown(b.item.campaign)}
                    onPointerUp={onPointerUp(b.item.campaign)}
                  >
                    {b.item.campaign.name}
                    {b.item.campaign.plannedBudget && (
                      <span class="ck-bar__budget"> · {formatMoney(b.item.campaign.plannedBudget, locale)}</span>
                    )}
                  </button>
                ))}
              </div>
            )
          })}
          {!inView && <p class="ck-status">{t('calendar.empty')}</p>}
        </div>
      )}

      {editing && (
        <CampaignDialog
          {...(editing.kind === 'edit' ? { campaign: editing.campaign } : { defaultDay: editing.day })}
          onClose={() => setEditing(null)}
          onSave={async (input) => {
            const failure = editing.kind === 'edit' ? await store.update(editing.campaign.id, input) : await store.create(input)
            if (!failure) setEditing(null)
            return failure
          }}
        />
      )}
    </section>
  )
}
