import type { Crm } from '../../sdk/index.js'
import { WIDGET_TABS, mountWidget, type MountOptions, type PageTab, type WidgetTab } from './mount.js'

/** `approver-ids="a, b"`: the users who may approve budgets (lower-cased: Creatio ids are GUIDs). */
export function parseIdList(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(/[\s,;]+/).map((v) => v.trim().toLowerCase()).filter(Boolean))]
}

/** `tabs="calendar budgets"` → those tabs in that order; a bare `tabs` attribute → all of them. */
export function parseTabList(value: string | null): PageTab[] | undefined {
  if (value === null) return undefined
  const asked = value.split(/[\s,;]+/).filter(Boolean)
  if (!asked.length) return [...WIDGET_TABS]
  const tabs = WIDGET_TABS.filter((t) => asked.includes(t))
  return tabs.length ? tabs : [...WIDGET_TABS]
}

/** What a host fills in when the element's attributes leave it out. */
export interface HostDefaults {
  lang?: string
  userId?: string | null
  account?: string
}

/**
 * The custom-element lifecycle every host shares (Creatio's elements, the standalone one): inputs as
 * attributes (plain HTML) or properties (Freedom UI binds view-element inputs to properties), a
 * remount when one changes, an unmount when the element leaves the page.
 *
 * Attributes: lang, theme, tab, tabs (show a tab bar), entity + record-id (the card tab),
 * approver-ids and user-id (budgets approval), account (the attribution cache's key).
 */
export abstract class WidgetElement extends HTMLElement {
  static observedAttributes = ['lang', 'theme', 'tab', 'tabs', 'entity', 'record-id', 'approver-ids', 'user-id', 'account']
  private unmount: (() => void) | null = null
  private readonly props: Record<string, string | null> = {}

  get recordId(): string | null {
    return this.props.recordId ?? this.getAttribute('record-id')
  }
  set recordId(v: string | null) {
    this.setProp('recordId', v)
  }
  get approverIds(): string | null {
    return this.props.approverIds ?? this.getAttribute('approver-ids')
  }
  set approverIds(v: string | string[] | null) {
    this.setProp('approverIds', Array.isArray(v) ? v.join(',') : v)
  }
  get userId(): string | null {
    return this.props.userId ?? this.getAttribute('user-id')
  }
  set userId(v: string | null) {
    this.setProp('userId', v)
  }
  get entity(): string | null {
    return this.props.entity ?? this.getAttribute('entity')
  }
  set entity(v: string | null) {
    this.setProp('entity', v)
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

  /** The client the widget talks through; null until the page provides one. */
  protected abstract client(): Crm | null
  /** The tab shown: the `tab` attribute among the page tabs, the calendar otherwise. */
  protected tab(): WidgetTab {
    const asked = this.getAttribute('tab')
    if (asked === 'card') return 'card'
    return WIDGET_TABS.find((t) => t === asked) ?? 'calendar'
  }
  /** Tabs for a tab bar (none by default; the `tabs` attribute asks for one). */
  protected pageTabs(): PageTab[] | undefined {
    return this.tab() === 'card' ? undefined : parseTabList(this.getAttribute('tabs'))
  }
  protected hostDefaults(): HostDefaults {
    return {}
  }

  protected setProp(name: string, value: string | null): void {
    this.props[name] = value
    this.remount()
  }

  protected remount(): void {
    this.unmount?.()
    this.unmount = null
    if (!this.isConnected) return
    const crm = this.client()
    if (!crm) return
    const tab = this.tab()
    // A record page sets the record id after inserting the element: wait for it.
    if (tab === 'card' && !this.recordId) return
    const d = this.hostDefaults()
    const theme = this.getAttribute('theme')
    const lang = this.getAttribute('lang') ?? d.lang
    const account = this.getAttribute('account') ?? d.account
    const tabs = this.pageTabs()
    const options: MountOptions = {
      crm,
      tab,
      approverIds: parseIdList(this.approverIds),
      userId: this.userId?.toLowerCase() ?? d.userId ?? null,
      ...(tab === 'card' ? { cardEntity: this.entity === 'lead' ? ('lead' as const) : ('deal' as const), cardId: this.recordId! } : {}),
      ...(tabs ? { tabs } : {}),
      ...(account ? { account } : {}),
      ...(lang ? { lang } : {}),
      ...(theme === 'dark' || theme === 'light' ? { theme } : {}),
    }
    this.unmount = mountWidget(this, options)
  }
}
