// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCrm, money, type Crm } from '../../sdk/index.js'
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

const mount = (lang: Lang = 'ru') =>
  render(
    <I18nContext.Provider value={createI18n(lang)}>
      <CalendarApp crm={crm} now={now} />
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
