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
import { WIDGET_TABS, mountWidget, type PageTab, type WidgetTab } from '../mount.js'

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

/** `approver-ids="guid, guid"`: the contacts who may approve budgets (the page's setting). */
export function parseIdList(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(/[\s,;]+/).map((v) => v.trim().toLowerCase()).filter(Boolean))]
}

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

abstract class CrmkitElement extends HTMLElement {
  static observedAttributes = ['lang', 'theme', 'tab', 'entity', 'record-id', 'approver-ids', 'user-id']
  private unmount: (() => void) | null = null
  private props: Record<string, string | null> = {}

  // Freedom UI sets inputs as properties; plain HTML uses attributes.
  get recordId(): string | null {
    return this.props.recordId ?? this.getAttribute('record-id')
  }
  set recordId(v: string | null) {
    this.props.recordId = v
    this.remount()
  }
  get approverIds(): string | null {
    return this.props.approverIds ?? this.getAttribute('approver-ids')
  }
  set approverIds(v: string | string[] | null) {
    this.props.approverIds = Array.isArray(v) ? v.join(',') : v
    this.remount()
  }
  get userId(): string | null {
    return this.props.userId ?? this.getAttribute('user-id')
  }
  set userId(v: string | null) {
    this.props.userId = v
    this.remount()
  }
  get entity(): string | null {
    return this.props.entity ?? this.getAttribute('entity')
  }
  set entity(v: string | null) {
    this.props.entity = v
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
    if (this.isConnected) this.remount()
  }

  protected abstract tab(): WidgetTab
  /** The generic element is the full page: it shows the tab bar. */
  protected pageTabs(): PageTab[] | undefined {
    return undefined
  }
  /** The card element adds the record it is on. */
  protected extra(): { cardEntity?: 'deal' | 'lead'; cardId?: string } {
    return {}
  }

  private remount() {
    this.unmount?.()
    this.unmount = null
    if (!this.isConnected) return
    // Freedom UI sets the record id after inserting the element: wait for it.
    const extra = this.extra()
    if ('cardId' in extra && !extra.cardId) return
    const theme = this.getAttribute('theme')
    const lang = this.getAttribute('lang') ?? creatioCulture() ?? document.documentElement.lang ?? undefined
    this.unmount = mountWidget(this, {
      crm: creatioClient(),
      tab: this.tab(),
      account: `creatio:${location.host}`,
      approverIds: parseIdList(this.approverIds),
      userId: this.userId?.toLowerCase() ?? creatioUserContact(),
      ...(this.pageTabs() ? { tabs: this.pageTabs()! } : {}),
      ...extra,
      ...(lang ? { lang } : {}),
      ...(theme === 'dark' || theme === 'light' ? { theme } : {}),
    })
  }
}

function tabElement(fixed: WidgetTab | null) {
  return class extends CrmkitElement {
    protected override pageTabs() {
      return fixed ? undefined : WIDGET_TABS
    }
    protected tab(): WidgetTab {
      const asked = this.getAttribute('tab')
      return fixed ?? WIDGET_TABS.find((t) => t === asked) ?? 'calendar'
    }
  }
}

/** A record page tab: the deal's (Opportunity) or lead's touch path; Freedom UI binds recordId to `$Id`. */
export class CrmkitCardElement extends CrmkitElement {
  protected tab(): WidgetTab {
    return 'card'
  }
  protected override extra() {
    return { cardEntity: this.entity === 'lead' ? ('lead' as const) : ('deal' as const), cardId: this.recordId ?? '' }
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
