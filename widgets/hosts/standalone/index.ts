/**
 * Standalone embedding for any web page:
 *   import { mount } from 'crmkit/widgets'
 *   const unmount = mount(document.getElementById('calendar')!, { crm, lang: 'ru' })
 * or, after `defineElements()`, an element whose `crm` property the page sets:
 *   <crmkit-calendar lang="en" theme="dark">                    the calendar
 *   <crmkit-calendar tab="budgets" approver-ids="7" user-id="7"> any tab: calendar, budgets, attribution
 *   <crmkit-calendar tabs>                                       all three behind a tab bar
 *   <crmkit-calendar tab="card" entity="deal" record-id="42">    a record's touch path
 * The page creates the Crm client (and so owns the credentials); nothing secret is bundled here.
 */
import type { Crm } from '../../../sdk/index.js'
import { WidgetElement } from '../element.js'
import { mountWidget, type MountOptions } from '../mount.js'

export type { MountOptions }
export const mount = mountWidget

export class CrmkitCalendarElement extends WidgetElement {
  private crmClient: Crm | null = null

  get crm(): Crm | null {
    return this.crmClient
  }
  set crm(value: Crm | null) {
    this.crmClient = value
    this.remount()
  }
  protected client(): Crm | null {
    return this.crmClient
  }
}

export function defineElements(registry: CustomElementRegistry = customElements): void {
  if (!registry.get('crmkit-calendar')) registry.define('crmkit-calendar', CrmkitCalendarElement)
}
