import { Field } from '../ui/Field.js'
import { useI18n } from '../ui/i18n.js'
import { budgetsMessages } from './messages.js'
import { parseRateInput, type RateSettings } from './rates.js'

interface Props {
  settings: RateSettings
  /** Currencies to offer as base. */
  bases: readonly string[]
  /** Currencies found in the data other than the base: one rate field each. */
  foreign: readonly string[]
  onChange(next: RateSettings): void
}

/** Base-currency selector and the user's own exchange rates ("1 USD = 92.50 RUB"), checked per field. */
export function RatesEditor({ settings, bases, foreign, onChange }: Props) {
  const { t } = useI18n(budgetsMessages)
  return (
    <section class="ck-rates" aria-label={t('bud.rates')}>
      <h2>{t('bud.rates')}</h2>
      <Field label={t('bud.base')}>
        {(a) => (
          <select {...a} value={settings.base} onChange={(e) => onChange({ ...settings, base: e.currentTarget.value })}>
            {bases.map((c) => (
              <option value={c} key={c}>
                {c}
              </option>
            ))}
          </select>
        )}
      </Field>
      {foreign.length === 0 && <p class="ck-status">{t('bud.rates.none')}</p>}
      <div class="ck-row">
        {foreign.map((code) => {
          const text = settings.rates[code] ?? ''
          const bad = text.trim() !== '' && parseRateInput(text) === null
          return (
            <Field key={code} label={t('bud.rate', { from: code, to: settings.base })} error={bad ? t('bud.rate.invalid') : undefined}>
              {(a) => (
                <input
                  {...a}
                  inputMode="decimal"
                  autoComplete="off"
                  value={text}
                  onInput={(e) => onChange({ ...settings, rates: { ...settings.rates, [code]: e.currentTarget.value } })}
                />
              )}
            </Field>
          )
        })}
      </div>
    </section>
  )
}
