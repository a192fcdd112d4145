// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCrm, money, type Crm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { BudgetsApp } from '../../widgets/budgets/BudgetsApp.js'
import { I18nContext, createI18n } from '../../widgets/ui/i18n.js'

let emu: AmoCrmEmulatorServer
let crm: Crm
const now = new Date('2026-03-15T09:00:00Z')
const day = (s: string) => new Date(`${s}T00:00:00Z`)
let ids: string[] = []

beforeEach(async () => {
  emu = setupAmoCrmEmulator({ seed: 5, size: { deals: 5, contacts: 3, companies: 1 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 },
  })
  await crm.setup()
  const created = await crm.campaigns.createMany([
    { name: 'Директ', channel: 'paid-search', startsAt: day('2026-03-01'), endsAt: day('2026-03-31'), plannedBudget: money('100000', 'RUB'), approval: 'approved' },
    { name: 'VK', channel: 'paid-social', startsAt: day('2026-03-01'), endsAt: day('2026-03-10'), plannedBudget: money('20000', 'RUB') },
  ])
  ids = created.map((o) => (o.ok ? o.record.id : ''))
  await crm.spend.createMany([
    { campaignId: ids[0]!, date: day('2026-03-05'), amount: money('30000', 'RUB'), kind: 'actual' },
    { campaignId: ids[1]!, date: day('2026-03-05'), amount: money('25000.50', 'RUB'), kind: 'actual' },
  ])
})
afterEach(async () => {
  cleanup()
  await crm.close()
  emu.close()
})

const mount = (userId: string | null = 'u1', approverIds: string[] = []) =>
  render(
    <I18nContext.Provider value={createI18n('ru')}>
      <BudgetsApp crm={crm} now={now} userId={userId} approverIds={approverIds} />
    </I18nContext.Provider>,
  )

const cells = (row: HTMLElement) => [...row.children].map((c) => c.textContent!.replace(/\s/g, ' ').replace(/ /g, ' '))

describe('budgets tab', () => {
  it('rolls budgets up by channel with remaining, variance and totals, and raises alerts', async () => {
    mount()
    const table = await screen.findByRole('table', { name: 'Бюджеты кампаний' })
    const rows = within(table).getAllByRole('row').slice(1).map(cells)
    expect(rows[0]).toEqual(['Контекстная реклама', '100 000 ₽', '100 000 ₽', '0 ₽', '30 000 ₽', '70 000 ₽', '-70 000 ₽'])
    expect(rows[1]![0]).toBe('Таргетированная реклама')
    expect(rows[1]![4]).toBe('25 000,50 ₽')
    expect(rows.at(-1)!.slice(0, 5)).toEqual(['Итого', '120 000 ₽', '100 000 ₽', '0 ₽', '55 000,50 ₽'])
    const alerts = screen.getByRole('region', { name: 'Сигналы' })
    expect(within(alerts).getByText(/«VK»: фактический расход 25\s000,50\s₽ больше плана 20\s000\s₽/)).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Группировать по'), { target: { value: 'month' } })
    expect(within(table).getAllByRole('row')[1]!.children[0]!.textContent).toBe('2026-03')
  })

  it('adds spend through the form, and names a bad amount', async () => {
    mount()
    const form = await screen.findByRole('form', { name: 'Добавить расход' })
    fireEvent.change(within(form).getByLabelText('Кампания'), { target: { value: ids[0] } })
    fireEvent.input(within(form).getByLabelText('Сумма'), { target: { value: 'десять' } })
    fireEvent.submit(form)
    expect(within(form).getByLabelText('Сумма').getAttribute('aria-invalid')).toBe('true')
    fireEvent.input(within(form).getByLabelText('Сумма'), { target: { value: '1 234,56' } })
    fireEvent.submit(form)
    await waitFor(async () => {
      const spend = await crm.spend.list().toArray()
      expect(spend.some((s) => s.campaignId === ids[0] && s.amount.minor === 123456)).toBe(true)
    })
  })
})

describe('budgets tab: spend CSV import', () => {
  const file = (text: string) => new File([text], 'direct.csv', { type: 'text/csv' })
  const csv = 'Дата;Кампания;Расход, руб.\n05.03.2026;Директ;1 000,00\n06.03.2026;Директ;2 000,00\n07.03.2026;Нет такой;5\n'

  it('previews rows with per-row errors, imports them, and importing the same file again adds nothing', async () => {
    const before = (await crm.spend.list().toArray()).length
    const view = mount()
    const region = await screen.findByRole('region', { name: /Импорт расходов/ })
    const upload = async () => {
      fireEvent.change(within(region).getByLabelText('Файл выгрузки'), { target: { files: [file(csv)] } })
      return within(region).findByRole('button', { name: /Импортировать строк/ })
    }
    const run = await upload()
    expect(run.textContent).toBe('Импортировать строк: 2')
    expect(within(region).getByText(/ошибка: campaign/)).toBeTruthy()
    fireEvent.click(run)
    await within(region).findByText('Добавлено строк: 2, пропущено как дубли: 0')
    expect((await crm.spend.list().toArray()).length).toBe(before + 2)

    const again = await upload()
    expect(again.textContent).toBe('Импортировать строк: 0')
    expect((again as HTMLButtonElement).disabled).toBe(true)
    expect(within(region).getAllByText('уже есть в CRM')).toHaveLength(2)
    expect((await crm.spend.list().toArray()).length).toBe(before + 2)
    view.unmount()
  })
})

describe('CSV export of the views', () => {
  it('exports the budget grid exactly, Excel-friendly', async () => {
    const blobs: Blob[] = []
    const spy = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:x'))
    mount()
    await screen.findByRole('table', { name: 'Бюджеты кампаний' })
    fireEvent.click(screen.getAllByRole('button', { name: 'Экспорт .csv' })[0]!)
    // The CSV writer loads on first use (a lazy chunk), so the download comes a moment later.
    await waitFor(() => expect(blobs).toHaveLength(1))
    const text = await blobs[0]!.text()
    const lines = text.replace(/^\uFEFF/, '').split('\r\n')
    expect(lines[0]).toBe('Канал;План;Утверждено;Обязательства;Факт;Остаток;Отклонение')
    expect(lines[2]).toBe('Таргетированная реклама;20000,00;0,00;0,00;25000,50;-25000,50;5000,50')
    expect(lines.at(-1)).toBe('Итого;120000,00;100000,00;0,00;55000,50;44999,50;-64999,50')
    spy.mockRestore()
  })
})
