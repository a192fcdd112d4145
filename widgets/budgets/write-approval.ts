import { WriteOutcomeUnknownError, type Campaign, type Crm } from '../../sdk/index.js'
import { approvalStep, type Actor } from '../../sdk/marketing/approval.js'
import type { DialogAction } from './ApprovalDialog.js'

export type ApprovalWrite =
  | { kind: 'saved'; campaign: Campaign }
  /** Someone else moved the budget since it was shown; nothing was written. */
  | { kind: 'conflict'; campaign: Campaign }
  /** The CRM refused (or was never reached): nothing changed, `campaign` is the state to roll back to. */
  | { kind: 'failed'; campaign: Campaign; error: unknown }
  /** The write may or may not have landed; `campaign` is the CRM's state read afterwards, if it could be. */
  | { kind: 'unknown'; campaign: Campaign | null; error: unknown }

const sameApproval = (a: Campaign, b: Campaign) =>
  a.approval === b.approval &&
  a.approvalHistoryDropped === b.approvalHistoryDropped &&
  a.approvalHistory.length === b.approvalHistory.length &&
  a.approvalHistory.at(-1)?.at.getTime() === b.approvalHistory.at(-1)?.at.getTime()

/**
 * Writes one approval step. The history lives in one CRM field that is rewritten whole, so the
 * campaign is read again first: if anyone changed its approval meanwhile, their step would be lost,
 * so nothing is written and the fresh state is returned instead. A write whose outcome is unknown
 * is never repeated here; the caller shows what the CRM holds now.
 */
export async function writeApproval(crm: Crm, shown: Campaign, action: DialogAction, actor: Actor): Promise<ApprovalWrite> {
  let fresh: Campaign
  try {
    fresh = await crm.campaigns.get(shown.id)
  } catch (error) {
    return { kind: 'failed', campaign: shown, error }
  }
  if (!sameApproval(fresh, shown)) return { kind: 'conflict', campaign: fresh }
  let step
  try {
    step = approvalStep(fresh, action, actor)
  } catch (error) {
    return { kind: 'failed', campaign: fresh, error }
  }
  try {
    return { kind: 'saved', campaign: await crm.campaigns.update(shown.id, step.update) }
  } catch (error) {
    if (!(error instanceof WriteOutcomeUnknownError)) return { kind: 'failed', campaign: fresh, error }
    const now = await crm.campaigns.get(shown.id).catch(() => null)
    return { kind: 'unknown', campaign: now, error }
  }
}
