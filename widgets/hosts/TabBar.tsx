import { useRef } from 'preact/hooks'
import { useI18n } from '../ui/i18n.js'
import type { MessageKey } from '../ui/messages.js'

export type PageTab = 'calendar' | 'budgets' | 'attribution'

const LABEL: Record<PageTab, MessageKey> = { calendar: 'tabs.calendar', budgets: 'tabs.budgets', attribution: 'tabs.attribution' }

/**
 * Switches the full-page widget between its tabs where the host has no menu of its own for them
 * (Bitrix24 app page, Creatio full page). WAI-ARIA tabs: arrows, Home and End move and select.
 */
export function TabBar({ tabs, current, onSelect }: { tabs: PageTab[]; current: PageTab; onSelect: (t: PageTab) => void }) {
  const { t } = useI18n()
  const refs = useRef<(HTMLButtonElement | null)[]>([])
  const move = (i: number) => {
    const n = (i + tabs.length) % tabs.length
    onSelect(tabs[n]!)
    refs.current[n]?.focus()
  }
  return (
    <div class="ck-segmented ck-tabbar" role="tablist" aria-label={t('tabs.label')}>
      {tabs.map((tab, i) => (
        <button
          key={tab}
          ref={(el) => {
            refs.current[i] = el
          }}
          type="button"
          role="tab"
          id={`ck-tab-${tab}`}
          aria-selected={tab === current}
          aria-controls="ck-tabpanel"
          tabIndex={tab === current ? 0 : -1}
          onClick={() => onSelect(tab)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(i + 1)
            else if (e.key === 'ArrowLeft') move(i - 1)
            else if (e.key === 'Home') move(0)
            else if (e.key === 'End') move(tabs.length - 1)
            else return
            e.preventDefault()
          }}
        >
          {t(LABEL[tab])}
        </button>
      ))}
    </div>
  )
}
