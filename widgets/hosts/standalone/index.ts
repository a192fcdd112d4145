/**
 * Standalone embedding for any web page:
 *   import { mount } from 'crmkit/widgets'
 *   const unmount = mount(document.getElementById('calendar')!, { crm, lang: 'ru' })
 * or, after `defineElements()`, `<crmkit-calendar lang="en" theme="dark">` with `el.crm = crm`.
 * The page creates the Crm client (and so owns the credentials); nothing secret is bundled here.
 */
import type { Crm } from '../../../sdk/index.js'
import { mountWidget, type MountOptions } from '../mount.js'

export type { MountOptions }
export const mount = mountWidget

export class CrmkitCalendarElement extends HTMLElement {
  static observedAttributes = ['lang', 'theme', 'tab']
  private client: Crm | null = null
  private unmount: (() => void) | null = null

  get crm(): Crm | null {
    return this.client
  }
  set crm(value: Crm | null) {
    this.client = value
    this.remount()
  }
  connectedCallback() {
    this.remount()
  }
  disconnectedCallback() {
    this.unmount?.()
    this.unmount = null
  }
  attributeChangedCallback() {
    this.remount()
  }
  private remount() {
    this.unmount?.()
    this.unmount = null
    if (!this.client || !this.isConnected) return
    const theme = this.getAttribute('theme')
    this.unmount = mountWidget(this, {
      tab: this.getAttribute('tab') === 'attribution' ? 'attribution' : 'calendar',
      crm: this.client,
      ...(this.getAttribute('lang') ? { lang: this.getAttribute('lang')! } : {}),
      ...(theme === 'dark' || theme === 'light' ? { theme } : {}),
    })
  }
}

export function defineElements(registry: CustomElementRegistry = customElements): void {
  if (!registry.get('crmkit-calendar')) registry.define('crmkit-calendar', CrmkitCalendarElement)
}
