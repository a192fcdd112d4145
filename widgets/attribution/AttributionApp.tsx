import { useEffect, useMemo, useState } from 'preact/hooks'
import { currencyExponent, type Campaign, type Crm, type Deal, type Lead, type SpendEntry } from '../../sdk/index.js'
import { ATTRIBUTION_MODELS, type AttributionModel } from '../../sdk/marketing/attribution/index.js'
import { CHANNELS } from '../../sdk/marketing/channels.js'
import type { PerformanceRow } from '../../sdk/marketing/metrics.js'
import { addDays, isoDay, parseIsoDay, todayUtc } from '../calendar/days.js'
import { csvAmount, downloadText, tableCsv } from '../ui/csv.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import type { MessageKey } from '../ui/messages.js'
import { attributionReport, GROUPINGS, NONE, type GroupBy } from './report.js'

interface Props {
  crm: Crm
  now?: Date
  /** Report currency (the account's); amounts in others are listed as left out. */
  currency?: string
}

interface Data {
  leads: Lead[]
  deals: Deal[]
  campaigns: Campaign[]
  spend: SpendEntry[]
}

type Column = 'key' | 'spend' | 'leads' | 'deals' | 'won' | 'revenue' | 'cpl' | 'costPerDeal' | 'cpa' | 'leadToWon' | 'romi' | 'roas'
const COLUMNS: Column[] = ['key', 'spend', 'leads', 'deals', 'won', 'revenue', 'cpl', 'costPerDeal', 'cpa', 'leadToWon', 'romi', 'roas']
const value = (r: PerformanceRow, c: Column): number | string | null =>
  c === 'key' ? r.key : c === 'leadToWon' ? r.conversion.leadToWon : (r[c] as number | null)

/** Loads everything once (paging within the CRM's rate limit, with progress), then recomputes locally. */
function useCrmData(crm: Crm): { data: Data | null; loaded: number; error: string | null } {
  const [data, setData] = useState<Data | null>(null)
  const [loaded, setLoaded] = useState(0)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const ac = new AbortController()
    let count = 0
    const all = async <T,>(pages: AsyncIterable<T[]>) => {
      const out: T[] = []
      for await (const page of pages) {
        out.push(...page)
        count += page.length
        setLoaded(count)
      }
      return out
    }
    const optional = <T,>(p: Promise<T[]>) => p.catch(() => [] as T[]) // campaigns/spend may not be set up yet
    const o = { signal: ac.signal }
    Promise.all([
      all(crm.deals.list({}, o).pages()),
      crm.capabilities.leadIsDeal ? Promise.resolve(null) : all(crm.leads.list({}, o).pages()),
      optional(all(crm.campaigns.list({}, o).pages())),
      optional(all(crm.spend.list({}, o).pages())),
    ])
      .then(([deals, leads, campaigns, spend]) => {
        // amoCRM: the lead is the deal record itself.
        const asLeads = leads ?? deals.map((d): Lead => ({ ...d, status: d.outcome === 'won' ? 'converted' : d.outcome === 'lost' ? 'junk' : 'open', dealId: d.id }))
        setData({ deals, leads: asLeads, campaigns, spend })
      })
      .catch((e: unknown) => !ac.signal.aborted && setError(e instanceof Error ? e.message : String(e)))
    return () => ac.abort()
  }, [crm])
  return { data, loaded, error }
}

export function AttributionApp({ crm, now, currency = 'RUB' }: Props) {
  const { t, locale, lang } = useI18n()
  const today = todayUtc(now)
  const [from, setFrom] = useState(isoDay(addDays(today, -89)))
  const [to, setTo] = useState(isoDay(today))
  const [groupBy, setGroupBy] = useState<GroupBy>('channel')
  const [model, setModel] = useState<AttributionModel>('last-touch')
  const [sort, setSort] = useState<{ column: Column; desc: boolean }>({ column: 'revenue', desc: true })
  const { data, loaded, error } = useCrmData(crm)

  const report = useMemo(() => {
    const f = parseIsoDay(from)
    const tt = parseIsoDay(to)
    if (!data || !f || !tt) return null
    return attributionReport({ ...data, model, groupBy, from: f, to: new Date(tt.getTime() + 86_399_999), currency })
  }, [data, from, to, groupBy, model, currency])

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
  const exportCsv = () => {
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
    downloadText(`attribution-${model}-${groupBy}.csv`, 'text/csv', tableCsv(COLUMNS.map((c) => t(`attr.${c}` as MessageKey)), body, lang), root)
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
          <select value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}>
            {GROUPINGS.map((g) => (
              <option value={g} key={g}>
                {t(`attr.group.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('attr.model')}{' '}
          <select value={model} onChange={(e) => setModel(e.currentTarget.value as AttributionModel)} aria-describedby="ck-model-help">
            {ATTRIBUTION_MODELS.map((m) => (
              <option value={m} key={m}>
                {t(`model.${m}` as MessageKey).split(':')[0]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="ck-status" id="ck-model-help">
        {t(`model.${model}` as MessageKey)}
      </p>
      {error && (
        <p class="ck-alert" role="alert">
          {t('calendar.error', { message: error })}
        </p>
      )}
      {!data && !error && (
        <p class="ck-status" role="status">
          <progress aria-label={t('attr.title')} /> {t('attr.loading', { count: loaded })}
        </p>
      )}
      {report && (
        <div class="ck-table-wrap">
          <table class="ck-table">
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
                <tr key={r.key}>
                  {COLUMNS.map((c) => (c === 'key' ? <th scope="row" key={c}>{cell(r, c)}</th> : <td key={c}>{cell(r, c)}</td>))}
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
    </section>
  )
}
