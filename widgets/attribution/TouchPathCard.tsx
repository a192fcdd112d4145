import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Crm, Deal, Lead } from '../../sdk/index.js'
import type { AttributionModel } from '../../sdk/marketing/attribution/index.js'
import { CHANNELS } from '../../sdk/marketing/channel-names.js'
import { LoadingProgress } from '../data/LoadingProgress.js'
import { defaultAccount, useAccountData } from '../data/use-account-data.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { attributionMessages } from './messages.js'
import type { MessageKey } from '../ui/messages.js'
import { ModelHelp, ModelSelect } from './ModelSelect.js'
import { touchPath } from './touch-path.js'
import { TabStyle } from '../ui/styles.js'
import { attributionCss } from './styles.js'

interface Props {
  crm: Crm
  entity: 'deal' | 'lead'
  id: string
  /** Cache key of the account; the page's host by default. */
  account?: string
  indexedDB?: IDBFactory | null
  /** Model shown first (the tab's default). */
  model?: AttributionModel
}

/**
 * A lead or deal card tab: the contact's touches in order (date, channel, source, campaign) and
 * each touch's credit for this record's conversion under the chosen model. Data-driven models
 * (Markov) need the whole account, so the card reads the same cached account data as the tab.
 * Laid out as a list to fit a narrow card column.
 */
export function TouchPathCard({ crm, entity, id, account, indexedDB, model: initial = 'last-touch' }: Props) {
  const { t, locale, lang } = useI18n(attributionMessages)
  const [model, setModel] = useState<AttributionModel>(initial)
  const { data, progress, error } = useAccountData(crm, account ?? defaultAccount(), indexedDB === undefined ? {} : { indexedDB })
  // The card may be newer than the cached copy (just created): fetch it directly then.
  const [extra, setExtra] = useState<{ deal?: Deal; lead?: Lead } | null>(null)
  const [contactName, setContactName] = useState<string | null>(null)
  const [missing, setMissing] = useState(false)

  const present = data && (entity === 'deal' ? data.deals.some((d) => d.id === id) : data.leads.some((l) => l.id === id))
  useEffect(() => {
    if (!data || present) return
    const ac = new AbortController()
    const get = entity === 'deal' || crm.capabilities.leadIsDeal ? crm.deals.get(id, { signal: ac.signal }).then((deal) => ({ deal })) : crm.leads.get(id, { signal: ac.signal }).then((lead) => ({ lead }))
    get.then(setExtra, () => !ac.signal.aborted && setMissing(true))
    return () => ac.abort()
  }, [data, present, crm, entity, id])

  const records = useMemo(() => {
    if (!data) return null
    const deals = extra?.deal ? [...data.deals, extra.deal] : data.deals
    const leads = extra?.lead ? [...data.leads, extra.lead] : crm.capabilities.leadIsDeal && extra?.deal ? [...data.leads, { ...extra.deal, status: 'open' as const, dealId: extra.deal.id }] : data.leads
    return { deals, leads }
  }, [data, extra, crm])

  // amoCRM: a "lead" card is the deal record itself.
  const asEntity = crm.capabilities.leadIsDeal ? 'deal' : entity
  const path = useMemo(() => (records ? touchPath({ ...records, entity: asEntity, id, model }) : null), [records, asEntity, id, model])

  const record = records && (asEntity === 'deal' ? records.deals.find((d) => d.id === id) : records.leads.find((l) => l.id === id))
  const contactId = record?.contactId ?? null
  useEffect(() => {
    setContactName(null)
    if (!contactId) return
    const ac = new AbortController()
    crm.contacts.get(contactId, { signal: ac.signal }).then(
      (c) => setContactName(c.name),
      () => undefined, // the name is a nicety: the path is shown without it
    )
    return () => ac.abort()
  }, [crm, contactId])

  const channel = (c: string) => (CHANNELS as Record<string, Record<string, string>>)[c]?.[lang] ?? c
  const date = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d)
  const pct = (n: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n)
  const conv = path?.conversion
  const convText = conv
    ? conv.kind === 'won'
      ? t('card.conversion.won', { amount: conv.value ? formatMoney(conv.value, locale) : '—' })
      : t(`card.conversion.${conv.kind}` as MessageKey)
    : ''

  return (
    <section class="ck-card" aria-labelledby="ck-card-title">
      <TabStyle css={attributionCss} />
      <h1 id="ck-card-title">{t('card.title')}</h1>
      <ModelSelect model={model} onChange={setModel} helpId="ck-card-model-help" />
      <ModelHelp model={model} id="ck-card-model-help" />
      {error && (
        <p class="ck-alert" role="alert">
          {t('calendar.error', { message: error })}
        </p>
      )}
      {!data && !error && <LoadingProgress progress={progress} label={t('attr.progress')} />}
      {data && (missing || (records && !path && !record)) && <p class="ck-alert">{t('card.notFound')}</p>}
      {contactName !== null && <p>{t('card.contact', { name: contactName })}</p>}
      {path && (
        <>
          <p class="ck-status">{convText}</p>
          <h2 class="ck-sr-only">{t('card.touches', { count: path.touches.length })}</h2>
          <ol class="ck-touches" aria-label={t('card.touches', { count: path.touches.length })}>
            {path.touches.map((x, i) => (
              <li key={i} class={x.isThis ? 'ck-touch--this' : undefined} aria-current={x.isThis ? 'true' : undefined}>
                <div>
                  <strong>{channel(x.channel)}</strong>
                  {' · '}
                  <span class="ck-touch__credit">{x.credit === null ? t('card.outside') : t('card.credit', { share: pct(x.credit) })}</span>
                  {x.value !== null && x.value > 0 ? ` · ${formatMoney({ minor: Math.round(x.value), currency: conv!.value!.currency }, locale)}` : ''}
                </div>
                <div class="ck-touch__meta">
                  <time dateTime={x.at.toISOString()}>{date(x.at)}</time>
                  {x.source ? ` · ${x.source}` : ''}
                  {x.campaign ? ` · ${x.campaign}` : ''}
                  {x.isThis ? ` · ${t('card.this')}` : ''}
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}
