import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium (installed by `npm test`'s pretest step); nothing downloads a browser. */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
}

export const artifactsDir = resolve(import.meta.dirname, '../../test-artifacts')

/** Screenshots are kept as test artifacts (test-artifacts/, not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true })
  await page.screenshot({ path: resolve(artifactsDir, `${name}.png`), fullPage: true })
}

export interface PageOptions {
  width?: number
  height?: number
  timezoneId?: string
  /** Date.now() and new Date() return this, timers keep running (the tabs' default ranges depend on it). */
  fixedTime?: Date
}

/**
 * A new page that records the text of every alert/confirm/prompt in `dialogs` and dismisses it, so
 * a script smuggled in through CRM data shows up in the test instead of blocking the page.
 */
export async function newPage(browser: Browser, dialogs: string[], o: PageOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: o.width ?? 1280, height: o.height ?? 1000 }, ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}) })
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  if (o.fixedTime) await page.clock.setFixedTime(o.fixedTime)
  return page
}
