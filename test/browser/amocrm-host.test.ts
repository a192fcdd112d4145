import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { money } from '../../sdk/index.js'
import { newPage, screenshot } from './chromium.js'
import { useHostFixture } from './fixture.js'

// The real widget.zip contents (built by test/global-setup.ts) in real Chromium, on the
// amoCRM-like sandbox page; outcomes are checked through the SDK, not the DOM.
let page: Page
const f = useHostFixture('amocrm', { deals: 200, campaigns: false })

async function open(): Promise<Page> {
  page = await newPage(f.browser, f.dialogs, { height: 900, timezoneId: 'Asia/Vladivostok', fixedTime: new Date('2026-03-10T09:00:00Z') })
  await page.goto(`${f.sandbox.url}/amocrm/`)
  await page.locator('.ck-grid').waitFor({ timeout: 15_000 })
  return page
}

const day = (s: string) => new Date(`${s}T00:00:00Z`)
const iso = (d: Date) => d.toISOString().slice(0, 10)

describe('amoCRM host page in Chromium', () => {
  it('mounts the calendar from widget.zip, isolated from the host page’s CSS', async () => {
    const p = await open()
    await expect(p.locator('.ck-toolbar__title').textContent()).resolves.toMatch(/март 2026/i)
    const bg = await p.locator('.ck-primary').first().evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(bg).not.toBe('rgb(255, 105, 180)') // the host's `button { background: hotpink !important }`
    await screenshot(p, 'amocrm-calendar')
    await p.close()
  })

  it('creates a campaign in the dialog and the CRM has it', async () => {
    const p = await open()
    await p.getByRole('button', { name: 'Новая кампания' }).click()
    await p.getByLabel('Название').fill('Вебинар в браузере')
    await p.getByLabel('Начало').fill('2026-03-16')
    await p.getByLabel('Окончание').fill('2026-03-19')
    await p.getByLabel('Плановый бюджет').fill('75000')
    await screenshot(p, 'amocrm-dialog')
    await p.getByRole('button', { name: 'Сохранить' }).click()
    await p.getByRole('dialog').waitFor({ state: 'detached' })
    const stored = (await f.crm.campaigns.list().toArray()).find((c) => c.name === 'Вебинар в браузере')
    expect(stored && [iso(stored.startsAt), iso(stored.endsAt), stored.plannedBudget?.minor]).toEqual(['2026-03-16', '2026-03-19', 7_500_000])
    await p.close()
  })

  it('drags a campaign to new dates, and the CRM has them', async () => {
    const c = await f.crm.campaigns.create({ name: 'Перетащи меня', startsAt: day('2026-03-03'), endsAt: day('2026-03-04') })
    const p = await open()
    const bar = p.locator(`[data-campaign-id="${c.id}"]`).first()
    const box = (await bar.boundingBox())!
    const week = (await p.locator('.ck-week').first().boundingBox())!
    await p.mouse.move(box.x + 10, box.y + box.height / 2)
    await p.mouse.down()
    await p.mouse.move(box.x + 10 + (week.width / 7) * 2, box.y + box.height / 2, { steps: 5 })
    await p.mouse.up()
    await expect.poll(async () => iso((await f.crm.campaigns.get(c.id)).startsAt), { timeout: 10_000 }).toBe('2026-03-05')
    expect(iso((await f.crm.campaigns.get(c.id)).endsAt)).toBe('2026-03-06')
    await p.close()
  })

  it('reschedules with the keyboard only', async () => {
    const c = await f.crm.campaigns.create({ name: 'Клавиатура', startsAt: day('2026-03-10'), endsAt: day('2026-03-10') })
    const p = await open()
    const bar = p.locator(`[data-campaign-id="${c.id}"]`).first()
    for (let i = 0; i < 60 && !(await bar.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)); i++) {
      await p.keyboard.press('Tab')
    }
    await p.keyboard.press('Alt+ArrowRight')
    await expect.poll(async () => iso((await f.crm.campaigns.get(c.id)).startsAt), { timeout: 10_000 }).toBe('2026-03-11')
    await p.keyboard.press('Alt+Shift+ArrowRight')
    await expect.poll(async () => iso((await f.crm.campaigns.get(c.id)).endsAt), { timeout: 10_000 }).toBe('2026-03-12')
    await p.close()
  })

  it('shows a campaign named like HTML as text and runs nothing', async () => {
    const evil = '<img src=x onerror=alert(1)>'
    await f.crm.campaigns.create({ name: evil, startsAt: day('2026-03-20'), endsAt: day('2026-03-20') })
    const p = await open()
    await expect(p.locator('.ck-bar', { hasText: evil }).first().textContent()).resolves.toContain(evil)
    expect(await p.locator('img').count()).toBe(0)
    await p.waitForTimeout(200)
    expect(f.dialogs).toEqual([])
    await screenshot(p, 'amocrm-xss-as-text')
    await p.close()
  })

  it('opens the attribution tab from the left menu; HTML in UTM marks stays text', async () => {
    const evil = '<img src=x onerror=alert(2)>'
    await f.crm.deals.create({ title: 'UTM с HTML', source: { utm: { source: 'yandex', medium: 'cpc', campaign: evil } } })
    page = await newPage(f.browser, f.dialogs, { height: 900 })
    await page.goto(`${f.sandbox.url}/amocrm/?tab=attribution`)
    await page.locator('.ck-table').waitFor({ timeout: 20_000 })
    await page.getByLabel('Группировать по').selectOption('campaign')
    await expect(page.locator('.ck-table th[scope=row]', { hasText: evil }).count()).resolves.toBe(1)
    expect(await page.locator('img').count()).toBe(0)
    expect(f.dialogs).toEqual([])
    await screenshot(page, 'amocrm-attribution')
    await page.close()
  })

  it('budgets tab: submit and approve a budget, and add spend — the CRM has both', async () => {
    const c = await f.crm.campaigns.create({ name: 'Бюджет в браузере', channel: 'paid-search', startsAt: day('2026-03-01'), endsAt: day('2026-03-31'), plannedBudget: money('50000', 'RUB') })
    page = await f.browser.newPage({ viewport: { width: 1280, height: 1100 } })
    await page.goto(`${f.sandbox.url}/amocrm/?tab=budgets`)
    const row = page.locator('.ck-approvals tr', { hasText: 'Бюджет в браузере' })
    // Each approval step is confirmed in a dialog (with an optional comment here).
    await row.getByRole('button', { name: 'Отправить на согласование' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Отправить на согласование' }).click()
    await expect.poll(async () => (await f.crm.campaigns.get(c.id)).approval, { timeout: 10_000 }).toBe('submitted')
    await row.getByRole('button', { name: 'Утвердить' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Утвердить' }).click()
    await expect.poll(async () => (await f.crm.campaigns.get(c.id)).approval, { timeout: 10_000 }).toBe('approved')
    const form = page.getByRole('form', { name: 'Добавить расход' })
    await form.getByLabel('Кампания').selectOption({ label: 'Бюджет в браузере' })
    await form.getByLabel('Сумма').fill('12 345,67')
    await form.getByRole('button', { name: 'Добавить' }).click()
    await expect
      .poll(async () => (await f.crm.spend.list().toArray()).filter((s) => s.campaignId === c.id).map((s) => s.amount.minor), { timeout: 10_000 })
      .toEqual([1_234_567])
    await screenshot(page, 'amocrm-budgets')
    await page.close()
  })

  it('shows the open lead card’s touch path in the widget’s card area', async () => {
    page = await f.browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${f.sandbox.url}/amocrm/?card=first`)
    await page.locator('.crmkit-card .ck-card').waitFor({ timeout: 20_000 })
    await screenshot(page, 'amocrm-card')
    await page.close()
  })
})
