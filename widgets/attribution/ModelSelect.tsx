import { ATTRIBUTION_MODELS, type AttributionModel } from '../../sdk/marketing/attribution/index.js'
import { useI18n } from '../ui/i18n.js'
import { attributionMessages } from './messages.js'
import type { MessageKey } from '../ui/messages.js'

/** The attribution model picker shared by the tab and the card; `helpId` names the explanation below it. */
export function ModelSelect({ model, onChange, helpId }: { model: AttributionModel; onChange: (m: AttributionModel) => void; helpId: string }) {
  const { t } = useI18n(attributionMessages)
  return (
    <label>
      {t('attr.model')}{' '}
      <select value={model} onChange={(e) => onChange(e.currentTarget.value as AttributionModel)} aria-describedby={helpId}>
        {ATTRIBUTION_MODELS.map((m) => (
          <option value={m} key={m}>
            {t(`model.${m}` as MessageKey).split(':')[0]}
          </option>
        ))}
      </select>
    </label>
  )
}

/** One line saying what the chosen model does. */
export function ModelHelp({ model, id }: { model: AttributionModel; id: string }) {
  const { t } = useI18n(attributionMessages)
  return (
    <p class="ck-status" id={id}>
      {t(`model.${model}` as MessageKey)}
    </p>
  )
}
