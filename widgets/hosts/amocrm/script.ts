/**
 * amoCRM widget entry, bundled by webpack as the AMD `script.js` that amoCRM loads with RequireJS
 * and instantiates with `new`. Callbacks follow the platform contract (research amocrm.md §4.4):
 * render / init / bind_actions return true, destroy unmounts. Data goes through the same-origin
 * `/api/v4` with the user's session, so the bundle holds no token or secret.
 */
import { createCrm, type Crm } from '../../../sdk/index.js'
import { amocrm } from '../../../adapters/amocrm/index.js'
import { setChunkBase } from '../chunk-base.js'
import { WIDGET_TABS, mountWidget, type WidgetTab } from '../mount.js'

/** The parts of amoCRM's widget object (`this` in script.js) that we use. */
export interface AmoWidgetSelf {
  callbacks: Record<string, unknown>
  get_settings(): { widget_code?: string; [k: string]: unknown }
  /** `path`: the widget's static base URL, where script.js and its chunks are. */
  params?: { path?: string }
  system?(): { area?: string; subdomain?: string }
  langs?: Record<string, unknown>
  render_template?(o: { caption: { class_name: string }; body: string; render: string }): void
}

declare const AMOCRM:
  | { lang_id?: string; constant?(name: string): { id?: number | string } | undefined; data?: { current_card?: { id?: number | string } } }
  | undefined

/** The `users` setting arrives as ids (array, object or comma list, depending on the amoCRM version). */
function approverIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String)
  if (value && typeof value === 'object') return Object.keys(value as object)
  if (typeof value === 'string') return value.split(',').map((x) => x.trim()).filter(Boolean)
  return []
}

function hostLanguage(): string | undefined {
  const fromGlobal = typeof AMOCRM === 'undefined' ? undefined : AMOCRM?.lang_id
  return fromGlobal ?? document.documentElement.lang ?? undefined
}

const darkTheme = () => document.documentElement.classList.contains('dark-theme') || document.body?.classList.contains('dark-theme')

export default function CrmkitAmoWidget(this: AmoWidgetSelf): AmoWidgetSelf {
  const self = this
  if (self.params?.path) setChunkBase(self.params.path)
  const mounted: (() => void)[] = []
  let crm: Crm | null = null
  const client = () => (crm ??= createCrm(amocrm({ baseUrl: '', auth: { kind: 'browser-session' } })))

  const mountInto = (selector: string, tab: WidgetTab = 'calendar', card?: { cardEntity: 'deal'; cardId: string }) => {
    const host = document.querySelector<HTMLElement>(selector)
    if (!host) return
    const el = document.createElement('div')
    el.className = 'crmkit-widget'
    host.replaceChildren(el)
    const user = typeof AMOCRM === 'undefined' ? undefined : AMOCRM?.constant?.('user')?.id
    mounted.push(
      mountWidget(el, {
        crm: client(),
        tab,
        ...card,
        account: `amocrm:${self.system?.().subdomain ?? location.host}`,
        approverIds: approverIds(self.get_settings().approvers),
        userId: user === undefined ? null : String(user),
        ...(hostLanguage() ? { lang: hostLanguage()! } : {}),
        theme: darkTheme() ? 'dark' : 'light',
      }),
    )
  }
  const workArea = () => `#work-area-${self.get_settings().widget_code ?? ''}`

  self.callbacks = {
    render: () => {
      // Lead card ("сделка", our deal): the touch path of the open record, in the widget's card area.
      if (self.system?.().area === 'lcard' && self.render_template) {
        const id = typeof AMOCRM === 'undefined' ? undefined : AMOCRM?.data?.current_card?.id
        if (id === undefined || String(id) === '0') return true // a new, unsaved card has no history yet
        self.render_template({ caption: { class_name: 'crmkit-caption' }, body: '', render: '<div class="crmkit-card"></div>' })
        queueMicrotask(() => mountInto('.crmkit-card', 'card', { cardEntity: 'deal', cardId: String(id) }))
      }
      return true
    },
    init: () => true,
    bind_actions: () => true,
    settings: () => true,
    onSave: () => true,
    advancedSettings: () => mountInto(workArea()),
    // Left-menu page: the submenu item picks the tab.
    initMenuPage: (params?: { subitem_code?: string }) =>
      mountInto(workArea(), WIDGET_TABS.find((t) => t === params?.subitem_code) ?? 'calendar'),
    // Card SDK data sources (card_sdk location): the tab lists no catalog products of ours.
    loadPreloadedData: () => Promise.resolve([]),
    loadElements: () => Promise.resolve([]),
    linkCard: () => Promise.resolve(),
    searchDataInCard: () => Promise.resolve([]),
    destroy: () => {
      for (const unmount of mounted.splice(0)) unmount()
      void crm?.close()
      crm = null
    },
  }
  return self
}
