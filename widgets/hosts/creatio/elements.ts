/**
 * Creatio host (dist/creatio/crmkit-creatio.js, UMD): custom elements for Freedom UI pages
 * (research creatio.md §7.1), all on one same-origin client with the user's session
 * (`browser-session`: cookies + the BPMCSRF header), so nothing secret is bundled.
 *   <crmkit-marketing tab="calendar|budgets|attribution">   any tab
 *   <crmkit-marketing-calendar>, <crmkit-marketing-budgets>, <crmkit-marketing-attribution>
 *   <crmkit-marketing-card entity="deal|lead" record-id="…">  a record page tab
 * Attributes or properties (Freedom UI binds view-element inputs to properties): lang, theme,
 * tab, entity, recordId, approverIds (`approver-ids`: contact ids who may approve budgets) and
 * userId (`user-id`; by default the signed-in user's contact from Terrasoft.SysValue).
 */
import { createCrm, type Crm } from '../../../sdk/index.js'
import { creatio } from '../../../adapters/creatio/index.js'
import { setChunkBase } from '../chunk-base.js'
import { WidgetElement, type HostDefaults } from '../element.js'
import { WIDGET_TABS, type WidgetTab } from '../mount.js'

/** Classic and Freedom UI shells expose the user's culture on `Terrasoft` (e.g. `ru-RU`). */
interface CreatioGlobals {
  Terrasoft?: {
    currentUserCultureName?: string
    SysValue?: { CURRENT_USER_CULTURE?: { displayValue?: string }; CURRENT_USER_CONTACT?: { value?: string } }
  }
}

/** The user's contact id: crmkit's user ids on Creatio are contact ids (owners are contacts). */
export function creatioUserContact(g: CreatioGlobals = globalThis as CreatioGlobals): string | null {
  const id = g.Terrasoft?.SysValue?.CURRENT_USER_CONTACT?.value
  return typeof id === 'string' && id ? id.toLowerCase() : null
}

export { parseIdList } from '../element.js'

export function creatioCulture(g: CreatioGlobals = globalThis as CreatioGlobals): string | undefined {
  return g.Terrasoft?.currentUserCultureName ?? g.Terrasoft?.SysValue?.CURRENT_USER_CULTURE?.displayValue ?? undefined
}

// Loaded as a plain <script> (the full page), the script knows its own URL: the lazy tabs are next
// to it. Through RequireJS it does not, and registerViewElements({ base }) gives it.
const ownScript = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null)
if (ownScript?.src) setChunkBase(new URL('.', ownScript.src).toString())

let shared: Crm | null = null
/** One client per page: every element shares its limiter and caches. */
export function creatioClient(): Crm {
  return (shared ??= createCrm(creatio({ siteUrl: '', auth: { kind: 'browser-session' } })))
}

const FIXED: Record<string, WidgetTab | null> = {
  'crmkit-marketing': null,
  'crmkit-marketing-calendar': 'calendar',
  'crmkit-marketing-budgets': 'budgets',
  'crmkit-marketing-attribution': 'attribution',
}

/** Every Creatio element: the page's shared client, the user's culture and contact by default. */
abstract class CreatioElement extends WidgetElement {
  protected client(): Crm {
    return creatioClient()
  }
  protected override hostDefaults(): HostDefaults {
    return { lang: creatioCulture() ?? document.documentElement.lang, userId: creatioUserContact(), account: `creatio:${location.host}` }
  }
}

function tabElement(fixed: WidgetTab | null) {
  return class extends CreatioElement {
    /** The generic element is the full page: it shows the tab bar. */
    protected override pageTabs() {
      return fixed ? undefined : WIDGET_TABS
    }
    protected override tab(): WidgetTab {
      const asked = super.tab()
      return fixed ?? (asked === 'card' ? 'calendar' : asked)
    }
  }
}

/** A record page tab: the deal's (Opportunity) or lead's touch path; Freedom UI binds recordId to `$Id`. */
export class CrmkitCardElement extends CreatioElement {
  protected override tab(): WidgetTab {
    return 'card'
  }
}

export const ELEMENT_NAMES = [...Object.keys(FIXED), 'crmkit-marketing-card']

export function defineElements(registry: CustomElementRegistry = customElements): void {
  for (const [name, fixed] of Object.entries(FIXED)) if (!registry.get(name)) registry.define(name, tabElement(fixed))
  if (!registry.get('crmkit-marketing-card')) registry.define('crmkit-marketing-card', CrmkitCardElement)
}

/** The part of `@creatio-devkit/common` we use (research creatio.md §7.1). */
export interface CreatioDevkit {
  registerViewElement(config: { type: string; selector: string; inputs?: Record<string, object>; outputs?: Record<string, object> }): void
}

/**
 * Makes the elements usable in a Freedom UI page schema as `usr.CrmkitMarketing…` view elements
 * (`viewConfigDiff` → `values.type`); called from the package's client module. `base` is the
 * package folder the script is in (`Terrasoft.getFileContentUrl('UsrCrmkit', 'src/js/')`): loaded
 * through RequireJS the script cannot find its own URL, and the tabs load from there.
 */
export function registerViewElements(sdk: CreatioDevkit, options: { base?: string } = {}): void {
  if (options.base) setChunkBase(options.base)
  defineElements()
  const inputs = { lang: {}, theme: {}, approverIds: {}, userId: {} }
  sdk.registerViewElement({ type: 'usr.CrmkitMarketing', selector: 'crmkit-marketing', inputs: { ...inputs, tab: {} } })
  sdk.registerViewElement({ type: 'usr.CrmkitMarketingCalendar', selector: 'crmkit-marketing-calendar', inputs })
  sdk.registerViewElement({ type: 'usr.CrmkitMarketingBudgets', selector: 'crmkit-marketing-budgets', inputs })
  sdk.registerViewElement({ type: 'usr.CrmkitMarketingAttribution', selector: 'crmkit-marketing-attribution', inputs })
  sdk.registerViewElement({ type: 'usr.CrmkitMarketingCard', selector: 'crmkit-marketing-card', inputs: { ...inputs, recordId: {}, entity: {} } })
}

// Loading the script defines the elements, so plain HTML (the full page) needs nothing more.
if (typeof customElements !== 'undefined') defineElements()
