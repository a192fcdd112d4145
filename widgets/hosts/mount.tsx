import { render } from 'preact'
import { ValidationError, type Crm } from '../../sdk/index.js'
import { I18nContext, createI18n, pickLanguage, type Lang } from '../ui/i18n.js'
import { widgetCss } from '../ui/styles.js'
import { LazyTab } from './lazy-tab.js'
import { TabBar, type PageTab } from './TabBar.js'
export type { PageTab } from './TabBar.js'
import { useState } from 'preact/hooks'

// Each tab is its own chunk, fetched when shown: a host's first load carries the calendar only.
const loadCalendar = () => import(/* webpackChunkName: "tab-calendar" */ '../calendar/CalendarApp.js').then((m) => m.CalendarApp)
const loadBudgets = () => import(/* webpackChunkName: "tab-budgets" */ '../budgets/BudgetsApp.js').then((m) => m.BudgetsApp)
const loadAttribution = () => import(/* webpackChunkName: "tab-attribution" */ '../attribution/AttributionApp.js').then((m) => m.AttributionApp)
const loadCard = () => import(/* webpackChunkName: "tab-card" */ '../attribution/TouchPathCard.js').then((m) => m.TouchPathCard)

export interface MountOptions {
  crm: Crm
  /** Host language code (any of 'ru', 'ru-RU', 'en', 'uk' …); the browser's otherwise. */
  lang?: string
  theme?: 'light' | 'dark'
  /** Which tab to show (default the calendar). */
  tab?: WidgetTab
  /**
   * Full pages whose host has no menu entry per tab: show a tab bar to switch between these
   * (never with `tab: 'card'`). `onTabChange` lets the host remember the choice (e.g. in the URL).
   */
  tabs?: PageTab[]
  onTabChange?: (tab: PageTab) => void
  /** Budgets tab: who may approve (host widget settings) and who is looking. */
  approverIds?: string[]
  userId?: string | null
  /** Card tab (`tab: 'card'`): the record whose contact's touch path is shown. */
  cardEntity?: 'deal' | 'lead'
  cardId?: string
  /** Attribution tab and card: cache key of the account (subdomain, portal, site); the page's host by default. */
  account?: string
}

export type WidgetTab = 'calendar' | 'budgets' | 'attribution' | 'card'
export const WIDGET_TABS: PageTab[] = ['calendar', 'budgets', 'attribution']

/**
 * Renders a widget into `element` behind a shadow root, so no host CSS gets in and none of ours
 * gets out. Every host bridge ends here; returns the unmount function.
 */
export function mountWidget(element: HTMLElement, options: MountOptions): () => void {
  if (options.tab === 'card') checkCard(options)
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' })
  const style = document.createElement('style')
  style.textContent = widgetCss
  const container = document.createElement('div')
  root.replaceChildren(style, container)
  if (options.theme) element.setAttribute('theme', options.theme)
  const lang: Lang = pickLanguage(options.lang, typeof navigator === 'undefined' ? undefined : navigator.language)
  render(
    <I18nContext.Provider value={createI18n(lang)}>
      <Widget options={options} />
    </I18nContext.Provider>,
    container,
  )
  return () => {
    render(null, container)
    root.replaceChildren()
  }
}

function Widget({ options }: { options: MountOptions }) {
  const [tab, setTab] = useState<WidgetTab>(options.tab ?? 'calendar')
  const tabs = options.tab === 'card' ? [] : (options.tabs ?? [])
  const select = (next: PageTab) => {
    setTab(next)
    options.onTabChange?.(next)
  }
  const panel =
    tab === 'card' ? (
      <LazyTab key="card" load={loadCard} props={{ crm: options.crm, entity: options.cardEntity!, id: options.cardId!, ...(options.account ? { account: options.account } : {}) }} />
    ) : tab === 'attribution' ? (
      <LazyTab key="attribution" load={loadAttribution} props={{ crm: options.crm, ...(options.account ? { account: options.account } : {}) }} />
    ) : tab === 'budgets' ? (
      <LazyTab key="budgets" load={loadBudgets} props={{ crm: options.crm, approverIds: options.approverIds ?? [], userId: options.userId ?? null }} />
    ) : (
      <LazyTab key="calendar" load={loadCalendar} props={{ crm: options.crm, userId: options.userId ?? null }} />
    )
  if (tabs.length < 2) return panel
  return (
    <>
      <TabBar tabs={tabs} current={tab === 'card' ? 'calendar' : tab} onSelect={select} />
      <div role="tabpanel" id="ck-tabpanel" aria-labelledby={`ck-tab-${tab}`}>
        {panel}
      </div>
    </>
  )
}

/** The card tab needs to know which record it is on; say which option is wrong before rendering anything. */
function checkCard(o: MountOptions): void {
  const issues = [
    ...(o.cardEntity === 'deal' || o.cardEntity === 'lead' ? [] : [{ path: ['cardEntity'], message: "must be 'deal' or 'lead'", code: 'invalid_value' }]),
    ...(typeof o.cardId === 'string' && o.cardId !== '' ? [] : [{ path: ['cardId'], message: 'must be the record id', code: 'invalid_type' }]),
  ]
  if (issues.length) throw new ValidationError(`mountWidget({ tab: 'card' }): ${issues.map((i) => `${i.path[0]} ${i.message}`).join('; ')}`, { crm: o.crm.crm, issues })
}

/** The calendar tab (kept for callers of the first release). */
export const mountCalendar = (element: HTMLElement, options: Omit<MountOptions, 'tab'>) => mountWidget(element, { ...options, tab: 'calendar' })
