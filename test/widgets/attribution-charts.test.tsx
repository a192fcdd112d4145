// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { performanceReport } from '../../sdk/marketing/metrics.js'
import { paretoView } from '../../sdk/marketing/pareto.js'
import { AttributionCharts } from '../../widgets/attribution/AttributionCharts.js'
import type { AttributionReport } from '../../sdk/marketing/report.js'
import { BarChart } from '../../widgets/ui/charts/BarChart.js'
import { niceMax } from '../../widgets/ui/charts/ChartFrame.js'
import { formatMoney } from '../../widgets/ui/format.js'
import { I18nContext, createI18n } from '../../widgets/ui/i18n.js'
import { LoadingProgress } from '../../widgets/data/LoadingProgress.js'

afterEach(cleanup)

const result = (keys: string[], conv: number[], value: number[] = conv.map(() => 0)) => ({
  model: 'last-touch',
  keys,
  conversions: Float64Array.from(conv),
  value: Float64Array.from(value),
  totalConversions: conv.reduce((a, b) => a + b, 0),
  totalValue: value.reduce((a, b) => a + b, 0),
  currency: 'RUB',
  unattributed: 0,
})

// Three channels with known spend (minor units) and attributed counts/revenue.
const keys = ['paid-search', 'paid-social', 'email']
const report: AttributionReport = {
  ...performanceReport({
    currency: 'RUB',
    leads: result(keys, [40, 30, 10]),
    deals: result(keys, [20, 10, 6]),
    won: result(keys, [8, 2, 4], [800_000_00, 100_000_00, 300_000_00]),
    spend: new Map([
      ['paid-search', 200_000_00],
      ['paid-social', 150_000_00],
      ['email', 10_000_00],
    ]),
  }),
  skippedCurrencies: [],
  unattributed: 0,
}

const mount = (lang: 'ru' | 'en' = 'en') =>
  render(
    <I18nContext.Provider value={createI18n(lang)}>
      <AttributionCharts report={report} currency="RUB" label={(k) => `<b>${k}</b>`} modelName="Last touch" />
    </I18nContext.Provider>,
  )

describe('attribution charts', () => {
  it('spend vs revenue: one bar per group and series, with the report’s values, as an image with a description and a data table', () => {
    mount()
    const img = screen.getByRole('img', { name: 'Spend and revenue by group' })
    const desc = document.getElementById(img.getAttribute('aria-describedby')!)!
    expect(desc.textContent).toMatch(/Most revenue: <b>paid-search<\/b>/) // labels are text, even when they look like HTML
    const bars = [...img.querySelectorAll('rect[data-value]')]
    const spend = bars.filter((b) => b.getAttribute('data-series') === '0').map((b) => Number(b.getAttribute('data-value')))
    const revenue = bars.filter((b) => b.getAttribute('data-series') === '1').map((b) => Number(b.getAttribute('data-value')))
    // Largest (spend + revenue) first: search, email (300k+10k), social.
    expect(spend).toEqual([200_000_00, 10_000_00, 150_000_00])
    expect(revenue).toEqual([800_000_00, 300_000_00, 100_000_00])
    // Taller bar for more money; all bars share the baseline.
    const h = bars.map((b) => Number(b.getAttribute('height')))
    expect(h[1]).toBeGreaterThan(h[0]!) // revenue 800k > spend 200k in the first group
    const table = screen.getByRole('table', { name: 'Spend and revenue by group' })
    const cells = within(table).getAllByRole('row').map((r) => [...r.children].map((c) => c.textContent))
    expect(cells[0]).toEqual(['', 'Spend', 'Revenue'])
    expect(cells[1]![0]).toBe('<b>paid-search</b>')
    expect(cells[1]!.slice(1)).toEqual([formatMoney({ minor: 200_000_00, currency: 'RUB' }, 'en-GB'), formatMoney({ minor: 800_000_00, currency: 'RUB' }, 'en-GB')])
    expect(document.querySelector('b')).toBeNull()
  })

  it('funnel: leads → deals → won from the totals, with step conversions', () => {
    mount()
    const img = screen.getByRole('img', { name: 'Funnel: leads → deals → won' })
    const values = [...img.querySelectorAll('rect[data-value]')].map((r) => Number(r.getAttribute('data-value')))
    expect(values).toEqual([80, 36, 14])
    const widths = [...img.querySelectorAll('rect[data-value]')].map((r) => Number(r.getAttribute('width')))
    expect(widths[0]! / widths[1]!).toBeCloseTo(80 / 36, 5)
    const rows = within(screen.getByRole('table', { name: 'Funnel: leads → deals → won' })).getAllByRole('row').map((r) => [...r.children].map((c) => c.textContent))
    expect(rows.slice(1)).toEqual([
      ['Leads', '80', '—'],
      ['Deals', '36', '45%'],
      ['Won', '14', '38.9%'],
    ])
    expect(document.getElementById(img.getAttribute('aria-describedby')!)!.textContent).toBe('80 leads, 36 deals, 14 won; lead → won rate 17.5%.')
  })

  it('Pareto: the points are pareto.ts’s cumulative shares, with the 80 % line', () => {
    mount('ru')
    const img = screen.getByRole('img', { name: 'Парето: доля выручки против доли расхода' })
    const expected = paretoView(report.rows.map((r) => ({ key: r.key, spend: r.spend, revenue: r.revenue })))
    const points = [...img.querySelectorAll('circle')].map((c) => [Number(c.getAttribute('data-spend-share')), Number(c.getAttribute('data-revenue-share'))])
    expect(points).toEqual(expected.rows.map((r) => [r.cumulativeSpendShare, r.cumulativeRevenueShare]))
    // email (ROAS 30) first, then search (4), then social.
    expect(expected.rows.map((r) => r.key)).toEqual(['email', 'paid-search', 'paid-social'])
    expect(img.querySelector('[data-share="0.8"]')).not.toBeNull()
    const desc = document.getElementById(img.getAttribute('aria-describedby')!)!.textContent!
    expect(desc).toContain(`${expected.keysForRevenueShare.length} групп`)
    const rows = within(screen.getByRole('table', { name: 'Парето: доля выручки против доли расхода' })).getAllByRole('row')
    expect(rows).toHaveLength(4)
  })

  it('says so instead of drawing a Pareto curve without spend', () => {
    const noSpend = { ...report, total: { ...report.total, spend: 0 }, rows: report.rows.map((r) => ({ ...r, spend: 0 })) }
    render(
      <I18nContext.Provider value={createI18n('en')}>
        <AttributionCharts report={noSpend} currency="RUB" label={(k) => k} modelName="Last touch" />
      </I18nContext.Provider>,
    )
    expect(screen.queryByRole('img', { name: /Pareto/ })).toBeNull()
    expect(screen.getByText(/no Pareto curve/)).toBeTruthy()
  })

  it('bar chart axis ends on a round number above the largest value', () => {
    expect([niceMax(0), niceMax(7), niceMax(13), niceMax(2_400), niceMax(80_000_000)]).toEqual([1, 10, 20, 2_500, 100_000_000])
    render(<BarChart title="T" description="D" categories={['a']} series={[{ name: 's', values: [7] }]} format={String} formatAxis={String} />)
    const ticks = [...screen.getByRole('img', { name: 'T' }).querySelectorAll('.ck-chart__grid text')].map((t) => t.textContent)
    expect(ticks).toEqual(['0', '2.5', '5', '7.5', '10'])
  })
})

describe('loading progress', () => {
  it('is a progressbar: determinate while reading the cache, indeterminate with a text value while paging the CRM', () => {
    const { rerender } = render(
      <I18nContext.Provider value={createI18n('en')}>
        <LoadingProgress progress={{ phase: 'cache', loaded: 1_500, total: 3_000 }} label="Loading CRM data" />
      </I18nContext.Provider>,
    )
    const bar = screen.getByRole('progressbar', { name: 'Loading CRM data' })
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax'), bar.getAttribute('aria-valuetext')]).toEqual(['1500', '3000', 'Reading saved data: 1,500 of 3,000…'])
    rerender(
      <I18nContext.Provider value={createI18n('en')}>
        <LoadingProgress progress={{ phase: 'download', loaded: 750, total: null }} label="Loading CRM data" />
      </I18nContext.Provider>,
    )
    expect(bar.hasAttribute('aria-valuenow')).toBe(false)
    expect(bar.getAttribute('aria-valuetext')).toBe('Loading CRM data: 750 records…')
  })
})
