import { useMemo, useRef, useState } from 'preact/hooks'
import { currencyExponent, type Crm } from '../../sdk/index.js'
import type { AttributionModel } from '../../sdk/marketing/attribution/index.js'
import { CHANNELS } from '../../sdk/marketing/channel-names.js'
import type { PerformanceRow } from '../../sdk/marketing/metrics.js'
import { addDays, isoDay, parseIsoDay, todayUtc } from '../calendar/days.js'
import { csvAmount, downloadText, tableCsv } from '../ui/csv.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { attributionMessages } from './messages.js'
import type { MessageKey } from '../ui/messages.js'
import { LoadingProgress } from '../data/LoadingProgress.js'
import { defaultAccount, useAccountData } from '../data/use-account-data.js'
import { AttributionCharts } from './AttributionCharts.js'
import { DrillDown } from './DrillDown.js'
import { ModelHelp, ModelSelect } from './ModelSelect.js'
import { attributionReport, GROUPINGS, NONE, recordsOfGroup, type GroupBy } from '../../sdk/marketing/report.js'
import { TabStyle } from '../ui/styles.js'
import { attributionCss } from './styles.js'

interface Props {
  crm: Crm
  now?: Date
  /** Report currency (the account's); amounts in others are listed as left out. */
  currency?: string
  /** Cache key of the account (subdomain, portal, site); the page's host by default. */
  account?: string
  /** IndexedDB to cache in (tests pass fake-indexeddb); `null` disables the cache. */
  indexedDB?: IDBFactory | null
}

type Column = 'key' | 'spend' | 'leads' | 'deals' | 'won' | 'revenue' | 'cpl' | 'costPerDeal' | 'cpa' | 'leadToWon' | 'romi' | 'roas'
const COLUMNS: Column[] = ['key', 'spend', 'leads', 'deals', 'won', 'revenue', 'cpl', 'costPerDeal', 'cpa', 'leadToWon', 'romi', 'roas']
const value = (r: PerformanceRow, c: Column): number | string | null =>
  c === 'key' ? r.key : c === 'leadToWon' ? r.conversion.leadToWon : (r[c] as number | null)

export function AttributionApp({ crm, now, currency = 'RUB', account, indexedDB }: Props) {
  const { t, locale, lang } = useI18n(attributionMessages)
  const today = todayUtc(now)
  const [from, setFrom] = useState(isoDay(addDays(today, -89)))
  const [to, setTo] = useState(isoDay(today))
  const [groupBy, setGroupBy] = useState<GroupBy>('channel')
  const [model, setModel] = useState<AttributionModel>('last-touch')
  const [sort, setSort] = useState<{ column: Column; desc: boolean }>({ column: 'revenue', desc: true })
  const { data, progress, error } = useAccountData(crm, account ?? defaultAccount(), indexedDB === undefined ? {} : { indexedDB })
  const [drill, setDrill] = useState<string | null>(null)
  // Where focus goes back to when the drill-down closes: the name button of the row that opened it.
  const drillOpener = useRef<HTMLElement | null>(null)
  const openDrill = (key: string, from: Element) => {
    drillOpener.current = from.closest('tr')?.querySelector<HTMLElement>('th button') ?? null
    setDrill(key)
  }
  const closeDrill = () => {
    setDrill(null)
    drillOpener.current?.focus()
  }

  const range = useMemo(() => {
    const f = parseIsoDay(from)
    const tt = parseIsoDay(to)
    return f && tt ? { from: f, to: new Date(tt.getTime() + 86_399_999) } : null
  }, [from, to])
  const report = useMemo(() => {
    if (!data || !range) return null
    return attributionReport({ ...data, model, groupBy, ...range, currency })
  }, [data, range, groupBy, model, currency])
  const drilled = useMemo(
    () => (drill !== null && data && range ? recordsOfGroup({ leads: data.leads, deals: data.deals, groupBy, key: drill, ...range }) : null),
    [drill, data, range, groupBy],
  )

  const label = (key: string) =>
    key === NONE ? t('attr.none') : groupBy === 'channel' ? ((CHANNELS as Record<string, Record<string, string>>)[key]?.[lang] ?? key) : key
  const money = (minor: number | null) => (minor === null ? '—' : formatMoney({ minor: Math.round(minor), currency }, locale))
  const num = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)
  const pct = (n: number | null) => (n === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n))
  const cell = (r: PerformanceRow, c: Column) => {
    switch (c) {
      case 'key':
        return label(r.key)
      case 'spend':
      case 'revenue':
      case 'cpl':
      case 'costPerDeal':
      case 'cpa':
        return money(value(r, c) as number | null)
      case 'leads':
      case 'deals':
      case 'won':
        return num(r[c])
      case 'leadToWon':
      case 'romi':
      case 'roas':
        return pct(value(r, c) as number | null)
    }
  }
  const [root, setRoot] = useState<HTMLElement | null>(null)
  const exportCsv = async () => {
    if (!report) return
    const exp = currencyExponent(currency)
    const raw = (r: PerformanceRow, c: Column): string | number => {
      const v = value(r, c)
      if (c === 'key') return label(r.key)
      if (v === null) return ''
      if (['spend', 'revenue', 'cpl', 'costPerDeal', 'cpa'].includes(c)) return csvAmount(Math.round(v as number), exp, lang)
      return lang === 'ru' ? String(Math.round((v as number) * 10_000) / 10_000).replace('.', ',') : String(Math.round((v as number) * 10_000) / 10_000)
    }
    const body = [...rows, report.total].map((r, i) => COLUMNS.map((c) => (i === rows.length && c === 'key' ? t('attr.total') : raw(r, c))))
    downloadText(`attribution-${model}-${groupBy}.csv`, 'text/csv', await tableCsv(COLUMNS.map((c) => t(`attr.${c}` as MessageKey)), body, lang), root)
  }
  const rows = report
    ? [...report.rows].sort((a, b) => {
        const x = value(a, sort.column)
        const y = value(b, sort.column)
        const d = x === null ? -1 : y === null ? 1 : typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number)
        return sort.desc ? -d : d
      })
    : []

  return (
    <section class="ck-attribution" aria-label={t('attr.title')} ref={setRoot}>
      <TabStyle css={attributionCss} />
      <header class="ck-toolbar">
        <h1 class="ck-toolbar__title">{t('attr.title')}</h1>
        <button type="button" onClick={exportCsv} disabled={!report}>
          {t('calendar.exportCsv')}
        </button>
      </header>
      <div class="ck-filters">
        <label>
          {t('attr.from')} <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('attr.to')} <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <label>
          {t('attr.groupBy')}{' '}
          <select
            value={groupBy}
            onChange={(e) => {
              setGroupBy(e.currentTarget.value as GroupBy)
              setDrill(null)
            }}
          >
            {GROUPINGS.map((g) => (
              <option value={g} key={g}>
                {t(`attr.group.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <ModelSelect model={model} onChange={setModel} helpId="ck-model-help" />
      </div>
      <ModelHelp model={model} id="ck-model-help" />
      {error && (
        <p class="ck-alert" role="alert">
          {t('calendar.error', { message: error })}
        </p>
      )}
      {!data && !error && <LoadingProgress progress={progress} label={t('attr.progress')} />}
      {report && (
        <div class="ck-table-wrap">
          <table class="ck-table" aria-label={t('attr.table')}>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c} scope="col" aria-sort={sort.column === c ? (sort.desc ? 'descending' : 'ascending') : undefined}>
                    <button
                      type="button"
                      class="ck-th"
                      aria-label={t('attr.sortBy', { column: t(`attr.${c}` as MessageKey) })}
                      onClick={() => setSort({ column: c, desc: sort.column === c ? !sort.desc : c !== 'key' })}
                    >
                      {t(`attr.${c}` as MessageKey)}
                      {sort.column === c ? (sort.desc ? ' ↓' : ' ↑') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                // The whole row opens the drill-down; the button in its header is the keyboard and screen-reader way in.
                <tr key={r.key} class="ck-drill" onClick={(e) => openDrill(r.key, e.currentTarget)}>
                  {COLUMNS.map((c) =>
                    c === 'key' ? (
                      <th scope="row" key={c}>
                        <button
                          type="button"
                          class="ck-link-button"
                          aria-expanded={drill === r.key}
                          aria-controls={drill === r.key ? 'ck-drill' : undefined}
                          title={t('attr.drill.open', { group: label(r.key) })}
                          onClick={(e) => {
                            e.stopPropagation()
                            if (drill === r.key) setDrill(null)
                            else openDrill(r.key, e.currentTarget)
                          }}
                        >
                          {cell(r, c)}
                        </button>
                      </th>
                    ) : (
                      <td key={c}>{cell(r, c)}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                {COLUMNS.map((c) => (c === 'key' ? <th scope="row" key={c}>{t('attr.total')}</th> : <td key={c}>{cell(report.total, c)}</td>))}
              </tr>
            </tfoot>
          </table>
          {report.skippedCurrencies.length > 0 && <p class="ck-status">{t('attr.skipped', { list: report.skippedCurrencies.join(', ') })}</p>}
        </div>
      )}
      {drilled && drill !== null && (
        <div id="ck-drill">
          <DrillDown
            crm={crm}
            group={label(drill)}
            leads={drilled.leads}
            deals={drilled.deals}
            showLeads={!crm.capabilities.leadIsDeal}
            onClose={closeDrill}
          />
        </div>
      )}
      {report && <AttributionCharts report={report} currency={currency} label={label} modelName={t(`model.${model}` as MessageKey).split(':')[0]!} />}
    </section>
  )
}
