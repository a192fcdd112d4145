import { sameMoney, type Campaign, type CampaignCreate, type CampaignUpdate, type Crm } from '../../sdk/index.js'

/** Who the history names when the host did not say who is looking (the entry is still written). */
export const UNKNOWN_USER = 'unknown'

/**
 * Budgets an approver has seen or decided. A draft has nothing to re-approve (and CRMs that
 * cannot store approval always read draft); a rejected one is closed, its refusal stays as it was.
 */
export const inApproval = (c: Pick<Campaign, 'approval'>) => c.approval === 'submitted' || c.approval === 'approved' || c.approval === 'needs-revision'

/**
 * The write for a campaign edited in the dialog. A new planned budget on a budget in approval is
 * the state machine's `edit-amount` step (an approved budget goes back to submitted, with a history
 * entry). The history is one CRM field rewritten whole, so the step is built on the campaign as the
 * CRM holds it now: an approval given since the calendar loaded is kept, not overwritten.
 */
export async function campaignEdit(crm: Crm, shown: Campaign, input: CampaignCreate, actor: { by: string; at: Date }): Promise<CampaignUpdate> {
  const amount = input.plannedBudget ?? null
  if (sameMoney(amount, shown.plannedBudget)) return input
  const fresh = await crm.campaigns.get(shown.id)
  if (!inApproval(fresh)) return input
  // The approval engine loads only for this rare save, not with the calendar (bundle budget).
  const { amountEditStep } = await import(/* webpackChunkName: "approval" */ '../../sdk/marketing/approval.js')
  const step = amountEditStep(fresh, amount, actor)
  return step ? { ...input, ...step.update } : input
}
