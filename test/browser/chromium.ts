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
