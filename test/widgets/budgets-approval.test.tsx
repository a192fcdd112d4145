// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCrm, money, type Crm, type User } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { BudgetsApp } from '../../widgets/budgets/BudgetsApp.js'
import { I18nContext, createI18n } from '../../widgets/ui/i18n.js'

let emu: AmoCrmEmulatorServer
let crm: Crm
let owner: User
let boss: User
let vkId = ''
const now = new Date('2026-03-15T09:00:00Z')
const day = (s: string) => new Date(`${s}T00:00:00Z`)
const HOSTILE = '<img src=x onerror="window.__pwned=1">Промо'

beforeEach(async () => {
  localStorage.clear()
  emu = setupAmoCrmEmulator({ seed: 7, size: { deals: 3, contacts: 2, companies: 1, users: 3 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  })
  await crm.setup()
  const users = await crm.users.list().toArray()
  owner = users[0]!
  boss = users[1]!
  const created = await crm.campaigns.createMany([
    { name: 'Директ', channel: 'paid-search', startsAt: day('2026-03-01'), endsAt: day('2026-03-31'), plannedBudget: money('100000', 'RUB'), approval: 'approved' },
    { name: 'VK', channel: 'paid-social', startsAt: day('2026-03-01'), endsAt: day('2026-03-10'), plannedBudget: money('20000', 'RUB') },
    { name: HOSTILE, channel: 'paid-social', startsAt: day('2026-03-01'), endsAt: day('2026-03-31'), plannedBudget: money('1000', 'USD') },
  ])
  vkId = created[1]!.ok ? created[1]!.record.id : ''
})
afterEach(async () => {
  cleanup()
  await crm.close()
  emu.close()
})

const mount = (userId: string | null, approverIds: string[], lang: 'ru' | 'en' = 'ru') =>
  render(
    <I18nContext.Provider value={createI18n(lang)}>
      <BudgetsApp crm={crm} now={now} userId={userId} approverIds={approverIds} />
    </I18nContext.Provider>,
  )
const approvals = () => screen.findByRole('region', { name: 'Согласование' })
const row = (region: HTMLElement, name: string) => within(region).getByRole('rowheader', { name }).closest('tr')!

/** Puts VK on approval as its owner would, through the SDK (not the UI under test). */
async function submitVk() {
  const entry = { action: 'submit', from: 'draft', to: 'submitted', by: owner.id, at: new Date('2026-03-10T08:00:00Z'), comment: null, amount: money('20000', 'RUB') } as const
  await crm.campaigns.update(vkId, { approvalHistory: [entry] })
}

describe('budgets tab: approval workflow', () => {
  it('submits through a dialog; the state and a history entry reach the CRM; the History disclosure shows them as text', async () => {
    mount(owner.id, [boss.id])
    const region = await approvals()
    expect(within(row(region, 'VK')).queryByRole('button', { name: 'Утвердить' })).toBeNull()
    fireEvent.click(within(row(region, 'VK')).getByRole('button', { name: 'Отправить на согласование' }))
    const dialog = screen.getByRole('dialog', { name: 'Отправить на согласование: «VK»' })
    const comment = within(dialog).getByLabelText('Комментарий (необязательно)')
    expect(document.activeElement === comment || dialog.contains(document.activeElement)).toBe(true)
    fireEvent.input(comment, { target: { value: '<b>Срочно</b> до пятницы' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Отправить на согласование' }))
    // Optimistic: the row changes before the CRM answers, and says it is saving.
    expect(within(row(region, 'VK')).getByText('На согласовании')).toBeTruthy()
    expect(within(region).getByRole('status').textContent).toBe('Сохраняем: VK…')
    await waitFor(async () => expect((await crm.campaigns.get(vkId)).approvalHistory).toHaveLength(1))
    const stored = await crm.campaigns.get(vkId)
    expect(stored.approval).toBe('submitted')
    expect(stored.approvalHistory[0]).toMatchObject({ action: 'submit', from: 'draft', to: 'submitted', by: owner.id, comment: '<b>Срочно</b> до пятницы', amount: money('20000', 'RUB') })

    const toggle = await within(row(region, 'VK')).findByRole('button', { name: 'История (1)' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    const history = within(region).getByRole('table', { name: 'История согласования «VK»' })
    expect(toggle.getAttribute('aria-controls')).toBe(history.parentElement!.id)
    const cells = within(history).getAllByRole('row')[1]!.querySelectorAll('td')
    expect(cells[1]!.textContent).toBe(owner.name)
    expect(cells[2]!.textContent).toBe('Отправить на согласование → На согласовании')
    expect(cells[3]!.textContent).toBe('<b>Срочно</b> до пятницы')
    expect(history.querySelector('b')).toBeNull()
    expect(cells[4]!.textContent!.replace(/\s/g, ' ')).toBe('20 000 ₽')
    expect(cells[0]!.querySelector('time')!.getAttribute('datetime')).toBe(stored.approvalHistory[0]!.at.toISOString())
  })

  it('requires a comment to reject or request changes, Escape cancels without writing, and the approver’s step is appended', async () => {
    await submitVk()
    mount(boss.id, [boss.id])
    const region = await approvals()
    fireEvent.click(within(row(region, 'VK')).getByRole('button', { name: 'Отклонить' }))
    let dialog = screen.getByRole('dialog', { name: 'Отклонить: «VK»' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Отклонить' }))
    const field = within(dialog).getByLabelText('Комментарий (обязательно)')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog).getByRole('alert').textContent).toBe('Для отказа и доработки нужен комментарий')
    fireEvent.keyDown(field, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect((await crm.campaigns.get(vkId)).approval).toBe('submitted')

    fireEvent.click(within(row(region, 'VK')).getByRole('button', { name: 'На доработку' }))
    dialog = screen.getByRole('dialog', { name: 'На доработку: «VK»' })
    fireEvent.input(within(dialog).getByLabelText('Комментарий (обязательно)'), { target: { value: 'Сократите на 10 %' } })
    fireEvent.submit(within(dialog).getByLabelText('Комментарий (обязательно)').closest('form')!)
    await waitFor(async () => expect((await crm.campaigns.get(vkId)).approval).toBe('needs-revision'))
    const stored = await crm.campaigns.get(vkId)
    expect(stored.approvalHistory.map((e) => [e.action, e.by, e.comment])).toEqual([
      ['submit', owner.id, null],
      ['request-revision', boss.id, 'Сократите на 10 %'],
    ])
  })

  it('offers approver actions only to configured approvers', async () => {
    await submitVk()
    const first = mount(owner.id, [boss.id])
    let region = await approvals()
    const vk = row(region, 'VK')
    for (const name of ['Утвердить', 'Отклонить', 'На доработку']) expect(within(vk).queryByRole('button', { name })).toBeNull()
    expect(within(vk).getByRole('button', { name: 'Отозвать' })).toBeTruthy()
    expect(within(region).getByText(/только согласующие/)).toBeTruthy()
    first.unmount()

    const anonymous = mount(null, [boss.id])
    region = await approvals()
    expect(within(row(region, 'VK')).queryByRole('button', { name: 'Отозвать' })).toBeNull()
    expect(within(region).getByText(/Не удалось определить пользователя/)).toBeTruthy()
    anonymous.unmount()

    mount(boss.id, [boss.id])
    region = await approvals()
    fireEvent.click(within(row(region, 'VK')).getByRole('button', { name: 'Утвердить' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Утвердить' }))
    await waitFor(async () => expect((await crm.campaigns.get(vkId)).approval).toBe('approved'))
    // The approved amount now counts in the grid's "Approved" column (from the history's approval).
    const table = screen.getByRole('table', { name: 'Бюджеты кампаний' })
    await waitFor(() => expect(within(table).getAllByRole('row').at(-1)!.children[2]!.textContent!.replace(/\s/g, ' ')).toBe('120 000 ₽'))
  })

  it("an approved budget whose amount was changed in the CRM's own form reads as back in approval, and can be approved again", async () => {
    await submitVk()
    const approve = { action: 'approve', from: 'submitted', to: 'approved', by: boss.id, at: new Date('2026-03-11T08:00:00Z'), comment: null, amount: money('20000', 'RUB') } as const
    const approved = await crm.campaigns.update(vkId, { approvalHistory: [...(await crm.campaigns.get(vkId)).approvalHistory, approve] })
    expect(approved.approval).toBe('approved')
    // Someone raises the budget in the CRM, outside crmkit: the stored flag still says approved.
    await crm.campaigns.update(vkId, { plannedBudget: money('26000', 'RUB') })
    mount(boss.id, [boss.id])
    const vk = row(await approvals(), 'VK')
    expect(within(vk).getByText('На согласовании')).toBeTruthy()
    fireEvent.click(within(vk).getByRole('button', { name: 'Утвердить' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Утвердить' }))
    await waitFor(async () => expect((await crm.campaigns.get(vkId)).approvalHistory.at(-1)).toMatchObject({ action: 'approve', amount: money('26000', 'RUB') }))
  })

  it('rolls the row back with a visible message when the CRM refuses the write', async () => {
    mount(owner.id, [boss.id])
    const region = await approvals()
    emu.server.use(
      http.patch(`${emu.emulator.baseUrl}/api/v4/catalogs/:id/elements`, () =>
        HttpResponse.json({ title: 'Bad Request', status: 400, detail: 'Request validation failed', 'validation-errors': [] }, { status: 400, headers: { 'content-type': 'application/problem+json' } }),
      ),
    )
    fireEvent.click(within(row(region, 'VK')).getByRole('button', { name: 'Отправить на согласование' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Отправить на согласование' }))
    const alert = await screen.findByText(/«VK»: CRM не сохранила действие/)
    expect(alert.getAttribute('role')).toBe('alert')
    expect(within(row(region, 'VK')).getByText('Черновик')).toBeTruthy()
    expect((await crm.campaigns.get(vkId)).approval).toBe('draft')
  })

  it('writes nothing when someone else changed the approval meanwhile, and shows the current state', async () => {
    mount(owner.id, [boss.id])
    const region = await approvals()
    await submitVk() // another user, in another tab
    fireEvent.click(within(row(region, 'VK')).getByRole('button', { name: 'Отправить на согласование' }))
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Отправить на согласование' }))
    await screen.findByText(/только что изменил кто-то другой/)
    const stored = await crm.campaigns.get(vkId)
    expect(stored.approvalHistory).toHaveLength(1)
    expect(within(row(region, 'VK')).getByRole('button', { name: 'История (1)' })).toBeTruthy()
  })

  it('shows HTML in campaign names as text', async () => {
    const view = mount(owner.id, [boss.id])
    const region = await approvals()
    expect(within(region).getByRole('rowheader', { name: HOSTILE }).textContent).toBe(HOSTILE)
    expect(view.container.querySelector('img')).toBeNull()
  })
})

describe('budgets tab: base currency and exchange rates', () => {
  const totals = (name = 'Бюджеты кампаний') => within(screen.getByRole('table', { name })).getAllByRole('row').at(-1)!
  const planned = () => totals().children[1]!.textContent!.replace(/\s/g, ' ')

  it('leaves amounts without a rate out of the sums and says so; a typed rate converts them exactly and is remembered', async () => {
    const first = mount(owner.id, [boss.id])
    await screen.findByRole('table', { name: 'Бюджеты кампаний' })
    expect(planned()).toBe('120 000 ₽')
    expect(screen.getByText(`Не учтены — нет курса к RUB: «${HOSTILE}» (USD)`)).toBeTruthy()
    expect(within(row(await approvals(), HOSTILE)).getByText(/нет курса к RUB/)).toBeTruthy()

    const rates = screen.getByRole('region', { name: 'Курсы валют' })
    const usd = within(rates).getByLabelText('1 USD = … RUB')
    fireEvent.input(usd, { target: { value: '92,5x' } })
    expect(usd.getAttribute('aria-invalid')).toBe('true')
    expect(within(rates).getByRole('alert').textContent).toBe('Курс — положительное число, например 92,50')
    expect(planned()).toBe('120 000 ₽')
    fireEvent.input(usd, { target: { value: '92,50' } })
    expect(usd.getAttribute('aria-invalid')).toBe('false')
    await waitFor(() => expect(planned()).toBe('212 500 ₽'))
    expect(screen.queryByText(/нет курса к RUB:/)).toBeNull()
    first.unmount()

    mount(owner.id, [boss.id])
    await screen.findByRole('table', { name: 'Бюджеты кампаний' })
    expect((screen.getByLabelText('1 USD = … RUB') as HTMLInputElement).value).toBe('92,50')
    expect(planned()).toBe('212 500 ₽')
  })

  it('switches the base currency; rubles then need their own rate', async () => {
    mount(owner.id, [boss.id], 'en')
    await screen.findByRole('table', { name: 'Campaign budgets' })
    fireEvent.change(screen.getByLabelText('Base currency'), { target: { value: 'USD' } })
    const rub = await screen.findByLabelText('1 RUB = … USD')
    expect(totals('Campaign budgets').children[1]!.textContent).toMatch(/^US\$1,000$/)
    expect(screen.getByText(/Not counted, no rate to USD: «Директ» \(RUB\), «VK» \(RUB\)/)).toBeTruthy()
    fireEvent.input(rub, { target: { value: '0.01' } })
    await waitFor(() => expect(totals('Campaign budgets').children[1]!.textContent).toMatch(/^US\$2,200$/))
  })
})
