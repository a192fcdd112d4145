import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Deal } from '../../sdk/index.js'
import { CHANNELS } from '../../sdk/marketing/channels.js'
import { attributionReport, NONE } from '../../sdk/marketing/report.js'
import { touchPath } from '../../widgets/attribution/touch-path.js'
import { leadOfDeal } from '../../widgets/data/account-data.js'
import { formatMoney } from '../../widgets/ui/format.js'
import { newPage, screenshot } from './chromium.js'
import { useHostFixture } from './fixture.js'

// The attribution tab from the real widget.zip on the amoCRM-like sandbox page, in Chromium, with
// the browser's own IndexedDB; what it shows is checked against the engine run directly via the SDK.
const evilCampaign = '<img src=x onerror=alert(5)>весна'
const evilTitle = '<b>Заявка</b><script>alert(6)</script>'
let evilDeal: Deal
const f = useHostFixture('amocrm', { deals: 300 }, async ({ crm }) => {
  evilDeal = await crm.deals.create({ title: evilTitle, source: { utm: { source: 'html_test', medium: 'cpc', campaign: evilCampaign } } })
})

/** The page runs on the real clock, like the emulator (the tab's default range is the last 90 days). */
async function open(p: Page): Promise<void> {
  p.on('pageerror', (e) => console.error('page error:', e.message))
  await p.goto(`${f.sandbox.url}/amocrm/?tab=attribution`)
  await p.getByRole('table', { name: 'Таблица атрибуции' }).waitFor({ timeout: 30_000 })
}

const digits = (s: string) => s.replace(/[^\d,−-]/g, '')

describe('attribution tab in Chromium', () => {
  it('shows the table the engine computes for the seeded demo account; a reopen reads IndexedDB and asks only for changes', async () => {
    const now = new Date()
    const page = await newPage(f.browser, f.dialogs)
    await open(page)

    const deals = await f.crm.deals.list().toArray()
    const [campaigns, spend] = await Promise.all([f.crm.campaigns.list().toArray(), f.crm.spend.list().toArray()])
    expect(campaigns.length).toBeGreaterThan(0) // the demo company's campaigns and spend are in the account
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
    const expected = attributionReport({
      leads: deals.map(leadOfDeal),
      deals,
      campaigns,
      spend,
      model: 'last-touch',
      groupBy: 'channel',
      from: new Date(today - 89 * 86_400_000),
      to: new Date(today + 86_399_999),
      currency: 'RUB',
    })
    const label = (k: string) => (k === NONE ? '(не указано)' : ((CHANNELS as Record<string, { ru: string }>)[k]?.ru ?? k))
    const money = (m: number) => digits(formatMoney({ minor: Math.round(m), currency: 'RUB' }, 'ru-RU'))
    const num = (n: number) => digits(new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }).format(n))
    const table = page.getByRole('table', { name: 'Таблица атрибуции' })
    const shown = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')))
    expect(shown.map((r) => r[0]).sort()).toEqual(expected.rows.map((r) => label(r.key)).sort())
    for (const r of expected.rows) {
      const row = shown.find((s) => s[0] === label(r.key))!
      expect([digits(row[1]!), digits(row[2]!), digits(row[3]!), digits(row[4]!), digits(row[5]!)], r.key).toEqual([money(r.spend), num(r.leads), num(r.deals), num(r.won), money(r.revenue)])
    }
    const total = await table.locator('tfoot td').evaluateAll((tds) => tds.map((td) => td.textContent ?? ''))
    expect([digits(total[0]!), digits(total[1]!), digits(total[4]!)]).toEqual([money(expected.total.spend), num(expected.total.leads), money(expected.total.revenue)])
    // Charts from the same report: spend vs revenue, the funnel and (with spend) the Pareto curve.
    await expect(page.getByRole('img', { name: 'Расход и выручка по группам' }).count()).resolves.toBe(1)
    await expect(page.getByRole('img', { name: /Воронка/ }).count()).resolves.toBe(1)
    await expect(page.getByRole('img', { name: /Парето/ }).count()).resolves.toBe(expected.total.spend > 0 ? 1 : 0)
    await screenshot(page, 'attribution-tab')

    // Reopen: the records come from IndexedDB, the CRM is asked only for what changed.
    const before = f.sandbox.amocrm.log.length
    await page.reload()
    await page.getByRole('table', { name: 'Таблица атрибуции' }).waitFor({ timeout: 30_000 })
    const leadsCalls = f.sandbox.amocrm.log.slice(before).filter((e) => e.path === '/api/v4/leads')
    expect(leadsCalls.length).toBeGreaterThan(0)
    expect(leadsCalls.every((e) => decodeURIComponent(e.search).includes('filter[updated_at][from]'))).toBe(true)
    const again = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')))
    expect(again).toEqual(shown)
    expect(f.dialogs).toEqual([])
    await page.close()
  })

  it('keeps HTML in a UTM campaign and a deal title as text; Enter on a row opens its deals with links to the amoCRM card', async () => {
    const page = await newPage(f.browser, f.dialogs)
    await open(page)
    await page.getByLabel('Группировать по').selectOption('campaign')
    const rowButton = page.getByRole('button', { name: evilCampaign, exact: true })
    await expect(rowButton.textContent()).resolves.toBe(evilCampaign)
    await rowButton.focus()
    await page.keyboard.press('Enter')
    const panel = page.getByRole('region', { name: `Лиды и сделки: ${evilCampaign}` })
    await panel.waitFor()
    const link = panel.getByRole('link', { name: evilTitle, exact: true })
    await expect(link.getAttribute('href')).resolves.toBe(`/leads/detail/${evilDeal.id}`)
    await expect(link.getAttribute('target')).resolves.toBe('_top')
    // Focus moved into the panel; Escape closes it.
    await expect(page.evaluate(() => document.querySelector('.crmkit-widget')?.shadowRoot?.activeElement?.id)).resolves.toBe('ck-drill-title')
    await screenshot(page, 'attribution-drilldown')
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
    expect(await page.locator('img').count()).toBe(0)
    await page.waitForTimeout(200)
    expect(f.dialogs).toEqual([])
    await page.close()
  })

  it('the lead card’s touch path fits a narrow card column and credits what the engine credits', async () => {
    const page = await f.browser.newPage({ viewport: { width: 360, height: 800 } })
    await page.goto(`${f.sandbox.url}/amocrm/?card=${evilDeal.id}`)
    const list = page.getByRole('list', { name: /Касания/ })
    await list.waitFor({ timeout: 30_000 })
    const deals = await f.crm.deals.list().toArray()
    const expected = touchPath({ leads: deals.map(leadOfDeal), deals, entity: 'deal', id: evilDeal.id, model: 'last-touch' })!
    const credits = await list.locator('.ck-touch__credit').allTextContents()
    const pct = (n: number) => new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 1 }).format(n)
    expect(credits.map((c) => c.replace(/\s/g, ''))).toEqual(
      expected.touches.map((t) => (t.credit === null ? 'не входит в путь этой конверсии' : `вклад ${pct(t.credit)}`).replace(/\s/g, '')),
    )
    await expect(list.locator('li[aria-current="true"]').textContent()).resolves.toContain(evilCampaign)
    // Nothing wider than the column the host gives the widget (here well under 200 px).
    const widths = await page.evaluate(() => {
      const host = document.querySelector<HTMLElement>('.crmkit-widget')!
      const card = host.shadowRoot!.querySelector('.ck-card')!
      return { host: host.clientWidth, card: card.scrollWidth }
    })
    expect(widths.host).toBeGreaterThan(0)
    expect(widths.card).toBeLessThanOrEqual(widths.host)
    expect(await page.locator('img').count()).toBe(0)
    await screenshot(page, 'attribution-card-narrow')
    await page.close()
  })
})
