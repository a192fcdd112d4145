import { useState } from 'preact/hooks'
import { CrmError, type Campaign } from '../../sdk/index.js'
import { approvalStep, type ApprovalAction, type ApprovalStep } from '../../sdk/marketing/approval.js'
import { Dialog } from '../ui/Dialog.js'
import { Field } from '../ui/Field.js'
import { useI18n } from '../ui/i18n.js'
import { budgetsMessages } from './messages.js'
import type { MessageKey } from '../ui/messages.js'

export type DialogAction = Exclude<ApprovalAction, 'edit-amount'>

interface Props {
  campaign: Campaign
  action: DialogAction
  userId: string
  onCancel(): void
  /** Called with the checked step; the dialog closes and the caller writes it. */
  onConfirm(step: ApprovalStep): void
}

/** A refusal without a reason leaves the requester guessing (same rule as sdk/marketing/approval.ts). */
const NEEDS_COMMENT: readonly DialogAction[] = ['reject', 'request-revision']
/** Keeps one entry well inside the CRM field that holds the whole log (sdk/approval-log.ts). */
export const COMMENT_MAX = 1000

/** Confirms one approval action with a comment; the state machine checks it before anything is written. */
export function ApprovalDialog({ campaign, action, userId, onCancel, onConfirm }: Props) {
  const { t } = useI18n(budgetsMessages)
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | null>(null)
  const required = NEEDS_COMMENT.includes(action)
  const actionLabel = t(`bud.action.${action}` as MessageKey)

  const submit = (e: Event) => {
    e.preventDefault()
    if (required && !comment.trim()) return setError(t('bud.commentRequired'))
    try {
      onConfirm(approvalStep(campaign, action, { by: userId, at: new Date(), comment }))
    } catch (err) {
      setError(err instanceof CrmError || err instanceof Error ? err.message : String(err))
    }
  }

  return (
    <Dialog title={t('bud.dialog.title', { action: actionLabel, name: campaign.name })} closeLabel={t('dialog.close')} onClose={onCancel}>
      <form class="ck-form" onSubmit={submit} noValidate>
        <Field label={t(required ? 'bud.comment.required' : 'bud.comment.optional')} error={error ?? undefined}>
          {(a) => (
            <textarea
              {...a}
              rows={3}
              maxLength={COMMENT_MAX}
              required={required}
              aria-required={required}
              value={comment}
              onInput={(e) => {
                setComment(e.currentTarget.value)
                if (error) setError(null)
              }}
            />
          )}
        </Field>
        <footer class="ck-dialog__actions">
          <button type="button" onClick={onCancel}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" class="ck-primary">
            {actionLabel}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
