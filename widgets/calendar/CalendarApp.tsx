import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Campaign, CampaignCreate, Crm } from '../../sdk/index.js'
import { findOverlaps, type CalendarItem } from '../../sdk/marketing/calendar.js'
import { CHANNELS } from '../../sdk/marketing/channel-names.js'
import { downloadText } from '../ui/csv.js'
import { useI18n } from '../ui/i18n.js'
import type { MessageKey } from '../ui/messages.js'
import { campaignEdit, UNKNOWN_USER } from './budget-edit.js'
import { CampaignDialog } from './CampaignDialog.js'
import { addDays, dayOf, formatDay, todayUtc } from './days.js'
import { applyFilters, loadFilters, noFilters, saveFilters, type Filters } from './filters.js'
import { Grid } from './Grid.js'
import { periodRange, periodStart, rowsFor, stepPeriod, VIEWS, type View } from './views.js'
import { useCampaigns } from './use-campaigns.js'

interface Props {
  crm: Crm
  /** Injected in tests; the real clock otherwise. */
  now?: Date
  /** Where this user's filters are remembered (per user and account). */
  storageKey?: string
  /** Who is looking: named in the approval history when an edit sends a budget back for approval. */
  userId?: string | null
}

type Editing = { kind: 'new'; day: Date; copyOf?: Campaign } | { kind: 'edit'; campaign: Campaign } | null

const STATUSES = ['planned', 'active', 'paused', 'completed', 'cancelled'] as const

/** The marketing calendar: month, week, quarter and a channel timeline over the account's campaigns. */
export function CalendarApp({ crm, now, storageKey = `crmkit.calendar.filters.${crm.crm}`, userId = null }: Props) {
  const { t, locale, lang } = useI18n()
  const today = todayUtc(now)
  const [view, setView] = useState<View>('month')
  const [start, setStart] = useState(periodStart('month', today))
  const [editing, setEditing] = useState<Editing>(null)
  const [filters, setFilters] = useState<Filters>(() => loadFilters(storageKey))
  const [root, setRoot] = useState<HTMLElement | null>(null)
  const [exportFailed, setExportFailed] = useState(false)
  // ical-generator and papaparse load on the first export click, not with the calendar.
  const exportFile = async (name: string, type: string, make: () => Promise<string>) => {
    setExportFailed(false)
    try {
      downloadText(name, type, await make(), root)
    } catch {
      setExportFailed(true)
    }
  }
  const store = useCampaigns(crm)
  useEffect(() => saveFilters(storageKey, filters), [storageKey, filters])

  const channelName = (code: string | null) =>
    code === null || code === '' ? t('calendar.noChannel') : ((CHANNELS as Record<string, Record<string, string>>)[code]?.[lang] ?? code)
  const visible = useMemo(() => applyFilters(store.campaigns, filters), [store.campaigns, filters])
  const channels = useMemo(() => [...new Set(store.campaigns.map((c) => c.channel ?? ''))].sort(), [store.campaigns])
  const owners = useMemo(() => [...new Set(store.campaigns.flatMap((c) => (c.ownerId ? [c.ownerId] : [])))].sort(), [store.campaigns])
  const { first, last } = periodRange(view, start)
  const inPeriod = visible.filter((c) => c.startsAt <= last && c.endsAt >= first)
  const rows = rowsFor(view, start, [...new Set(inPeriod.map((c) => c.channel ?? null))].sort((a, b) => (a ?? '').localeCompare(b ?? '')))
  const items: CalendarItem[] = inPeriod.map((c) => ({ id: c.id, name: c.name, channel: c.channel, startsAt: c.startsAt, endsAt: c.endsAt, ownerId: c.ownerId }))
  // Same channel, intersecting dates: the engine's rule, shown as warnings for the period in view.
  const overlaps = useMemo(() => findOverlaps(items, { rule: 'channel' }), [inPeriod.map((c) => `${c.id}${+c.startsAt}${+c.endsAt}`).join()])
  const byId = new Map(store.campaigns.map((c) => [c.id, c]))

  const switchView = (v: View) => {
    // Keep today in view when it is in the current period; otherwise keep the period's start.
    const anchor = dayOf(today) >= dayOf(first) && dayOf(today) <= dayOf(last) ? today : start
    setView(v)
    setStart(periodStart(v, anchor))
  }
  const shift = (c: Campaign, startDelta: number, endDelta: number) => {
    const startsAt = addDays(c.startsAt, startDelta)
    const endsAt = addDays(c.endsAt, endDelta)
    if (dayOf(endsAt) < dayOf(startsAt)) return
    void store.update(c.id, { startsAt, endsAt })
  }
  const choose = (key: keyof Filters) => (e: Event) => {
    const value = (e.currentTarget as HTMLSelectElement).value
    setFilters({ ...filters, [key]: value === '' ? [] : [value] })
  }

  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(start)
  const title =
    view === 'week'
      ? `${formatDay(first, locale)} – ${formatDay(last, locale, { day: 'numeric', month: 'short', year: 'numeric' })}`
      : view === 'quarter'
        ? `Q${Math.floor(start.getUTCMonth() / 3) + 1} ${start.getUTCFullYear()}`
        : monthName.charAt(0).toUpperCase() + monthName.slice(1)
  const weekdays = Array.from({ length: 7 }, (_, i) => formatDay(addDays(new Date(Date.UTC(2026, 0, 5)), i), locale, { weekday: 'short' }))
  const canDelete = crm.capabilities.collections.campaigns.delete

  return (
    <section class="ck-calendar" aria-label={t('calendar.title')} ref={setRoot}>
      <header class="ck-toolbar">
        <h1 class="ck-toolbar__title">{title}</h1>
        <div class="ck-toolbar__nav">
          <button type="button" onClick={() => setStart(stepPeriod(view, start, -1))} aria-label={t('calendar.prev')}>
            ‹
          </button>
          <button type="button" onClick={() => setStart(periodStart(view, today))}>
            {t('calendar.today')}
          </button>
          <button type="button" onClick={() => setStart(stepPeriod(view, start, 1))} aria-label={t('calendar.next')}>
            ›
          </button>
        </div>
        <div class="ck-segmented" role="group" aria-label={t('calendar.view')}>
          {VIEWS.map((v) => (
            <button type="button" key={v} aria-pressed={view === v} onClick={() => switchView(v)}>
              {t(`calendar.view.${v}` as MessageKey)}
            </button>
          ))}
        </div>
        <button type="button" class="ck-primary" onClick={() => setEditing({ kind: 'new', day: today })}>
          {t('calendar.new')}
        </button>
      </header>

      <div class="ck-filters" role="group" aria-label={t('calendar.filters')}>
        <label>
          {t('filter.channel')}{' '}
          <select value={filters.channels[0] ?? ''} onChange={choose('channels')}>
            <option value="">{t('filter.all')}</option>
            {channels.map((c) => (
              <option value={c} key={c}>
                {channelName(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filter.status')}{' '}
          <select value={filters.statuses[0] ?? ''} onChange={choose('statuses')}>
            <option value="">{t('filter.all')}</option>
            {STATUSES.map((s) => (
              <option value={s} key={s}>
                {t(`status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {owners.length > 0 && (
          <label>
            {t('filter.owner')}{' '}
            <select value={filters.owners[0] ?? ''} onChange={choose('owners')}>
              <option value="">{t('filter.all')}</option>
              {owners.map((o) => (
                <option value={o} key={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
        )}
        {(filters.channels.length > 0 || filters.statuses.length > 0 || filters.owners.length > 0) && (
          <button type="button" onClick={() => setFilters(noFilters)}>
            {t('filter.reset')}
          </button>
        )}
        <span class="ck-spacer" />
        <button
          type="button"
          onClick={() =>
            exportFile('campaigns.ics', 'text/calendar', async () =>
              (await import(/* webpackChunkName: "export-ical" */ '../../sdk/marketing/export-ical.js')).toICalendar(items, { name: t('calendar.title') }),
            )
          }
        >
          {t('calendar.exportIcs')}
        </button>
        <button
          type="button"
          onClick={() =>
            exportFile('campaigns.csv', 'text/csv', async () =>
              (await import(/* webpackChunkName: "export-csv" */ '../../sdk/marketing/export-csv.js')).toCsv(items, { delimiter: lang === 'ru' ? ';' : ',' }),
            )
          }
        >
          {t('calendar.exportCsv')}
        </button>
      </div>

      {exportFailed && (
        <p class="ck-alert" role="alert">
          {t('chunk.loadFailed')}
        </p>
      )}
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
        <div class={`ck-grid ck-grid--${view}`} role="grid" aria-label={title}>
          {view !== 'timeline' && (
            <div class="ck-weekdays" role="row">
              {weekdays.map((n) => (
                <span role="columnheader" key={n}>
                  {n}
                </span>
              ))}
            </div>
          )}
          <Grid
            rows={rows}
            campaigns={visible}
            actual={store.actual}
            today={today}
            {...(view === 'month' ? { focusMonth: start.getUTCMonth() } : {})}
            {...(view === 'timeline' ? { rowLabel: (r) => channelName(r.channel ?? null) } : {})}
            onDayClick={(day) => setEditing({ kind: 'new', day })}
            onOpen={(c) => setEditing({ kind: 'edit', campaign: c })}
            onShift={shift}
          />
          {inPeriod.length === 0 && <p class="ck-status">{t('calendar.empty')}</p>}
        </div>
      )}

      {overlaps.length > 0 && (
        <section class="ck-warnings" aria-label={t('warning.title')}>
          <h2>{t('warning.title')}</h2>
          <ul>
            {overlaps.map((o) => (
              <li key={`${o.a}:${o.b}`}>
                {t('warning.overlap', {
                  a: byId.get(o.a)?.name ?? o.a,
                  b: byId.get(o.b)?.name ?? o.b,
                  from: formatDay(o.from, locale),
                  to: formatDay(o.to, locale),
                })}
              </li>
            ))}
          </ul>
        </section>
      )}

      {editing && (
        <CampaignDialog
          key={editing.kind === 'edit' ? `edit:${editing.campaign.id}` : `new:${editing.copyOf?.id ?? ''}:${dayOf(editing.day)}`}
          {...(editing.kind === 'edit'
            ? { campaign: editing.campaign }
            : editing.copyOf
              ? { template: { ...editing.copyOf, name: t('campaign.copy', { name: editing.copyOf.name }) } }
              : { defaultDay: editing.day })}
          onClose={() => setEditing(null)}
          {...(editing.kind === 'edit'
            ? {
                onDuplicate: () => setEditing({ kind: 'new', day: editing.campaign.startsAt, copyOf: editing.campaign }),
                ...(canDelete
                  ? {
                      onDelete: async () => {
                        const failure = await store.remove(editing.campaign.id)
                        if (!failure) setEditing(null)
                        return failure
                      },
                    }
                  : {}),
              }
            : {})}
          onSave={async (input: CampaignCreate) => {
            let failure: string | null
            if (editing.kind === 'edit') {
              try {
                const patch = await campaignEdit(crm, editing.campaign, input, { by: userId ?? UNKNOWN_USER, at: now ?? new Date() })
                failure = await store.update(editing.campaign.id, patch)
              } catch (e) {
                failure = e instanceof Error ? e.message : String(e)
              }
            } else failure = await store.create(input)
            if (!failure) setEditing(null)
            return failure
          }}
        />
      )}
    </section>
  )
}
