import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newPage, screenshot } from './chromium.js'
import { useHostFixture } from './fixture.js'
import { createsInDialog, day, dragsTwoDays, reschedulesWithKeyboard, showsHtmlAsText } from './host-scenarios.js'

// The real dist/creatio bundle in real Chromium on the Creatio-like page: the custom elements are
// registered through a stand-in of the devkit's registerViewElement and placed from a
// viewConfigDiff; the widget calls the same-origin /0/odata with the site's session cookies.
const f = useHostFixture('creatio', { deals: 200, campaigns: false }, async ({ crm }) => void (await crm.setup()))

async function open(path = '/creatio/'): Promise<Page> {
  const page = await newPage(f.browser, f.dialogs, { timezoneId: 'Asia/Vladivostok', fixedTime: new Date('2026-03-10T09:00:00Z') })
  await page.goto(`${f.sandbox.url}${path}`)
  return page
}

describe('Creatio host page in Chromium', () => {
  it('registers the view elements and mounts the calendar in the user’s culture, isolated from the page’s CSS', async () => {
    const page = await open()
    await page.locator('crmkit-marketing-calendar .ck-grid').waitFor({ timeout: 30_000 })
    const types = await page.evaluate(() => Object.keys((window as unknown as { __viewElements: object }).__viewElements).sort())
    expect(types).toEqual(['usr.CrmkitMarketing', 'usr.CrmkitMarketingAttribution', 'usr.CrmkitMarketingBudgets', 'usr.CrmkitMarketingCalendar', 'usr.CrmkitMarketingCard'])
    await expect(page.locator('.ck-toolbar__title').textContent()).resolves.toMatch(/март 2026/i)
    const bg = await page.locator('.ck-primary').first().evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(bg).not.toBe('rgb(255, 105, 180)')
    await screenshot(page, 'creatio-calendar')
    await page.close()
  })

  it('works loaded through RequireJS too (the factory runs after the script; tabs load from the given base)', async () => {
    const page = await open('/creatio/?loader=amd&view=budgets')
    await page.locator('crmkit-marketing-budgets .ck-budgets, crmkit-marketing-budgets table').first().waitFor({ timeout: 30_000 })
    await page.close()
  })

  it('follows an English culture', async () => {
    const page = await open('/creatio/?culture=en-US')
    await expect(page.locator('.ck-toolbar__title').textContent({ timeout: 30_000 })).resolves.toMatch(/March 2026/)
    await page.close()
  })

  it('creates a campaign in the dialog and the site has it', async () => {
    const page = await open()
    await page.locator('.ck-grid').waitFor({ timeout: 30_000 })
    await createsInDialog(page, page, f.crm, 'Вебинар в Creatio', 'creatio-dialog')
    await page.close()
  })

  it('drags a campaign to new dates, and the site has them', async () => {
    const c = await f.crm.campaigns.create({ name: 'Перетащи меня', startsAt: day('2026-03-03'), endsAt: day('2026-03-04') })
    const page = await open()
    await dragsTwoDays(page, page, f.crm, c.id)
    await page.close()
  })

  it('reschedules with the keyboard only', async () => {
    const c = await f.crm.campaigns.create({ name: 'Клавиатура', startsAt: day('2026-03-10'), endsAt: day('2026-03-10') })
    const page = await open()
    await reschedulesWithKeyboard(page, page, f.crm, c.id)
    await page.close()
  })

  it('shows a campaign named like HTML as text and runs nothing', async () => {
    const evil = '<img src=x onerror=alert(1)>'
    await f.crm.campaigns.create({ name: evil, startsAt: day('2026-03-20'), endsAt: day('2026-03-20') })
    const page = await open()
    await showsHtmlAsText(page, page, evil, f.dialogs, 'creatio-xss-as-text')
    await page.close()
  })

  it('shows an opportunity’s touch path in the record-page element (recordId bound like $Id)', async () => {
    const id = String(f.sandbox.creatio.db.rows('Opportunity')[0]!['Id'])
    const page = await open(`/creatio/?view=card&id=${id}`)
    await page.locator('crmkit-marketing-card .ck-card').waitFor({ timeout: 30_000 })
    await screenshot(page, 'creatio-card')
    await page.close()
  })

  it('serves the full-page variant with the site session', async () => {
    const page = await open('/creatio/files/index.html?tab=calendar')
    await page.locator('crmkit-marketing .ck-grid').waitFor({ timeout: 30_000 })
    await screenshot(page, 'creatio-full-page')
    await page.close()
  })
})
