// @vitest-environment happy-dom
import { findByRole, findAllByRole, findAllByText, fireEvent, getByLabelText, waitFor } from '@testing-library/preact'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCrm, money, type Crm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { approvalStep } from '../../sdk/marketing/approval.js'
import { CrmkitCalendarElement, defineElements } from '../../widgets/hosts/standalone/index.js'

// The standalone element: any tab, a tab bar on request, approval inputs, the card tab waiting for
// its record, and unmounting when removed. The same WidgetElement runs Creatio's elements.
let emu: AmoCrmEmulatorServer
let crm: Crm
let dealId = ''

beforeAll(async () => {
  emu = setupAmoCrmEmulator({ seed: 3, size: { deals: 5, contacts: 3, companies: 1 }, rateLimit: false }, { onUnhandledRequest: 'bypass' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }))
  await crm.setup()
  await crm.campaigns.create({ name: 'Весна', startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-03-31T00:00:00Z'), plannedBudget: money('1000', 'RUB') })
  dealId = (await crm.deals.list().toArray())[0]!.id
  defineElements()
})
afterAll(async () => {
  await crm.close()
  emu.close()
})
afterEach(() => document.body.replaceChildren())

function element(attrs: Record<string, string>): CrmkitCalendarElement {
  const el = document.createElement('crmkit-calendar') as CrmkitCalendarElement
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v)
  document.body.append(el)
  return el
}
const shadow = (el: HTMLElement) => el.shadowRoot as unknown as HTMLElement

describe('<crmkit-calendar> (standalone element)', () => {
  it('shows nothing until the page gives it a client, then the tab its attribute names', async () => {
    const el = element({ tab: 'budgets', 'approver-ids': '7', 'user-id': '7', lang: 'ru' })
    expect(el.shadowRoot).toBeNull()
    el.crm = crm
    expect(await findByRole(shadow(el), 'region', { name: 'Согласование' }, { timeout: 10_000 })).toBeTruthy()
  })

  it('shows a tab bar with every tab when asked (`tabs`), and English when `lang="en"`', async () => {
    const el = element({ tabs: '', lang: 'en' })
    el.crm = crm
    const tabs = await findAllByRole(shadow(el), 'tab', {}, { timeout: 10_000 })
    expect(tabs.map((t) => t.textContent)).toEqual(['Calendar', 'Budgets', 'Attribution'])
  })

  it('the card tab waits for its record id, then shows that deal’s touch path', async () => {
    const el = element({ tab: 'card', entity: 'deal', lang: 'ru' })
    el.crm = crm
    expect(el.shadowRoot).toBeNull() // no record yet: nothing mounted
    el.recordId = dealId
    expect(await findByRole(shadow(el), 'heading', { name: 'Путь клиента' }, { timeout: 10_000 })).toBeTruthy()
  })

  it('the calendar writes approval steps in the name of its `user-id`', async () => {
    const today = new Date()
    const at = (days: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days))
    let c = await crm.campaigns.create({ name: 'Утверждена', startsAt: at(0), endsAt: at(1), plannedBudget: money('5000', 'RUB') })
    for (const action of ['submit', 'approve'] as const) c = await crm.campaigns.update(c.id, approvalStep(c, action, { by: 'boss', at: new Date() }).update)
    const el = element({ tab: 'calendar', 'user-id': 'olga', lang: 'ru' })
    el.crm = crm
    fireEvent.click((await findAllByText(shadow(el), 'Утверждена', {}, { timeout: 10_000 }))[0]!.closest('button')!)
    const dialog = await findByRole(shadow(el), 'dialog')
    fireEvent.input(getByLabelText(dialog, 'Плановый бюджет'), { target: { value: '7000' } })
    fireEvent.submit(dialog.querySelector('form')!)
    await waitFor(async () => expect((await crm.campaigns.get(c.id)).approvalHistory.at(-1)).toMatchObject({ action: 'edit-amount', by: 'olga' }), { timeout: 10_000 })
  })

  it('unmounts when removed from the page', async () => {
    const el = element({ lang: 'ru' })
    el.crm = crm
    await waitFor(() => expect(shadow(el).textContent).not.toBe(''), { timeout: 10_000 })
    el.remove()
    expect(shadow(el).querySelector('div')?.childElementCount ?? 0).toBe(0)
  })
})
