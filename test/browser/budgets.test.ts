import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { money, type Crm } from '../../sdk/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/server.js'
import { launch, newPage, screenshot } from './chromium.js'
import { day } from './host-scenarios.js'

// The budgets tab of the real built packages in real Chromium, on each sandbox host page. What
// the widget did is checked through the SDK against the emulated CRM, not read off the DOM.
let sandbox: Sandbox
let browser: Browser
const dialogs: string[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, deals: 100, latencyMs: 0, campaigns: false })
  browser = await launch()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await sandbox?.close()
})

interface Host {
  crm: 'amocrm' | 'bitrix24' | 'creatio'
  path: string
  /** Where the widget lives on the page: the page itself (shadow roots are pierced) or the app's frame. */
  root(page: Page): Page | FrameLocator
  /** The host tells the widget who the user is and who approves (amoCRM: widget settings). */
  approvals: boolean
}

const HOSTS: Host[] = [
  { crm: 'amocrm', path: '/amocrm/?tab=budgets', root: (p) => p, approvals: true },
  // Bitrix24: the portal's admin approves until the app option names approvers; Creatio: the page's approver-ids.
  { crm: 'bitrix24', path: '/bitrix24/?tab=budgets', root: (p) => p.frameLocator('#app-frame'), approvals: true },
  { crm: 'creatio', path: '/creatio/?view=budgets', root: (p) => p, approvals: true },
]

const HOSTILE = '<img src=x onerror=alert(7)>Промо'

describe.each(HOSTS)('budgets tab on the $crm host page in Chromium', (host) => {
  let crm: Crm
  let campaignId = ''
  let hostileId = ''
  const utm = `vk_budget_${host.crm}`

  beforeAll(async () => {
    crm = sandbox.connect(host.crm)
    await crm.setup()
    const created = await crm.campaigns.createMany([
      { name: 'VK весна', utmCampaign: utm, startsAt: day('2026-03-01'), endsAt: day('2026-03-31'), plannedBudget: money('50000', 'RUB') },
      { name: HOSTILE, startsAt: day('2026-03-01'), endsAt: day('2026-03-31'), plannedBudget: money('1000', 'RUB') },
    ])
    const [a, b] = created.map((o) => (o.ok ? o.record.id : ''))
    campaignId = a!
    hostileId = b!
    expect(campaignId && hostileId).toBeTruthy()
  }, 60_000)
  afterAll(async () => {
    await crm?.close()
  })

  async function open(): Promise<{ page: Page; root: Page | FrameLocator }> {
    if (host.crm === 'bitrix24') sandbox.bitrix24.resetLimits()
    const page = await newPage(browser, dialogs, { timezoneId: 'Europe/Moscow', fixedTime: new Date('2026-03-10T09:00:00Z') })
    await page.goto(`${sandbox.url}${host.path}`)
    const root = host.root(page)
    await root.getByRole('region', { name: 'Согласование' }).waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      await screenshot(page, `budgets-${host.crm}-failed`)
      throw e
    })
    return { page, root }
  }

  it('shows HTML in a campaign name as text and runs nothing', { timeout: 60_000 }, async () => {
    const { page, root } = await open()
    const header = root.getByRole('region', { name: 'Согласование' }).getByRole('rowheader', { name: HOSTILE })
    await expect(header.textContent()).resolves.toBe(HOSTILE)
    expect(await root.locator('img').count()).toBe(0)
    await page.waitForTimeout(200)
    expect(dialogs).toEqual([])
    await screenshot(page, `budgets-${host.crm}-html-as-text`)
    await page.close()
  })

  it('imports a spend CSV into the CRM; importing the same file again changes nothing', { timeout: 90_000 }, async () => {
    const csv = `Дата;Кампания;Расход, руб.\n05.03.2026;${utm};1 500,50\n06.03.2026;${utm};2 000,00\n`
    const file = { name: 'direct.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') }
    const mine = async () => (await crm.spend.list().toArray()).filter((s) => s.campaignId === campaignId)
    expect(await mine()).toEqual([])

    const { page, root } = await open()
    const region = root.getByRole('region', { name: /Импорт расходов/ })
    await region.getByLabel('Файл выгрузки').setInputFiles(file)
    await region.getByRole('button', { name: 'Импортировать строк: 2' }).click()
    await region.getByText('Добавлено строк: 2, пропущено как дубли: 0').waitFor({ timeout: 15_000 })
    await expect.poll(async () => (await mine()).map((s) => [s.date.toISOString().slice(0, 10), s.amount.minor, s.kind]).sort(), { timeout: 15_000 }).toEqual([
      ['2026-03-05', 150050, 'actual'],
      ['2026-03-06', 200000, 'actual'],
    ])
    await page.close()

    // A fresh page reads the CRM again, so the second import is checked against what was stored.
    const again = await open()
    const region2 = again.root.getByRole('region', { name: /Импорт расходов/ })
    await region2.getByLabel('Файл выгрузки').setInputFiles(file)
    const run = region2.getByRole('button', { name: 'Импортировать строк: 0' })
    await run.waitFor({ timeout: 15_000 })
    expect(await run.isDisabled()).toBe(true)
    expect(await region2.getByText('уже есть в CRM').count()).toBe(2)
    await screenshot(again.page, `budgets-${host.crm}-import-again`)
    expect(await mine()).toHaveLength(2)
    await again.page.close()
  })

  it.runIf(host.approvals)('submits and approves with the keyboard; the state and history reach the CRM', { timeout: 90_000 }, async () => {
    const { page, root } = await open()
    const region = root.getByRole('region', { name: 'Согласование' })
    const row = region.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'VK весна' }) })

    // Submit: button → dialog (focus moves in) → comment → confirm, all from the keyboard.
    await row.getByRole('button', { name: 'Отправить на согласование' }).focus()
    await page.keyboard.press('Enter')
    const dialog = root.getByRole('dialog', { name: 'Отправить на согласование: «VK весна»' })
    await dialog.waitFor()
    await page.keyboard.press('Tab')
    await expect(dialog.getByLabel('Комментарий (необязательно)').evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).resolves.toBe(true)
    await page.keyboard.type('Прошу <b>согласовать</b>')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(async () => (await crm.campaigns.get(campaignId)).approval, { timeout: 15_000 }).toBe('submitted')

    // Approve (the sandbox user is the configured approver); reject without a comment is refused first.
    await row.getByRole('button', { name: 'Отклонить' }).click()
    await root.getByRole('dialog').getByRole('button', { name: 'Отклонить' }).click()
    await root.getByRole('dialog').getByText('Для отказа и доработки нужен комментарий').waitFor()
    await page.keyboard.press('Escape')
    await root.getByRole('dialog').waitFor({ state: 'detached' })
    await row.getByRole('button', { name: 'Утвердить' }).click()
    await root.getByRole('dialog').getByRole('button', { name: 'Утвердить' }).click()
    await expect.poll(async () => (await crm.campaigns.get(campaignId)).approval, { timeout: 15_000 }).toBe('approved')

    const stored = await crm.campaigns.get(campaignId)
    const user = (await crm.users.list().toArray()).find((u) => u.id === stored.approvalHistory[0]!.by)
    expect(stored.approvalHistory.map((e) => [e.action, e.from, e.to, e.comment])).toEqual([
      ['submit', 'draft', 'submitted', 'Прошу <b>согласовать</b>'],
      ['approve', 'submitted', 'approved', null],
    ])
    expect(stored.approvalHistory.every((e) => e.by === user!.id && e.amount?.minor === 5_000_000)).toBe(true)

    // The history disclosure shows who, and the comment as text.
    await row.getByRole('button', { name: 'История (2)' }).click()
    const history = region.getByRole('table', { name: 'История согласования «VK весна»' })
    await expect(history.getByRole('row').nth(2).textContent()).resolves.toContain('Прошу <b>согласовать</b>')
    await expect(history.getByRole('row').nth(2).textContent()).resolves.toContain(user!.name)
    expect(await history.locator('b').count()).toBe(0)
    await screenshot(page, `budgets-${host.crm}-history`)
    await page.close()
  })
})
