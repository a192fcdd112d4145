// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCrm, money, type Crm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { CalendarApp } from '../../widgets/calendar/CalendarApp.js'
import { I18nContext, createI18n } from '../../widgets/ui/i18n.js'

let emu: AmoCrmEmulatorServer
let crm: Crm
const now = new Date('2026-03-10T09:00:00Z')
const day = (s: string) => new Date(`${s}T00:00:00Z`)

beforeEach(async () => {
  localStorage.clear()
  emu = setupAmoCrmEmulator({ seed: 3, size: { deals: 5, contacts: 3, companies: 1 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 },
  })
  await crm.setup()
  await crm.campaigns.createMany([
    { name: 'Директ: весна', channel: 'paid-search', status: 'active', startsAt: day('2026-03-02'), endsAt: day('2026-03-12'), plannedBudget: money('100000', 'RUB') },
    { name: 'Директ: бренд', channel: 'paid-search', status: 'planned', startsAt: day('2026-03-10'), endsAt: day('2026-03-20') },
    { name: 'VK: ретаргет', channel: 'paid-social', status: 'planned', startsAt: day('2026-04-06'), endsAt: day('2026-04-10') },
  ])
})
afterEach(async () => {
  cleanup()
  await crm.close()
  emu.close()
})

const mount = () =>
  render(
    <I18nContext.Provider value={createI18n('ru')}>
      <CalendarApp crm={crm} now={now} />
    </I18nContext.Provider>,
  )

describe('calendar views, filters, warnings, export', () => {
  it('switches between month, week, quarter and a channel timeline', async () => {
    mount()
    await screen.findByRole('grid')
    fireEvent.click(screen.getByRole('button', { name: 'Неделя' }))
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/9 мар.* – 15 мар.* 2026/)
    expect(screen.getAllByRole('row').filter((r) => r.classList.contains('ck-week'))).toHaveLength(1)
    fireEvent.click(screen.getByRole('button', { name: 'Квартал' }))
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Q1 2026')
    fireEvent.click(screen.getByRole('button', { name: 'Вперёд' }))
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Q2 2026')
    expect(screen.getAllByText('VK: ретаргет').length).toBeGreaterThan(0)
    fireEvent.click(screen.getByRole('button', { name: 'Назад' }))
    fireEvent.click(screen.getByRole('button', { name: 'Таймлайн' }))
    const labels = [...document.querySelectorAll('.ck-row-label')].map((l) => l.textContent)
    expect(labels).toEqual(['Контекстная реклама']) // one swimlane per channel present in March
  })

  it('shows planned vs actual spend on a campaign', async () => {
    const [c] = await crm.campaigns.list().toArray()
    await crm.spend.createMany([
      { campaignId: c!.id, date: day('2026-03-03'), amount: money('30000', 'RUB'), kind: 'actual' },
      { campaignId: c!.id, date: day('2026-03-04'), amount: money('12500.50', 'RUB'), kind: 'actual' },
      { campaignId: c!.id, date: day('2026-03-04'), amount: money('99999', 'RUB'), kind: 'committed' },
    ])
    mount()
    const [bar] = await screen.findAllByText('Директ: весна')
    await waitFor(() => expect(bar!.closest('button')!.textContent).toMatch(/план 100\s000\s₽ \/ факт 42\s500,50\s₽/))
  })

  it('warns about campaigns in the same channel whose dates overlap', async () => {
    mount()
    const warnings = await screen.findByRole('region', { name: 'Предупреждения' })
    expect(within(warnings).getByText(/«Директ: весна» и «Директ: бренд» пересекаются \(10 мар.* – 12 мар.*\)/)).toBeTruthy()
  })

  it('filters by channel and remembers the choice for the next visit', async () => {
    const first = mount()
    await screen.findByRole('grid')
    fireEvent.change(screen.getByLabelText(/Канал/), { target: { value: 'paid-social' } })
    expect(screen.queryAllByText('Директ: весна')).toHaveLength(0)
    first.unmount()
    mount()
    await screen.findByRole('grid')
    expect((screen.getByLabelText(/Канал/) as HTMLSelectElement).value).toBe('paid-social')
    expect(screen.queryAllByText('Директ: весна')).toHaveLength(0)
    fireEvent.click(screen.getByRole('button', { name: 'Сбросить фильтры' }))
    expect(screen.getAllByText('Директ: весна').length).toBeGreaterThan(0)
  })

  it('exports the period as iCalendar and CSV', async () => {
    const blobs: Blob[] = []
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:x'))
    mount()
    await screen.findByRole('grid')
    // The exporters (ical-generator, papaparse) load on the click, so each file arrives a moment later.
    fireEvent.click(screen.getByRole('button', { name: 'Экспорт .ics' }))
    await vi.waitFor(() => expect(blobs).toHaveLength(1))
    fireEvent.click(screen.getByRole('button', { name: 'Экспорт .csv' }))
    await vi.waitFor(() => expect(blobs).toHaveLength(2))
    const [ics, csv] = await Promise.all(blobs.map((b) => b.text()))
    expect(ics).toMatch(/BEGIN:VCALENDAR/)
    expect(ics!.match(/BEGIN:VEVENT/g)).toHaveLength(2)
    expect(ics).toMatch(/SUMMARY:Директ: весна/)
    expect(csv!.split('\n')[0]).toMatch(/id;name;channel/)
    expect(csv).toMatch(/Директ: бренд/)
    create.mockRestore()
  })

  it('duplicates a campaign through the dialog', async () => {
    mount()
    const [bar] = await screen.findAllByText('Директ: бренд')
    fireEvent.click(bar!.closest('button')!)
    fireEvent.click(await screen.findByRole('button', { name: 'Дублировать' }))
    expect((screen.getByLabelText('Название') as HTMLInputElement).value).toBe('Директ: бренд (копия)')
    expect(screen.queryByRole('button', { name: 'Удалить' })).toBeNull() // amoCRM lists cannot delete via API v4
    fireEvent.submit(screen.getByRole('dialog').querySelector('form')!)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect((await crm.campaigns.list().toArray()).filter((c) => c.name.startsWith('Директ: бренд'))).toHaveLength(2)
  })
})
