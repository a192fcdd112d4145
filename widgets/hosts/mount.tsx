import { render } from 'preact'
import type { Crm } from '../../sdk/index.js'
import { AttributionApp } from '../attribution/AttributionApp.js'
import { BudgetsApp } from '../budgets/BudgetsApp.js'
import { CalendarApp } from '../calendar/CalendarApp.js'
import { I18nContext, createI18n, pickLanguage, type Lang } from '../ui/i18n.js'
import { widgetCss } from '../ui/styles.js'

export interface MountOptions {
  crm: Crm
  /** Host language code (any of 'ru', 'ru-RU', 'en', 'uk' …); the browser's otherwise. */
  lang?: string
  theme?: 'light' | 'dark'
  /** Which tab to show (default the calendar). */
  tab?: WidgetTab
  /** Budgets tab: who may approve (host widget settings) and who is looking. */
  approverIds?: string[]
  userId?: string | null
}

export type WidgetTab = 'calendar' | 'budgets' | 'attribution'
export const WIDGET_TABS: WidgetTab[] = ['calendar', 'budgets', 'attribution']

/**
 * Renders a widget into `element` behind a shadow root, so no host CSS gets in and none of ours
 * gets out. Every host bridge ends here; returns the unmount function.
 */
export function mountWidget(element: HTMLElement, options: MountOptions): () => void {
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' })
  const style = document.createElement('style')
  style.textContent = widgetCss
  const container = document.createElement('div')
  root.replaceChildren(style, container)
  if (options.theme) element.setAttribute('theme', options.theme)
  const lang: Lang = pickLanguage(options.lang, typeof navigator === 'undefined' ? undefined : navigator.language)
  render(
    <I18nContext.Provider value={createI18n(lang)}>
      {options.tab === 'attribution' ? (
        <AttributionApp crm={options.crm} />
      ) : options.tab === 'budgets' ? (
        <BudgetsApp crm={options.crm} approverIds={options.approverIds ?? []} userId={options.userId ?? null} />
      ) : (
        <CalendarApp crm={options.crm} />
      )}
    </I18nContext.Provider>,
    container,
  )
  return () => {
    render(null, container)
    root.replaceChildren()
  }
}

/** The calendar tab (kept for callers of the first release). */
export const mountCalendar = (element: HTMLElement, options: Omit<MountOptions, 'tab'>) => mountWidget(element, { ...options, tab: 'calendar' })
