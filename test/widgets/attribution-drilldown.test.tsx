// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCrm, type Crm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { bitrix24 } from '../../adapters/bitrix24/index.js'
import { creatio } from '../../adapters/creatio/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { AttributionApp } from '../../widgets/attribution/AttributionApp.js'
import { I18nContext, createI18n } from '../../widgets/ui/i18n.js'

let emu: AmoCrmEmulatorServer
let crm: Crm

beforeEach(() => {
  emu = setupAmoCrmEmulator({ seed: 8, size: { deals: 300, contacts: 120, companies: 10 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 },
  })
})
afterEach(async () => {
  cleanup()
  await crm.close()
  emu.close()
})

const evilTitle = '<img src=x onerror=alert(1)><b>VIP</b> сделка'

async function open() {
  const deal = await crm.deals.create({ title: evilTitle, source: { utm: { source: 'drill_src', medium: 'cpc', campaign: '<i>camp</i>' } } })
  const view = render(
    <I18nContext.Provider value={createI18n('en')}>
      <AttributionApp crm={crm} now={new Date()} indexedDB={null} />
    </I18nContext.Provider>,
  )
  await screen.findByRole('table', { name: 'Attribution table' }, { timeout: 10_000 })
  fireEvent.change(screen.getByLabelText(/Group by/), { target: { value: 'source' } })
  return { deal, view }
}

describe('attribution drill-down', () => {
  it('a row’s button opens its leads and deals with links to the CRM card; HTML in titles is text', async () => {
    const { deal, view } = await open()
    const button = screen.getByRole('button', { name: 'drill_src' })
    expect(button.getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(button)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    const panel = screen.getByRole('region', { name: /Leads and deals: drill_src/ })
    expect(document.activeElement).toBe(within(panel).getByRole('heading', { level: 2 })) // focus moves to the panel
    const link = within(panel).getByRole('link', { name: evilTitle })
    expect(link.getAttribute('href')).toBe(`${emu.emulator.baseUrl}/leads/detail/${deal.id}`)
    expect(link.getAttribute('href')).toBe(crm.cardUrl!('deal', deal.id))
    expect(link.getAttribute('target')).toBe('_top')
    expect(link.getAttribute('rel')).toContain('noopener')
    expect(within(panel).getByRole('heading', { name: 'Deals (1)' })).toBeTruthy()
    expect(within(panel).queryByRole('heading', { name: /^Leads \(/ })).toBeNull() // amoCRM: the lead is the deal
    expect(view.container.querySelector('img, b, i')).toBeNull()
    // Escape and the close button both close it.
    fireEvent.keyDown(link, { key: 'Escape' })
    expect(screen.queryByRole('region', { name: /Leads and deals/ })).toBeNull()
    expect(document.activeElement).toBe(button) // focus returns to the row that opened it
  })

  it('clicking anywhere on a row opens it too; the list holds exactly the group’s records in the range', async () => {
    await open()
    const table = screen.getByRole('table', { name: 'Attribution table' })
    const row = within(table).getAllByRole('row').find((r) => r.querySelector('th')?.textContent === 'yandex')!
    const leadsInRow = Number(row.children[2]!.textContent!.replace(/\s/g, ''))
    fireEvent.click(row.children[3]!)
    const panel = screen.getByRole('region', { name: /Leads and deals: yandex/ })
    const n = new Date()
    const from = Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate()) - 89 * 86_400_000 // the tab's default: the last 90 days
    const deals = (await crm.deals.list().toArray()).filter((d) => (d.source.utm.source ?? d.source.source) === 'yandex' && d.createdAt.getTime() >= from)
    // Under last touch (default), a group's leads are the leads whose own source is the group.
    expect(within(panel).getAllByRole('listitem')).toHaveLength(Math.min(200, deals.length))
    expect(within(panel).getByRole('heading', { name: `Deals (${deals.length})` })).toBeTruthy()
    expect(leadsInRow).toBeGreaterThan(0)
    fireEvent.click(within(panel).getByRole('button', { name: 'Close the list' }))
    expect(screen.queryByRole('region', { name: /Leads and deals/ })).toBeNull()
  })
})

describe('cardUrl per CRM', () => {
  it('knows each CRM’s card pages and never leaks a webhook secret', async () => {
    const amo = createCrm(amocrm({ baseUrl: '', auth: { kind: 'browser-session' } }))
    expect([amo.cardUrl!('deal', '42'), amo.cardUrl!('lead', '42'), amo.cardUrl!('contact', '7')]).toEqual(['/leads/detail/42', '/leads/detail/42', '/contacts/detail/7'])
    const b24 = createCrm(bitrix24({ auth: { kind: 'webhook', url: 'https://portal.bitrix24.ru/rest/1/s3cr3t/' } }))
    expect([b24.cardUrl!('deal', '5'), b24.cardUrl!('lead', '6'), b24.cardUrl!('contact', '7')]).toEqual([
      'https://portal.bitrix24.ru/crm/deal/details/5/',
      'https://portal.bitrix24.ru/crm/lead/details/6/',
      'https://portal.bitrix24.ru/crm/contact/details/7/',
    ])
    const cr = createCrm(creatio({ siteUrl: 'https://acme.creatio.com', auth: { kind: 'browser-session' } }))
    const guid = '0f3c2a4e-1b2c-4d5e-8f90-123456789abc'
    expect(cr.cardUrl!('deal', guid)).toBe(`https://acme.creatio.com/0/Shell/#Card/Opportunities_FormPage/edit/${guid}`)
    expect(cr.cardUrl!('lead', guid)).toContain('/Leads_FormPage/edit/')
    // Ids are path segments, escaped; an empty id is a ValidationError naming it.
    expect(amo.cardUrl!('deal', '1/../../x?y')).toBe('/leads/detail/1%2F..%2F..%2Fx%3Fy')
    expect(() => amo.cardUrl!('deal', '')).toThrow(/non-empty id/)
    expect(() => cr.cardUrl!('company' as 'deal', guid)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: ['entity'] })] }))
    await Promise.all([amo.close(), b24.close(), cr.close()])
  })
})
