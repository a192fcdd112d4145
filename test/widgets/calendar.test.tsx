// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCrm, money, type Campaign, type Crm } from '../../sdk/index.js'
import { approvalFromCampaign, approvalStep } from '../../sdk/marketing/approval.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { CalendarApp } from '../../widgets/calendar/CalendarApp.js'
import { I18nContext, createI18n, type Lang } from '../../widgets/ui/i18n.js'

let emu: AmoCrmEmulatorServer
let crm: Crm
const now = new Date('2026-03-10T09:00:00Z')
const day = (s: string) => new Date(`${s}T00:00:00Z`)

beforeEach(async () => {
  emu = setupAmoCrmEmulator({ seed: 2, size: { deals: 5, contacts: 3, companies: 1 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }))
  await crm.setup()
})
afterEach(async () => {
  cleanup()
  await crm.close()
  emu.close()
})

const mount = (lang: Lang = 'ru', userId?: string) =>
  render(
    <I18nContext.Provider value={createI18n(lang)}>
      <CalendarApp crm={crm} now={now} {...(userId ? { userId } : {})} />
    </I18nContext.Provider>,
  )

describe('marketing calendar (month view)', () => {
  it('shows loading, then the month with the account’s campaigns and their budgets', async () => {
    await crm.campaigns.create({ name: 'Весенняя распродажа', startsAt: day('2026-03-02'), endsAt: day('2026-03-12'), plannedBudget: money('250000', 'RUB') })
    mount()
    expect(screen.getByRole('status').textContent).toMatch(/Загружаем/)
    const bars = await screen.findAllByText('Весенняя распродажа')
    expect(bars.length).toBe(2) // two week rows of March
    expect(bars[0]!.closest('button')!.textContent).toMatch(/250\s000\s₽/)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/март 2026/i)
  })

  it('speaks English when the host does', async () => {
    mount('en')
    await screen.findByRole('grid')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('March 2026')
    expect(screen.getByRole('button', { name: 'New campaign' })).toBeTruthy()
  })

  it('creates a campaign through the dialog, reaching the CRM', async () => {
    mount()
    await screen.findByRole('grid')
    fireEvent.click(screen.getByRole('button', { name: 'Новая кампания' }))
    const dialog = await screen.findByRole('dialog')
    expect(document.activeElement?.tagName).toBe('BUTTON') // focus moved into the dialog
    fireEvent.input(screen.getByLabelText('Название'), { target: { value: 'Вебинар' } })
    fireEvent.input(screen.getByLabelText('Начало'), { target: { value: '2026-03-16' } })
    fireEvent.input(screen.getByLabelText('Окончание'), { target: { value: '2026-03-18' } })
    fireEvent.input(screen.getByLabelText('Плановый бюджет'), { target: { value: '1 500,50' } })
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const stored = await crm.campaigns.list().toArray()
    expect(stored.map((c) => [c.name, c.startsAt.toISOString().slice(0, 10), c.endsAt.toISOString().slice(0, 10), c.plannedBudget])).toEqual([
      ['Вебинар', '2026-03-16', '2026-03-18', { minor: 150050, currency: 'RUB' }],
    ])
    expect(await screen.findByText('Вебинар')).toBeTruthy()
  })

  it('names the invalid fields and sends nothing', async () => {
    mount()
    await screen.findByRole('grid')
    fireEvent.click(screen.getByRole('button', { name: 'Новая кампания' }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.input(screen.getByLabelText('Начало'), { target: { value: '2026-03-20' } })
    fireEvent.input(screen.getByLabelText('Окончание'), { target: { value: '2026-03-10' } })
    fireEvent.input(screen.getByLabelText('Плановый бюджет'), { target: { value: 'много' } })
    const before = emu.emulator.log.length
    fireEvent.submit(dialog.querySelector('form')!)
    const name = screen.getByLabelText('Название')
    expect(name.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toBe('Заполните поле')
    expect(screen.getByLabelText('Плановый бюджет').getAttribute('aria-invalid')).toBe('true')
    fireEvent.input(name, { target: { value: 'X' } })
    fireEvent.input(screen.getByLabelText('Плановый бюджет'), { target: { value: '' } })
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(() => expect(screen.getByLabelText('Окончание').getAttribute('aria-invalid')).toBe('true'))
    expect(screen.getByText('Окончание не может быть раньше начала')).toBeTruthy()
    expect(emu.emulator.log.length).toBe(before)
  })

  it('shows HTML from the CRM as text', async () => {
    const evil = '<img src=x onerror=alert(1)>'
    await crm.campaigns.create({ name: evil, startsAt: day('2026-03-04'), endsAt: day('2026-03-04') })
    const { container } = mount()
    const [bar] = await screen.findAllByText(evil)
    expect(bar!.textContent).toContain(evil)
    expect(container.querySelector('img')).toBeNull()
  })

  it('reschedules with the keyboard: Alt+→ moves, Alt+Shift+→ extends', async () => {
    const c = await crm.campaigns.create({ name: 'Акция', startsAt: day('2026-03-03'), endsAt: day('2026-03-05') })
    mount()
    const bar = (await screen.findByText('Акция')).closest('button')!
    bar.focus()
    fireEvent.keyDown(bar, { key: 'ArrowRight', altKey: true })
    await waitFor(async () => expect((await crm.campaigns.get(c.id)).startsAt.toISOString()).toBe('2026-03-04T00:00:00.000Z'))
    fireEvent.keyDown((await screen.findByText('Акция')).closest('button')!, { key: 'ArrowRight', altKey: true, shiftKey: true })
    await waitFor(async () => {
      const saved = await crm.campaigns.get(c.id)
      expect([saved.startsAt.toISOString().slice(0, 10), saved.endsAt.toISOString().slice(0, 10)]).toEqual(['2026-03-04', '2026-03-07'])
    })
  })

  it('rolls back a move the CRM rejects and says so', async () => {
    const c = await crm.campaigns.create({ name: 'Отказ', startsAt: day('2026-03-03'), endsAt: day('2026-03-03') })
    mount()
    const bar = (await screen.findByText('Отказ')).closest('button')!
    emu.server.use(
      http.patch(`${emu.emulator.baseUrl}/api/v4/catalogs/:id/elements`, () =>
        HttpResponse.json({ title: 'Forbidden', type: 'https://httpstatus.es/403', status: 403, detail: 'Недостаточно прав' }, { status: 403 }),
      ),
    )
    fireEvent.keyDown(bar, { key: 'ArrowRight', altKey: true })
    expect((await screen.findByRole('alert')).textContent).toMatch(/CRM не сохранила изменения/)
    const after = (await screen.findByText('Отказ')).closest('button')!
    expect(after.style.gridColumn).toBe('2 / 3') // back on Tuesday the 3rd
    expect((await crm.campaigns.get(c.id)).startsAt.toISOString()).toBe('2026-03-03T00:00:00.000Z')
  })

  it('keeps the last of two quick moves: writes to one campaign go out one at a time, in order', async () => {
    const c = await crm.campaigns.create({ name: 'Быстро', startsAt: day('2026-03-03'), endsAt: day('2026-03-03') })
    mount()
    const arrivals: number[] = []
    // The first PATCH is held back (as a rate-limited retry would be), then the emulator handles it.
    emu.server.use(
      http.patch(`${emu.emulator.baseUrl}/api/v4/catalogs/:id/elements`, async () => {
        arrivals.push(Date.now())
        if (arrivals.length === 1) await new Promise((r) => setTimeout(r, 300))
        return undefined
      }),
    )
    fireEvent.keyDown((await screen.findByText('Быстро')).closest('button')!, { key: 'ArrowRight', altKey: true })
    fireEvent.keyDown((await screen.findByText('Быстро')).closest('button')!, { key: 'ArrowRight', altKey: true })
    await waitFor(() => expect(arrivals).toHaveLength(2), { timeout: 5_000 })
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(290) // the second waited for the first
    await waitFor(async () => expect((await crm.campaigns.get(c.id)).startsAt.toISOString()).toBe('2026-03-05T00:00:00.000Z'))
    expect((await screen.findByText('Быстро')).closest('button')!.style.gridColumn).toBe('4 / 5') // Thursday the 5th
  })

  it('says so when the campaigns cannot be loaded, and loads them on retry', async () => {
    await crm.campaigns.create({ name: 'Вернулась', startsAt: day('2026-03-03'), endsAt: day('2026-03-04') })
    emu.server.use(
      http.get(`${emu.emulator.baseUrl}/api/v4/catalogs/:id/elements`, () =>
        HttpResponse.json({ title: 'Forbidden', type: 'https://httpstatus.es/403', status: 403, detail: 'Недостаточно прав' }, { status: 403 }),
      ),
    )
    mount()
    expect((await screen.findByText(/Не удалось загрузить кампании/)).textContent).toMatch(/Недостаточно прав|403/)
    emu.server.resetHandlers()
    fireEvent.click(screen.getByRole('button', { name: 'Повторить' }))
    expect(await screen.findByText('Вернулась')).toBeTruthy()
  })
})

describe('campaign dialog and budget approval', () => {
  /** A campaign whose budget went through submit and approve in the CRM. */
  async function approvedCampaign(name: string): Promise<Campaign> {
    let c = await crm.campaigns.create({ name, startsAt: day('2026-03-03'), endsAt: day('2026-03-05'), plannedBudget: money('250000', 'RUB') })
    for (const [action, by] of [['submit', 'anna'], ['approve', 'boss']] as const) {
      c = await crm.campaigns.update(c.id, approvalStep(c, action, { by, at: new Date('2026-03-01T10:00:00Z') }).update)
    }
    expect(c.approval).toBe('approved')
    return c
  }
  const openDialog = async (name: string) => {
    fireEvent.click((await screen.findAllByText(name))[0]!.closest('button')!)
    return screen.findByRole('dialog')
  }

  it('a new amount on an approved budget sends it back for approval, with an edit-amount entry in the CRM', async () => {
    const c = await approvedCampaign('Утверждённая')
    mount('ru', 'anna')
    const dialog = await openDialog('Утверждённая')
    expect(screen.queryByRole('note')).toBeNull()
    fireEvent.input(screen.getByLabelText('Плановый бюджет'), { target: { value: '300000' } })
    expect(screen.getByRole('note').textContent).toMatch(/повторное согласование/)
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const saved = await crm.campaigns.get(c.id)
    expect(saved.plannedBudget).toEqual(money('300000', 'RUB'))
    expect(saved.approval).toBe('submitted')
    expect(saved.approvalHistory.map((e) => [e.action, e.from, e.to, e.by])).toEqual([
      ['submit', 'draft', 'submitted', 'anna'],
      ['approve', 'submitted', 'approved', 'boss'],
      ['edit-amount', 'approved', 'submitted', 'anna'],
    ])
    expect(saved.approvalHistory[2]).toMatchObject({ at: now, amount: money('300000', 'RUB') })
    // The approved figure stays in force until the new one is decided.
    expect(approvalFromCampaign(saved).approvedAmount).toEqual(money('250000', 'RUB'))
  })

  it('other edits of an approved campaign, and budget edits of a draft, write no approval step', async () => {
    const c = await approvedCampaign('Без суммы')
    const draft = await crm.campaigns.create({ name: 'Черновик', startsAt: day('2026-03-10'), endsAt: day('2026-03-11'), plannedBudget: money('1000', 'RUB') })
    mount('ru', 'anna')
    let dialog = await openDialog('Без суммы')
    fireEvent.input(screen.getByLabelText('Название'), { target: { value: 'Переименована' } })
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const renamed = await crm.campaigns.get(c.id)
    expect([renamed.name, renamed.approval, renamed.approvalHistory.length]).toEqual(['Переименована', 'approved', 2])

    dialog = await openDialog('Черновик')
    fireEvent.input(screen.getByLabelText('Плановый бюджет'), { target: { value: '2000' } })
    expect(screen.queryByRole('note')).toBeNull()
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const edited = await crm.campaigns.get(draft.id)
    expect([edited.plannedBudget, edited.approval, edited.approvalHistory]).toEqual([money('2000', 'RUB'), 'draft', []])
  })

  it('builds the step on what the CRM holds now: an approval given since the calendar loaded is kept', async () => {
    let c = await crm.campaigns.create({ name: 'На согласовании', startsAt: day('2026-03-03'), endsAt: day('2026-03-05'), plannedBudget: money('500', 'RUB') })
    c = await crm.campaigns.update(c.id, approvalStep(c, 'submit', { by: 'anna', at: new Date('2026-03-01T10:00:00Z') }).update)
    mount('ru', 'anna')
    const dialog = await openDialog('На согласовании')
    await crm.campaigns.update(c.id, approvalStep(c, 'approve', { by: 'boss', at: new Date('2026-03-02T10:00:00Z') }).update)
    fireEvent.input(screen.getByLabelText('Плановый бюджет'), { target: { value: '700' } })
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const saved = await crm.campaigns.get(c.id)
    expect(saved.approvalHistory.map((e) => `${e.action}:${e.from}>${e.to}`)).toEqual(['submit:draft>submitted', 'approve:submitted>approved', 'edit-amount:approved>submitted'])
  })

  it('the currency of a budget in approval cannot change: the field says so and nothing is sent', async () => {
    await approvedCampaign('Рубли')
    mount('ru', 'anna')
    const dialog = await openDialog('Рубли')
    fireEvent.input(screen.getByLabelText('Валюта'), { target: { value: 'USD' } })
    const before = emu.emulator.log.length
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(() => expect(screen.getByLabelText('Валюта').getAttribute('aria-invalid')).toBe('true'))
    expect(screen.getByText('Валюту бюджета на согласовании изменить нельзя')).toBeTruthy()
    expect(emu.emulator.log.length).toBe(before)
  })
})
