import type { Campaign } from '../../sdk/index.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { budgetsMessages } from './messages.js'
import type { MessageKey } from '../ui/messages.js'

interface Props {
  campaign: Campaign
  /** User id → name (crm.users.list); unknown ids are shown as they are. */
  userNames: ReadonlyMap<string, string>
  id: string
}

/** Who did what, when, with which comment and amount — newest first, as people read a log. */
export function ApprovalHistory({ campaign, userNames, id }: Props) {
  const { t, locale } = useI18n(budgetsMessages)
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  const entries = [...campaign.approvalHistory].reverse()
  return (
    <div class="ck-history" id={id}>
      {campaign.approvalHistoryUnreadable && (
        <p class="ck-alert" role="status">
          {t('bud.history.unreadable')}
        </p>
      )}
      {entries.length === 0 ? (
        <p class="ck-status">{t('bud.history.empty')}</p>
      ) : (
        <table class="ck-table" aria-label={t('bud.history.title', { name: campaign.name })}>
          <thead>
            <tr>
              <th scope="col">{t('bud.history.when')}</th>
              <th scope="col">{t('bud.history.who')}</th>
              <th scope="col">{t('bud.history.action')}</th>
              <th scope="col">{t('bud.comment')}</th>
              <th scope="col">{t('bud.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at.getTime()}:${i}`}>
                <td>
                  <time dateTime={e.at.toISOString()}>{when.format(e.at)}</time>
                </td>
                <td>{userNames.get(e.by) ?? e.by}</td>
                <td>
                  {t(`bud.action.${e.action}` as MessageKey)} → {t(`approval.${e.to}` as MessageKey)}
                </td>
                {/* Comments are CRM data: rendered as text, never as markup. */}
                <td class="ck-history__comment">{e.comment ?? '—'}</td>
                <td>{e.amount ? formatMoney(e.amount, locale) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {campaign.approvalHistoryDropped > 0 && <p class="ck-status">{t('bud.history.dropped', { count: campaign.approvalHistoryDropped })}</p>}
    </div>
  )
}
