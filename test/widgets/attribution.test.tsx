// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCrm, type Crm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { AttributionApp } from '../../widgets/attribution/AttributionApp.js'
import { attributionReport } from '../../sdk/marketing/report.js'
import { I18nContext, createI18n } from '../../widgets/ui/i18n.js'

let emu: AmoCrmEmulatorServer
let crm: Crm
const now = new Date('2026-11-01T00:00:00Z') // the emulator's seed anchor: a year of deals before it

beforeEach(() => {
  emu = setupAmoCrmEmulator({ seed: 8, size: { deals: 400, contacts: 150, companies: 10 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 },
  })
})
afterEach(async () => {
  cleanup()
  await crm.close()
  emu.close()
})

const mount = () =>
  render(
    <I18nContext.Provider value={createI18n('ru')}>
      <AttributionApp crm={crm} now={now} />
    </I18nContext.Provider>,
  )

const tableRows = () =>
  within(screen.getByRole('table', { name: 'Таблица атрибуции' }))
    .getAllByRole('row')
    .slice(1, -1)
    .map((tr) => [...tr.children].map((c) => c.textContent))

describe('attribution tab', () => {
  it('shows the table the engine computes for the account, with totals', async () => {
    mount()
    await screen.findByRole('table', { name: 'Таблица атрибуции' }, { timeout: 10_000 })
    const deals = await crm.deals.list().toArray()
    const leads = deals.map((d) => ({ ...d, status: 'open' as const, dealId: d.id }))
    const expected = attributionReport({
      leads,
      deals,
      campaigns: [],
      spend: [],
      model: 'last-touch',
      groupBy: 'channel',
      from: new Date('2026-08-04T00:00:00Z'),
      to: new Date('2026-11-01T23:59:59.999Z'),
      currency: 'RUB',
    })
    const rows = tableRows()
    expect(rows.length).toBe(expected.rows.length)
    const leadsCol = Object.fromEntries(rows.map((r) => [r[0], r[2]]))
    expect(Number(leadsCol['Контекстная реклама']?.replace(/\s/g, '').replace(',', '.'))).toBeCloseTo(expected.rows.find((r) => r.key === 'paid-search')!.leads, 1)
    const total = within(screen.getByRole('table', { name: 'Таблица атрибуции' })).getAllByRole('row').at(-1)!
    expect(total.children[2]!.textContent!.replace(/\s/g, '')).toBe(String(expected.total.leads))
  })

  it('switches models with an explanation, and sorts by any column', async () => {
    mount()
    await screen.findByRole('table', { name: 'Таблица атрибуции' }, { timeout: 10_000 })
    fireEvent.change(screen.getByLabelText(/Модель/), { target: { value: 'markov' } })
    expect(document.getElementById('ck-model-help')!.textContent).toMatch(/Цепи Маркова/)
    fireEvent.click(screen.getByRole('button', { name: 'Сортировать по «Лиды»' }))
    const leads = tableRows().map((r) => Number(r[2]!.replace(/\s/g, '').replace(',', '.')))
    expect(leads).toEqual([...leads].sort((a, b) => b - a))
    expect(screen.getByRole('columnheader', { name: /Лиды/ }).getAttribute('aria-sort')).toBe('descending')
    fireEvent.change(screen.getByLabelText(/Группировать по/), { target: { value: 'campaign' } })
    expect(tableRows().some((r) => r[0] === 'spring_sale_2026' || r[0] === 'brand_search' || r[0] === '(не указано)')).toBe(true)
  })
})
