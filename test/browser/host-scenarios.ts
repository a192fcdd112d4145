import type { FrameLocator, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { Crm } from '../../sdk/index.js'
import { screenshot } from './chromium.js'

// The scenarios every host page must pass (amocrm-host.test.ts is the model), run against the
// widget wherever the host puts it: the page itself or an iframe. Outcomes are read through the SDK.

export type Root = Page | FrameLocator
export const day = (s: string) => new Date(`${s}T00:00:00Z`)
export const iso = (d: Date) => d.toISOString().slice(0, 10)

export async function createsInDialog(page: Page, root: Root, crm: Crm, name: string, shot: string): Promise<void> {
  await root.getByRole('button', { name: 'Новая кампания' }).click()
  await root.getByLabel('Название').fill(name)
  await root.getByLabel('Начало').fill('2026-03-16')
  await root.getByLabel('Окончание').fill('2026-03-19')
  await root.getByLabel('Плановый бюджет').fill('75000')
  await screenshot(page, shot)
  await root.getByRole('button', { name: 'Сохранить' }).click()
  await root.getByRole('dialog').waitFor({ state: 'detached', timeout: 15_000 })
  await expect
    .poll(async () => {
      const stored = (await crm.campaigns.list().toArray()).find((c) => c.name === name)
      return stored && [iso(stored.startsAt), iso(stored.endsAt), stored.plannedBudget?.minor]
    }, { timeout: 15_000 })
    .toEqual(['2026-03-16', '2026-03-19', 7_500_000])
}

/** Drags the campaign's bar two days to the right with the mouse. */
export async function dragsTwoDays(page: Page, root: Root, crm: Crm, id: string): Promise<void> {
  const bar = root.locator(`[data-campaign-id="${id}"]`).first()
  await bar.waitFor({ timeout: 15_000 })
  const box = (await bar.boundingBox())!
  const week = (await root.locator('.ck-week').first().boundingBox())!
  await page.mouse.move(box.x + 10, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + 10 + (week.width / 7) * 2, box.y + box.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect.poll(async () => iso((await crm.campaigns.get(id)).startsAt), { timeout: 15_000 }).toBe('2026-03-05')
  expect(iso((await crm.campaigns.get(id)).endsAt)).toBe('2026-03-06')
}

/** Tabs to the campaign's bar (through the host page and any iframe), then Alt+arrows. */
export async function reschedulesWithKeyboard(page: Page, root: Root, crm: Crm, id: string, diagnose: () => unknown = () => null): Promise<void> {
  const bar = root.locator(`[data-campaign-id="${id}"]`).first()
  await bar.waitFor({ timeout: 15_000 })
  const focused = () =>
    bar.evaluate((el) => {
      const r = el.getRootNode()
      return r instanceof ShadowRoot && r.activeElement === el && el.ownerDocument.hasFocus()
    })
  for (let i = 0; i < 150 && !(await focused()); i++) await page.keyboard.press('Tab')
  expect(await focused()).toBe(true)
  await page.keyboard.press('Alt+ArrowRight')
  await expect.poll(async () => iso((await crm.campaigns.get(id)).startsAt), { timeout: 15_000 }).toBe('2026-03-11')
  // The bar keeps focus after the move is saved, so the next key goes to it as well.
  await expect.poll(focused, { timeout: 5_000 }).toBe(true)
  await page.keyboard.press('Alt+Shift+ArrowRight')
  await expect
    .poll(async () => iso((await crm.campaigns.get(id)).endsAt), { timeout: 15_000 })
    .toBe('2026-03-12')
    .catch(async (e: unknown) => {
      await screenshot(page, 'keyboard-failed')
      console.log('alerts:', await root.locator('[role=alert]').allTextContents(), diagnose())
      throw e
    })
}

/** A campaign named like HTML shows as text; no element is created and no script runs. */
export async function showsHtmlAsText(page: Page, root: Root, evil: string, dialogs: string[], shot: string): Promise<void> {
  await expect(root.locator('.ck-bar', { hasText: evil }).first().textContent({ timeout: 15_000 })).resolves.toContain(evil)
  expect(await root.locator('img').count()).toBe(0)
  await page.waitForTimeout(200)
  expect(dialogs).toEqual([])
  await screenshot(page, shot)
}
