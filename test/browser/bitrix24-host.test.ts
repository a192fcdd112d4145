import type { FrameLocator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newPage, screenshot } from './chromium.js'
import { useHostFixture } from './fixture.js'
import { createsInDialog, day, dragsTwoDays, reschedulesWithKeyboard, showsHtmlAsText } from './host-scenarios.js'

// The real dist/bitrix24 app in real Chromium, framed by the Bitrix24-like portal page with a POST
// of placement auth; the app talks to the portal through the frame protocol and to /rest/ with
// the frame's AUTH_ID. Outcomes are checked through the SDK (a webhook client), not the DOM.
const f = useHostFixture('bitrix24', { deals: 200, campaigns: false }, async ({ crm }) => void (await crm.setup()))

async function open(path = '/bitrix24/'): Promise<{ page: Page; app: FrameLocator }> {
  f.sandbox.bitrix24.resetLimits()
  const page = await newPage(f.browser, f.dialogs, { timezoneId: 'Asia/Vladivostok', fixedTime: new Date('2026-03-10T09:00:00Z') })
  await page.goto(`${f.sandbox.url}${path}`)
  return { page, app: page.frameLocator('#app-frame') }
}

describe('Bitrix24 host page in Chromium', () => {
  it('installs on first open: binds the placements through placement.bind, calls installFinish, then mounts the calendar', { timeout: 60_000 }, async () => {
    expect(f.sandbox.bitrix24.db.app.installed).toBe(false)
    const { page, app } = await open()
    await app.locator('.ck-grid').waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      await screenshot(page, 'bitrix24-install-failed')
      throw e
    })
    expect(f.sandbox.bitrix24.db.app.installed).toBe(true)
    const bound = f.sandbox.bitrix24.db.app.placements.map((p) => [p.placement, new URL(p.handler).pathname])
    expect(bound).toEqual([
      ['LEFT_MENU', '/bitrix24/app/index.html'],
      ['CRM_ANALYTICS_MENU', '/bitrix24/app/index.html'],
      ['CRM_LEAD_DETAIL_TAB', '/bitrix24/app/placement.html'],
      ['CRM_DEAL_DETAIL_TAB', '/bitrix24/app/placement.html'],
    ])
    // The frame protocol carried the handshake and the install, not a bundled SDK.
    const messages = await page.evaluate(() => (window as unknown as { __b24Messages?: string[] }).__b24Messages ?? [])
    expect(messages).toContain('getInitData')
    await expect(app.locator('.ck-toolbar__title').textContent()).resolves.toMatch(/март 2026/i)
    const bg = await app.locator('.ck-primary').first().evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(bg).not.toBe('rgb(255, 105, 180)')
    await screenshot(page, 'bitrix24-calendar')
    await page.close()
  })

  it('creates a campaign in the dialog and the portal has it', async () => {
    const { page, app } = await open()
    await app.locator('.ck-grid').waitFor({ timeout: 30_000 })
    await createsInDialog(page, app, f.crm, 'Вебинар в Битрикс24', 'bitrix24-dialog')
    await page.close()
  })

  it('drags a campaign to new dates, and the portal has them', async () => {
    const c = await f.crm.campaigns.create({ name: 'Перетащи меня', startsAt: day('2026-03-03'), endsAt: day('2026-03-04') })
    const { page, app } = await open()
    await dragsTwoDays(page, app, f.crm, c.id)
    await page.close()
  })

  it('reschedules with the keyboard only', async () => {
    const c = await f.crm.campaigns.create({ name: 'Клавиатура', startsAt: day('2026-03-10'), endsAt: day('2026-03-10') })
    const { page, app } = await open()
    await reschedulesWithKeyboard(page, app, f.crm, c.id, () => JSON.stringify(f.sandbox.bitrix24.log.slice(-30).map((l) => [l.time % 100000, l.restMethod, l.commands, l.status, l.auth])))
    await page.close()
  })

  it('shows a campaign named like HTML as text and runs nothing', async () => {
    const evil = '<img src=x onerror=alert(1)>'
    await f.crm.campaigns.create({ name: evil, startsAt: day('2026-03-20'), endsAt: day('2026-03-20') })
    const { page, app } = await open()
    await showsHtmlAsText(page, app, evil, f.dialogs, 'bitrix24-xss-as-text')
    await page.close()
  })

  it('opens the deal card tab (CRM_DEAL_DETAIL_TAB) from placement.html with the deal id', { timeout: 60_000 }, async () => {
    const { page, app } = await open('/bitrix24/?page=deal&id=5001')
    // The portal posts the placement into the frame after load: until then the frame is about:blank.
    await expect.poll(() => page.locator('#app-frame').evaluate((el) => (el as HTMLIFrameElement).contentWindow!.location.pathname), { timeout: 15_000 }).toBe('/bitrix24/app/placement.html')
    // The touch-path card of deal 5001 (PLACEMENT_OPTIONS.ID), not an error status.
    await app.locator('.ck-card').waitFor({ timeout: 30_000 })
    expect(await app.locator('.crmkit-status').count()).toBe(0)
    await screenshot(page, 'bitrix24-deal-tab')
    await page.close()
  })
})
