import { paretoView } from '../../sdk/marketing/pareto.js'
import { BarChart } from '../ui/charts/BarChart.js'
import { FunnelChart } from '../ui/charts/FunnelChart.js'
import { ParetoChart } from '../ui/charts/ParetoChart.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { attributionMessages } from './messages.js'
import type { AttributionReport } from '../../sdk/marketing/report.js'

interface Props {
  report: AttributionReport
  currency: string
  /** Display name of a group key. */
  label(key: string): string
  /** Short name of the model in use. */
  modelName: string
}

/** The tab's charts, all from the same report as the table (so they can never disagree with it). */
export function AttributionCharts({ report, currency, label, modelName }: Props) {
  const { t, locale } = useI18n(attributionMessages)
  const money = (minor: number) => formatMoney({ minor: Math.round(minor), currency }, locale)
  const compact = (minor: number) => formatMoney({ minor: Math.round(minor), currency }, locale, { compact: true })
  const num = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)
  const pct = (n: number | null) => (n === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n))
  // Biggest first, as people read bar charts; the twelve largest keep bars readable.
  const rows = [...report.rows].sort((a, b) => b.revenue + b.spend - (a.revenue + a.spend) || (a.key < b.key ? -1 : 1)).slice(0, 12)
  const top = [...report.rows].sort((a, b) => b.revenue - a.revenue)[0]
  const pareto = paretoView(report.rows.map((r) => ({ key: r.key, spend: r.spend, revenue: r.revenue })))
  const total = report.total
  return (
    <section class="ck-charts" aria-label={t('attr.charts')}>
      <BarChart
        title={t('attr.chart.spendRevenue')}
        description={t('attr.chart.spendRevenueDesc', { model: modelName, count: report.rows.length, top: top ? `${label(top.key)} (${money(top.revenue)})` : '—' })}
        categories={rows.map((r) => label(r.key))}
        series={[
          { name: t('attr.spend'), values: rows.map((r) => r.spend) },
          { name: t('attr.revenue'), values: rows.map((r) => r.revenue) },
        ]}
        format={money}
        formatAxis={compact}
      />
      <FunnelChart
        title={t('attr.chart.funnel')}
        description={t('attr.chart.funnelDesc', { leads: num(total.leads), deals: num(total.deals), won: num(total.won), rate: pct(total.conversion.leadToWon) })}
        steps={[
          { label: t('attr.leads'), value: total.leads },
          { label: t('attr.deals'), value: total.deals },
          { label: t('attr.won'), value: total.won },
        ]}
        conversionLabel={t('attr.chart.conversion')}
        formatValue={num}
        formatShare={pct}
      />
      {pareto.spendShareForRevenueShare === null || total.spend === 0 ? (
        <p class="ck-status">{t('attr.chart.paretoEmpty')}</p>
      ) : (
        <ParetoChart
          title={t('attr.chart.pareto')}
          description={t('attr.chart.paretoDesc', { revenue: pct(0.8), keys: pareto.keysForRevenueShare.length, spend: pct(pareto.spendShareForRevenueShare) })}
          view={pareto}
          label={label}
          columns={{ spendShare: t('attr.chart.spendShare'), revenueShare: t('attr.chart.revenueShare') }}
          formatShare={(s) => pct(s)}
        />
      )}
    </section>
  )
}
