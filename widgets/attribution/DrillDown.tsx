import { useLayoutEffect, useRef } from 'preact/hooks'
import type { CardEntity, Crm, Deal, Lead } from '../../sdk/index.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { attributionMessages } from './messages.js'
import type { MessageKey } from '../ui/messages.js'

interface Props {
  crm: Crm
  group: string
  leads: readonly Lead[]
  deals: readonly Deal[]
  /** amoCRM: leads are the deals themselves, listed once. */
  showLeads: boolean
  onClose(): void
}

/** Big groups list this many and say how many more (a 100,000-deal account must not render them all). */
const LIMIT = 200

/**
 * A table row's leads and deals, each linking to the CRM's own card. Links open in the host's top
 * window: the widget runs inside the CRM's page (or its iframe) and the card belongs there.
 * Titles from the CRM are text, never markup.
 */
export function DrillDown({ crm, group, leads, deals, showLeads, onClose }: Props) {
  const { t, locale } = useI18n(attributionMessages)
  const heading = useRef<HTMLHeadingElement>(null)
  // Before paint, so a key pressed right after opening acts inside the drill-down.
  useLayoutEffect(() => heading.current?.focus(), [group])
  const date = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d)
  const link = (entity: CardEntity, id: string, title: string) => {
    const href = crm.cardUrl?.(entity, id)
    const text = title.trim() || t('attr.drill.untitled')
    return href ? (
      <a href={href} target="_top" rel="noopener noreferrer">
        {text}
      </a>
    ) : (
      <span>{text}</span>
    )
  }
  const list = <T,>(items: readonly T[], render: (x: T) => preact.JSX.Element) => (
    <>
      <ul>{items.slice(0, LIMIT).map(render)}</ul>
      {items.length > LIMIT && <p class="ck-status">{t('attr.drill.more', { count: items.length - LIMIT })}</p>}
    </>
  )
  return (
    <section class="ck-drilldown" aria-labelledby="ck-drill-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h2 id="ck-drill-title" tabIndex={-1} ref={heading}>
        <span>{t('attr.drill.title', { group })}</span>
        <button type="button" class="ck-icon-button" aria-label={t('attr.drill.close')} onClick={onClose}>
          ×
        </button>
      </h2>
      <p class="ck-status">{t('attr.drill.note')}</p>
      {showLeads && (
        <>
          <h3>{t('attr.drill.leads', { count: leads.length })}</h3>
          {list(leads, (l) => (
            <li key={l.id}>
              {link('lead', l.id, l.title)} · {date(l.createdAt)} · {t(`leadStatus.${l.status}` as MessageKey)}
            </li>
          ))}
        </>
      )}
      <h3>{t('attr.drill.deals', { count: deals.length })}</h3>
      {list(deals, (d) => (
        <li key={d.id}>
          {link('deal', d.id, d.title)} · {date(d.createdAt)} · {t(`outcome.${d.outcome}` as MessageKey)}
          {d.amount ? ` · ${formatMoney(d.amount, locale)}` : ''}
        </li>
      ))}
    </section>
  )
}
