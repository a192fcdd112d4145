import { useState } from 'preact/hooks'
import { CampaignCreate, money, moneyToDecimal, sameMoney, type Campaign, type CampaignCreate as CampaignInput } from '../../sdk/index.js'
import { Dialog } from '../ui/Dialog.js'
import { Field } from '../ui/Field.js'
import { useI18n } from '../ui/i18n.js'
import type { MessageKey } from '../ui/messages.js'
import { inApproval } from './budget-edit.js'
import { isoDay, parseIsoDay } from './days.js'
import { calendarKey, calendarMessages } from './messages.js'

interface Props {
  campaign?: Campaign
  /** Prefill a new campaign from another one (duplicate). */
  template?: Campaign
  onDuplicate?(): void
  /** Present only when the CRM allows deleting campaigns. */
  onDelete?(): Promise<string | null>
  /** Prefilled start for a new campaign (the day the user clicked). */
  defaultDay?: Date
  onSave(input: CampaignInput): Promise<string | null>
  onClose(): void
}

type Form = { name: string; channel: string; utmCampaign: string; startsAt: string; endsAt: string; budget: string; currency: string }
type Errors = Partial<Record<keyof Form, MessageKey>>

/** The budget as typed: null when empty, undefined when it is not an amount. */
function budgetOf(form: Form) {
  if (!form.budget.trim()) return null
  try {
    return money(form.budget, form.currency || 'RUB')
  } catch {
    return undefined
  }
}

/** Turns the form into model input; every problem is reported against its own field. */
export function toInput(form: Form): { input?: CampaignInput; errors: Errors } {
  const errors: Errors = {}
  const startsAt = parseIsoDay(form.startsAt)
  const endsAt = parseIsoDay(form.endsAt)
  if (!form.name.trim()) errors.name = 'error.required'
  if (!startsAt) errors.startsAt = 'error.invalidDate'
  if (!endsAt) errors.endsAt = 'error.invalidDate'
  const plannedBudget = budgetOf(form)
  if (plannedBudget === undefined || (plannedBudget && plannedBudget.minor < 0)) errors.budget = 'error.invalidAmount'
  if (Object.keys(errors).length) return { errors }
  const candidate = {
    name: form.name.trim(),
    channel: form.channel.trim() || null,
    utmCampaign: form.utmCampaign.trim() || null,
    startsAt: startsAt!,
    endsAt: endsAt!,
    plannedBudget,
  }
  // The model's own schema has the last word (end before start and anything added later).
  const parsed = CampaignCreate.safeParse(candidate)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof Form
      errors[key] = key === 'endsAt' ? 'error.endBeforeStart' : 'error.required'
    }
    return { errors }
  }
  return { input: parsed.data, errors }
}

export function CampaignDialog({ campaign, template, defaultDay, onSave, onClose, onDuplicate, onDelete }: Props) {
  const { t } = useI18n(calendarMessages)
  const from = campaign ?? template
  const start = from?.startsAt ?? defaultDay ?? new Date()
  const [form, setForm] = useState<Form>({
    name: from?.name ?? '',
    channel: from?.channel ?? '',
    utmCampaign: from?.utmCampaign ?? '',
    startsAt: isoDay(start),
    endsAt: isoDay(from?.endsAt ?? start),
    budget: from?.plannedBudget ? moneyToDecimal(from.plannedBudget) : '',
    currency: from?.plannedBudget?.currency ?? 'RUB',
  })
  const [errors, setErrors] = useState<Errors>({})
  const [saveError, setSaveError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const set = (key: keyof Form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value })
  // Say before saving that a new amount on an approved budget sends it back for approval.
  const typed = budgetOf(form)
  const reapproval = campaign?.approval === 'approved' && typed !== undefined && !sameMoney(typed, campaign.plannedBudget)

  const submit = async (e: Event) => {
    e.preventDefault()
    const { input, errors: found } = toInput(form)
    // The approval state machine keeps a budget's currency (sdk/marketing/approval.ts editAmount).
    const was = campaign?.plannedBudget
    if (input && campaign && inApproval(campaign) && was && input.plannedBudget && input.plannedBudget.currency !== was.currency) {
      found.currency = calendarKey('cal.currencyLocked')
    }
    setErrors(found)
    if (!input || found.currency) return
    setSaving(true)
    const failure = await onSave(input)
    setSaving(false)
    if (failure) setSaveError(failure)
  }

  const text = (key: keyof Form, label: MessageKey, type = 'text') => (
    <Field label={t(label)} error={errors[key] && t(errors[key]!)}>
      {(a) => <input {...a} type={type} value={form[key]} onInput={set(key)} />}
    </Field>
  )

  return (
    <Dialog title={campaign ? t('dialog.edit') : t('dialog.create')} closeLabel={t('dialog.close')} onClose={onClose}>
      <form class="ck-form" onSubmit={submit} noValidate>
        {text('name', 'campaign.name')}
        {text('channel', 'campaign.channel')}
        {text('utmCampaign', 'campaign.utmCampaign')}
        <div class="ck-row">
          {text('startsAt', 'campaign.startsAt', 'date')}
          {text('endsAt', 'campaign.endsAt', 'date')}
        </div>
        <div class="ck-row">
          {text('budget', 'campaign.budget')}
          {text('currency', 'campaign.currency')}
        </div>
        {reapproval && (
          <p class="ck-status" role="note">
            {t(calendarKey('cal.reapproval'))}
          </p>
        )}
        {saveError && (
          <p class="ck-alert" role="alert">
            {t('error.saveFailed', { message: saveError })}
          </p>
        )}
        <footer class="ck-dialog__actions">
          {onDelete && (
            <button
              type="button"
              class="ck-danger"
              onClick={async () => {
                const failure = await onDelete()
                if (failure) setSaveError(failure)
              }}
            >
              {t('dialog.delete')}
            </button>
          )}
          {onDuplicate && (
            <button type="button" onClick={onDuplicate}>
              {t('dialog.duplicate')}
            </button>
          )}
          <span class="ck-spacer" />
          <button type="button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" class="ck-primary" disabled={saving}>
            {t('dialog.save')}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
