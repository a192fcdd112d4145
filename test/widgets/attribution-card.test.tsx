// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCrm, ValidationError, type Crm, type Deal } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../adapters/amocrm/testing/node.js'
import { attribute, ATTRIBUTION_MODELS } from '../../sdk/marketing/attribution/index.js'
import { markovAttribution } from '../../sdk/marketing/attribution/markov.js'
import { buildJourneys, touchpointsFromCrm } from '../../sdk/marketing/touchpoints.js'
import { leadOfDeal } from '../../widgets/data/account-data.js'
import { touchPath } from '../../widgets/attribution/touch-path.js'
import { TouchPathCard } from '../../widgets/attribution/TouchPathCard.js'
import { mountWidget } from '../../widgets/hosts/mount.js'
import { I18nContext, createI18n } from '../../widgets/ui/i18n.js'

let emu: AmoCrmEmulatorServer
let crm: Crm
let deals: Deal[]

beforeAll(async () => {
  emu = setupAmoCrmEmulator({ seed: 8, size: { deals: 400, contacts: 120, companies: 10 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), {
    rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 },
  })
  deals = await crm.deals.list().toArray()
})
afterAll(async () => {
  cleanup()
  await crm.close()
  emu.close()
})

const leads = () => deals.map(leadOfDeal)
/** A won deal whose contact has several deals, so the path has several touches. */
function wonWithHistory(): Deal {
  const per = new Map<string, number>()
  for (const d of deals) if (d.contactId) per.set(d.contactId, (per.get(d.contactId) ?? 0) + 1)
  const d = deals.filter((x) => x.outcome === 'won' && (per.get(x.contactId ?? '') ?? 0) >= 3).sort((a, b) => Number(a.id) - Number(b.id))[0]
  if (!d) throw new Error('seed has no contact with 3+ deals and a win')
  return d
}

describe('touch path of a card (engine)', () => {
  it('per-touch credits summed over every won deal equal the engine’s credit per channel', () => {
    const { touchpoints, conversions } = touchpointsFromCrm({ leads: leads(), deals })
    const j = buildJourneys(touchpoints, conversions, { kind: 'won' })
    for (const model of ['first-touch', 'last-touch', 'linear', 'time-decay', 'position-based', 'w-shaped', 'shapley'] as const) {
      const engine = attribute(j, model)
      const sum = new Map<string, number>()
      for (const d of deals.filter((x) => x.outcome === 'won')) {
        for (const t of touchPath({ leads: leads(), deals, entity: 'deal', id: d.id, model })?.touches ?? []) {
          if (t.credit !== null) sum.set(t.channel, (sum.get(t.channel) ?? 0) + t.credit)
        }
      }
      engine.keys.forEach((k, i) => expect(sum.get(k) ?? 0, `${model} ${k}`).toBeCloseTo(engine.conversions[i]!, 9))
    }
  })

  it('Markov: a journey is split by the channels’ account-wide removal effects', () => {
    const d = wonWithHistory()
    const path = touchPath({ leads: leads(), deals, entity: 'deal', id: d.id, model: 'markov' })!
    const inJourney = path.touches.filter((t) => t.credit !== null)
    expect(inJourney.reduce((a, t) => a + t.credit!, 0)).toBeCloseTo(1, 12)
    const { touchpoints, conversions } = touchpointsFromCrm({ leads: leads(), deals })
    const m = markovAttribution(buildJourneys(touchpoints, conversions, { kind: 'won' }))
    const re = (c: string) => m.removalEffects[m.keys.indexOf(c)]!
    const channels = [...new Set(inJourney.map((t) => t.channel))]
    const total = channels.reduce((a, c) => a + re(c), 0)
    for (const c of channels) {
      const credit = inJourney.filter((t) => t.channel === c).reduce((a, t) => a + t.credit!, 0)
      expect(credit).toBeCloseTo(total > 0 ? re(c) / total : 1 / channels.length, 12)
    }
  })
})

describe('TouchPathCard', () => {
  it('lists the contact’s touches in time order with each touch’s credit, and switches models', async () => {
    const d = wonWithHistory()
    render(
      <I18nContext.Provider value={createI18n('en')}>
        <TouchPathCard crm={crm} entity="deal" id={d.id} account="card-test" indexedDB={new IDBFactory()} />
      </I18nContext.Provider>,
    )
    const list = await screen.findByRole('list', { name: /Touches/ }, { timeout: 10_000 })
    const items = within(list).getAllByRole('listitem')
    const contactDeals = deals.filter((x) => x.contactId === d.contactId)
    expect(items).toHaveLength(contactDeals.length) // amoCRM: one touch per lead/deal record
    const times = items.map((li) => Date.parse(li.querySelector('time')!.getAttribute('datetime')!))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(items.filter((li) => li.getAttribute('aria-current') === 'true')).toHaveLength(1)

    const pct = (n: number) => new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(n)
    const check = (model: (typeof ATTRIBUTION_MODELS)[number]) => {
      const expected = touchPath({ leads: leads(), deals, entity: 'deal', id: d.id, model })!
      const shown = within(screen.getByRole('list', { name: /Touches/ }))
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.ck-touch__credit')!.textContent)
      expect(shown).toEqual(expected.touches.map((t) => (t.credit === null ? 'not part of this conversion’s journey' : `credit ${pct(t.credit)}`)))
      return expected
    }
    const last = check('last-touch')
    // Last touch: the whole win goes to the latest touch at or before the win.
    const credited = last.touches.filter((t) => t.credit !== null)
    expect(credited.at(-1)!.credit).toBe(1)
    expect(screen.getByText(/Credit of each touch for the deal won/)).toBeTruthy()
    fireEvent.change(screen.getByLabelText(/Model/), { target: { value: 'linear' } })
    expect(document.getElementById('ck-card-model-help')!.textContent).toMatch(/^Linear/)
    const linear = check('linear')
    const n = linear.touches.filter((t) => t.credit !== null).length
    for (const t of linear.touches) if (t.credit !== null) expect(t.credit).toBeCloseTo(1 / n, 12)
    fireEvent.change(screen.getByLabelText(/Model/), { target: { value: 'markov' } })
    check('markov')
    cleanup()
  })

  it('shows HTML in sources and campaigns as text', async () => {
    const evil = '<img src=x onerror=alert(3)>'
    const contact = await crm.contacts.create({ name: 'Путь <b>клиента</b>' })
    const d = await crm.deals.create({ title: 'card xss', contactIds: [contact.id], source: { utm: { source: evil, medium: 'cpc', campaign: '<script>x</script>' } } })
    const view = render(
      <I18nContext.Provider value={createI18n('ru')}>
        <TouchPathCard crm={crm} entity="deal" id={d.id} indexedDB={null} />
      </I18nContext.Provider>,
    )
    const list = await screen.findByRole('list', { name: /Касания/ }, { timeout: 10_000 })
    expect(list.textContent).toContain(evil)
    expect(list.textContent).toContain('<script>x</script>')
    expect(await screen.findByText('Контакт: Путь <b>клиента</b>')).toBeTruthy()
    expect(view.container.querySelector('img, script, b')).toBeNull()
    cleanup()
  })

  it('mountWidget({ tab: "card" }) names the missing option', () => {
    const el = document.createElement('div')
    let error: unknown
    try {
      mountWidget(el, { crm, tab: 'card', cardEntity: 'deal' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([['cardId']])
    expect(() => mountWidget(el, { crm, tab: 'card', cardEntity: 'contact' as 'deal', cardId: '1' })).toThrow(/cardEntity/)
  })
})
