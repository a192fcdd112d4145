import { z } from 'zod/mini'
import { useEnglishErrors } from '../zod-locale.js'
import { CustomFieldInput, CustomFieldValue } from './custom-fields.js'
import { Money } from './money.js'
import { Source, SourceInput } from './source.js'

useEnglishErrors()

// Ids are strings everywhere: amoCRM ids are integers, Bitrix24 sends numeric strings, Creatio
// uses GUIDs. Timestamps are Date objects in UTC.
export const Id = z.string().check(z.minLength(1, 'must be a non-empty id'))
export type Id = z.infer<typeof Id>

const record = {
  id: Id,
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Keyed by the CRM's field id; see `customFieldByCode`. */
  customFields: z.record(z.string(), CustomFieldValue),
  /** The CRM's original payload, present only when requested with `include: ['raw']`. */
  raw: z.optional(z.unknown()),
}

export const StageSemantics = z.enum(['open', 'won', 'lost'])
export type StageSemantics = z.infer<typeof StageSemantics>

export const Stage = z.object({
  id: Id,
  pipelineId: Id,
  name: z.string(),
  sort: z.number(),
  /** Decided by the CRM's stage semantics (amoCRM 142/143, Bitrix24 S/F, Creatio End/Successful), never by name. */
  semantics: StageSemantics,
})
export type Stage = z.infer<typeof Stage>

export const Pipeline = z.object({
  id: Id,
  name: z.string(),
  isDefault: z.boolean(),
  stages: z.array(Stage),
})
export type Pipeline = z.infer<typeof Pipeline>

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.nullable(z.string()),
  active: z.boolean(),
})
export type User = z.infer<typeof User>

export const Contact = z.object({
  ...record,
  name: z.string(),
  firstName: z.nullable(z.string()),
  lastName: z.nullable(z.string()),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  companyId: z.nullable(Id),
  ownerId: z.nullable(Id),
})
export type Contact = z.infer<typeof Contact>

export const Company = z.object({
  ...record,
  name: z.string(),
  ownerId: z.nullable(Id),
})
export type Company = z.infer<typeof Company>

export const DealOutcome = z.enum(['open', 'won', 'lost'])
export type DealOutcome = z.infer<typeof DealOutcome>

export const Deal = z.object({
  ...record,
  title: z.string(),
  amount: z.nullable(Money),
  pipelineId: z.nullable(Id),
  stageId: z.nullable(Id),
  outcome: DealOutcome,
  closedAt: z.nullable(z.date()),
  lossReason: z.nullable(z.string()),
  ownerId: z.nullable(Id),
  /** Main contact; all linked contacts are in `contactIds`. */
  contactId: z.nullable(Id),
  contactIds: z.array(Id),
  companyId: z.nullable(Id),
  leadId: z.nullable(Id),
  source: Source,
})
export type Deal = z.infer<typeof Deal>

export const LeadStatus = z.enum(['open', 'converted', 'junk'])
export type LeadStatus = z.infer<typeof LeadStatus>

export const Lead = z.object({
  ...record,
  title: z.string(),
  status: LeadStatus,
  amount: z.nullable(Money),
  pipelineId: z.nullable(Id),
  stageId: z.nullable(Id),
  ownerId: z.nullable(Id),
  contactId: z.nullable(Id),
  companyId: z.nullable(Id),
  dealId: z.nullable(Id),
  source: Source,
})
export type Lead = z.infer<typeof Lead>

export const CampaignStatus = z.enum(['planned', 'active', 'paused', 'completed', 'cancelled'])
export type CampaignStatus = z.infer<typeof CampaignStatus>

export const ApprovalState = z.enum(['draft', 'submitted', 'approved', 'rejected', 'needs-revision'])
export type ApprovalState = z.infer<typeof ApprovalState>

export const ApprovalAction = z.enum(['submit', 'approve', 'reject', 'request-revision', 'withdraw', 'edit-amount'])
export type ApprovalAction = z.infer<typeof ApprovalAction>

/** One step of a budget's approval workflow (sdk/marketing/approval.ts decides which steps are legal). */
export const ApprovalEntry = z.object({
  action: ApprovalAction,
  from: ApprovalState,
  to: ApprovalState,
  /** The user who acted. */
  by: Id,
  at: z.date(),
  comment: z.nullable(z.string()),
  /** The requested amount after this step, when known. */
  amount: z.nullable(Money),
})
export type ApprovalEntry = z.infer<typeof ApprovalEntry>

export const Campaign = z.object({
  ...record,
  name: z.string(),
  /** Channel code of the marketing taxonomy (e.g. `paid-search`), free text until mapped. */
  channel: z.nullable(z.string()),
  source: z.nullable(z.string()),
  utmCampaign: z.nullable(z.string()),
  startsAt: z.date(),
  endsAt: z.date(),
  status: CampaignStatus,
  ownerId: z.nullable(Id),
  plannedBudget: z.nullable(Money),
  approval: ApprovalState,
  /** Oldest first; `[]` when none (or when the CRM cannot store it). */
  approvalHistory: z.array(ApprovalEntry),
  /** How many of the oldest entries were dropped to fit the CRM's field size limit. */
  approvalHistoryDropped: z.int().check(z.nonnegative()),
  /** The stored log was not what crmkit writes (edited by hand?): `approvalHistory` holds only what could be read. */
  approvalHistoryUnreadable: z.boolean(),
})
export type Campaign = z.infer<typeof Campaign>

export const SpendKind = z.enum(['committed', 'actual'])
export type SpendKind = z.infer<typeof SpendKind>

export const SpendEntry = z.object({
  ...record,
  campaignId: Id,
  /** The day the money was spent or committed, at 00:00 UTC. */
  date: z.date(),
  amount: Money,
  kind: SpendKind,
  note: z.nullable(z.string()),
})
export type SpendEntry = z.infer<typeof SpendEntry>

// ---- write side -------------------------------------------------------------------------------

/** Custom-field writes keyed by field id or field code. */
const customFieldsInput = z.record(z.string(), CustomFieldInput)
const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'must not be empty'))

export const DealCreate = z.strictObject({
  title: nonEmpty,
  amount: z.optional(z.nullable(Money)),
  pipelineId: z.optional(Id),
  stageId: z.optional(Id),
  ownerId: z.optional(z.nullable(Id)),
  contactIds: z.optional(z.array(Id)),
  companyId: z.optional(z.nullable(Id)),
  lossReasonId: z.optional(z.nullable(Id)),
  source: z.optional(SourceInput),
  customFields: z.optional(customFieldsInput),
})
export type DealCreate = z.infer<typeof DealCreate>
export const DealUpdate = z.partial(DealCreate)
export type DealUpdate = z.infer<typeof DealUpdate>

export const LeadCreate = DealCreate
export type LeadCreate = DealCreate
export const LeadUpdate = DealUpdate
export type LeadUpdate = DealUpdate

export const ContactCreate = z.strictObject({
  name: nonEmpty,
  firstName: z.optional(z.nullable(z.string())),
  lastName: z.optional(z.nullable(z.string())),
  phones: z.optional(z.array(nonEmpty)),
  emails: z.optional(z.array(z.email('must be an e-mail address'))),
  companyId: z.optional(z.nullable(Id)),
  ownerId: z.optional(z.nullable(Id)),
  customFields: z.optional(customFieldsInput),
})
export type ContactCreate = z.infer<typeof ContactCreate>
export const ContactUpdate = z.partial(ContactCreate)
export type ContactUpdate = z.infer<typeof ContactUpdate>

export const CompanyCreate = z.strictObject({
  name: nonEmpty,
  ownerId: z.optional(z.nullable(Id)),
  customFields: z.optional(customFieldsInput),
})
export type CompanyCreate = z.infer<typeof CompanyCreate>
export const CompanyUpdate = z.partial(CompanyCreate)
export type CompanyUpdate = z.infer<typeof CompanyUpdate>

export const CampaignCreate = z
  .strictObject({
    name: nonEmpty,
    channel: z.optional(z.nullable(z.string())),
    source: z.optional(z.nullable(z.string())),
    utmCampaign: z.optional(z.nullable(z.string())),
    startsAt: z.date(),
    endsAt: z.date(),
    status: z.optional(CampaignStatus),
    ownerId: z.optional(z.nullable(Id)),
    plannedBudget: z.optional(z.nullable(Money)),
    approval: z.optional(ApprovalState),
  })
  .check(
    z.refine((c) => c.endsAt.getTime() >= c.startsAt.getTime(), {
      path: ['endsAt'],
      message: 'must not be before startsAt',
    }),
  )
export type CampaignCreate = z.infer<typeof CampaignCreate>
export const CampaignUpdate = z.strictObject({
  name: z.optional(nonEmpty),
  channel: z.optional(z.nullable(z.string())),
  source: z.optional(z.nullable(z.string())),
  utmCampaign: z.optional(z.nullable(z.string())),
  startsAt: z.optional(z.date()),
  endsAt: z.optional(z.date()),
  status: z.optional(CampaignStatus),
  ownerId: z.optional(z.nullable(Id)),
  plannedBudget: z.optional(z.nullable(Money)),
  approval: z.optional(ApprovalState),
  /**
   * The whole history to store (oldest first), replacing the stored one: append to the history you
   * just read. Stored as compact JSON in one CRM field; the oldest entries are dropped to fit it.
   */
  approvalHistory: z.optional(z.array(ApprovalEntry)),
  /** The `approvalHistoryDropped` you read, so the count of dropped entries carries over. */
  approvalHistoryDropped: z.optional(z.int().check(z.nonnegative())),
})
export type CampaignUpdate = z.infer<typeof CampaignUpdate>

export const SpendCreate = z.strictObject({
  campaignId: Id,
  date: z.date(),
  amount: Money,
  kind: SpendKind,
  note: z.optional(z.nullable(z.string())),
})
export type SpendCreate = z.infer<typeof SpendCreate>
export const SpendUpdate = z.partial(SpendCreate)
export type SpendUpdate = z.infer<typeof SpendUpdate>
