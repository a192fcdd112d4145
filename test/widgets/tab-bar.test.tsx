// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { Crm } from '../../sdk/index.js'
import { creatioUserContact, parseIdList } from '../../widgets/hosts/creatio/elements.js'
import { mountWidget, type PageTab } from '../../widgets/hosts/mount.js'

afterEach(cleanup)

// The tabs' own content needs a CRM; a client whose every call stays pending keeps each tab in its
// loading state, which is enough to see which tab is shown.
const pending = new Proxy({}, { get: () => () => new Promise(() => undefined) })
const crm = new Proxy({ crm: 'amocrm' }, { get: (t, k) => (k in t ? (t as Record<string | symbol, unknown>)[k] : pending) }) as unknown as Crm

describe('full-page tab bar', () => {
  it('switches tabs by click and arrow keys, tells the host, and marks the selected tab', async () => {
    const el = document.createElement('div')
    document.body.append(el)
    const seen: PageTab[] = []
    const unmount = mountWidget(el, { crm, lang: 'en', tabs: ['calendar', 'budgets', 'attribution'], onTabChange: (t) => seen.push(t) })
    const root = el.shadowRoot!
    const tabs = () => [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')]
    expect(root.querySelector('[role=tablist]')?.getAttribute('aria-label')).toBe('Marketing sections')
    expect(tabs().map((t) => [t.textContent, t.getAttribute('aria-selected'), t.tabIndex])).toEqual([
      ['Calendar', 'true', 0],
      ['Budgets', 'false', -1],
      ['Attribution', 'false', -1],
    ])
    fireEvent.click(tabs()[2]!)
    await waitFor(() => expect(tabs()[2]!.getAttribute('aria-selected')).toBe('true'))
    expect(root.querySelector('[role=tabpanel]')?.getAttribute('aria-labelledby')).toBe('ck-tab-attribution')
    fireEvent.keyDown(tabs()[2]!, { key: 'ArrowRight' }) // wraps to the first
    await waitFor(() => expect(tabs()[0]!.getAttribute('aria-selected')).toBe('true'))
    fireEvent.keyDown(tabs()[0]!, { key: 'End' })
    await waitFor(() => expect(tabs()[2]!.getAttribute('aria-selected')).toBe('true'))
    expect(seen).toEqual(['attribution', 'calendar', 'attribution'])
    unmount()
  })

  it('is not shown for a single tab or a card', () => {
    const el = document.createElement('div')
    mountWidget(el, { crm, lang: 'ru', tab: 'budgets' })
    expect(el.shadowRoot!.querySelector('[role=tablist]')).toBeNull()
    const card = document.createElement('div')
    mountWidget(card, { crm, lang: 'ru', tab: 'card', cardEntity: 'deal', cardId: '1', tabs: ['calendar', 'budgets'] })
    expect(card.shadowRoot!.querySelector('[role=tablist]')).toBeNull()
    void screen
  })
})

describe('Creatio host settings', () => {
  it('reads approvers from the attribute and the user from Terrasoft.SysValue', () => {
    expect(parseIdList(' A1B2,c3d4 ; a1b2 ')).toEqual(['a1b2', 'c3d4'])
    expect(parseIdList(null)).toEqual([])
    expect(creatioUserContact({ Terrasoft: { SysValue: { CURRENT_USER_CONTACT: { value: '410006E1-CA4E-4502-A9EC-E54D922D2C00' } } } })).toBe('410006e1-ca4e-4502-a9ec-e54d922d2c00')
    expect(creatioUserContact({})).toBeNull()
  })
})
