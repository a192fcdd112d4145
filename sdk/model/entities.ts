import { z } from 'zod'
import { CustomFieldInput, CustomFieldValue } from './custom-fields.js'
import { Money } from './money.js'
import { Source, SourceInput } from './source.js'

// Ids are strings everywhere: amoCRM ids are integers, Bitrix24 sends numeric strings, Creatio
// uses GUIDs. Timestamps are Date objects in UTC.
export const Id = z.string().min(1, 'must be a non-empty id')
export type Id = z.infer<typeof Id>

const record = {
  id: Id,
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Keyed by the CRM's field id; see `customFieldByCode`. */
  customFields: z.record(z.string(), CustomFieldValue),
  /** The CRM's original payload, present only when requested with `include: ['raw']`. */
  raw: z.unknown().optional(),
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
  email: z.string().nullable(),
  active: z.boolean(),
})
export type User = z.infer<typeof User>

export const Contact = z.object({
  ...record,
  name: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  companyId: Id.nullable(),
  ownerId: Id.nullable(),
})
export type Contact = z.infer<typeof Contact>

export const Company = z.object({
  ...record,
  name: z.string(),
  ownerId: Id.nullable(),
})
export type Company = z.infer<typeof Company>

export const DealOutcome = z.enum(['open', 'won', 'lost'])
export type DealOutcome = z.infer<typeof DealOutcome>

export const Deal = z.object({
  ...record,
  title: z.string(),
  amount: Money.nullable(),
  pipelineId: Id.nullable(),
  stageId: Id.nullable(),
  outcome: DealOutcome,
  closedAt: z.date().nullable(),
  lossReason: z.string().nullable(),
  ownerId: Id.nullable(),
  /** Main contact; all linked contacts are in `contactIds`. */
  contactId: Id.nullable(),
  contactIds: z.array(Id),
  companyId: Id.nullable(),
  leadId: Id.nullable(),
  source: Source,
})
export type Deal = z.infer<typeof Deal>

export const LeadStatus = z.enum(['open', 'converted', 'junk'])
export type LeadStatus = z.infer<typeof LeadStatus>

export const Lead = z.object({
  ...record,
  title: z.string(),
  status: LeadStatus,
  amount: Money.nullable(),
  pipelineId: Id.nullable(),
  stageId: Id.nullable(),
  ownerId: Id.nullable(),
  contactId: Id.nullable(),
  companyId: Id.nullable(),
  dealId: Id.nullable(),
  source: Source,
})
export type Lead = z.infer<typeof Lead>

export const CampaignStatus = z.enum(['planned', 'active', 'paused', 'completed', 'cancelled'])
export type CampaignStatus = z.infer<typeof CampaignStatus>

export const ApprovalState = z.enum(['draft', 'submitted', 'approved', 'rejected', 'needs-revision'])
export type ApprovalState = z.infer<typeof ApprovalState>

export const Campaign = z.object({
  ...record,
  name: z.string(),
  /** Channel code of the marketing taxonomy (e.g. `paid-search`), free text until mapped. */
  channel: z.string().nullable(),
  source: z.string().nullable(),
  utmCampaign: z.string().nullable(),
  startsAt: z.date(),
  endsAt: z.date(),
  status: CampaignStatus,
  ownerId: Id.nullable(),
  plannedBudget: Money.nullable(),
  approval: ApprovalState,
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
  note: z.string().nullable(),
})
export type SpendEntry = z.infer<typeof SpendEntry>

// ---- write side -------------------------------------------------------------------------------

/** Custom-field writes keyed by field id or field code. */
const customFieldsInput = z.record(z.string(), CustomFieldInput)
const nonEmpty = z.string().trim().min(1, 'must not be empty')

export const DealCreate = z.strictObject({
  title: nonEmpty,
  amount: Money.nullable().optional(),
  pipelineId: Id.optional(),
  stageId: Id.optional(),
  ownerId: Id.nullable().optional(),
  contactIds: z.array(Id).optional(),
  companyId: Id.nullable().optional(),
  lossReasonId: Id.nullable().optional(),
  source: SourceInput.optional(),
  customFields: customFieldsInput.optional(),
})
export type DealCreate = z.infer<typeof DealCreate>
export const DealUpdate = DealCreate.partial()
export type DealUpdate = z.infer<typeof DealUpdate>

export const LeadCreate = DealCreate
export type LeadCreate = DealCreate
export const LeadUpdate = DealUpdate
export type LeadUpdate = DealUpdate

export const ContactCreate = z.strictObject({
  name: nonEmpty,
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  phones: z.array(nonEmpty).optional(),
  emails: z.array(z.email('must be an e-mail address')).optional(),
  companyId: Id.nullable().optional(),
  ownerId: Id.nullable().optional(),
  customFields: customFieldsInput.optional(),
})
export type ContactCreate = z.infer<typeof ContactCreate>
export const ContactUpdate = ContactCreate.partial()
export type ContactUpdate = z.infer<typeof ContactUpdate>

export const CompanyCreate = z.strictObject({
  name: nonEmpty,
  ownerId: Id.nullable().optional(),
  customFields: customFieldsInput.optional(),
})
export type CompanyCreate = z.infer<typeof CompanyCreate>
export const CompanyUpdate = CompanyCreate.partial()
export type CompanyUpdate = z.infer<typeof CompanyUpdate>

export const CampaignCreate = z
  .strictObject({
    name: nonEmpty,
    channel: z.string().nullable().optional(),
    source: z.string().nullable().optional(),
    utmCampaign: z.string().nullable().optional(),
    startsAt: z.date(),
    endsAt: z.date(),
    status: CampaignStatus.optional(),
    ownerId: Id.nullable().optional(),
    plannedBudget: Money.nullable().optional(),
    approval: ApprovalState.optional(),
  })
  .refine((c) => c.endsAt.getTime() >= c.startsAt.getTime(), {
    path: ['endsAt'],
    message: 'must not be before startsAt',
  })
export type CampaignCreate = z.infer<typeof CampaignCreate>
export const CampaignUpdate = z.strictObject({
  name: nonEmpty.optional(),
  channel: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  utmCampaign: z.string().nullable().optional(),
  startsAt: z.date().optional(),
  endsAt: z.date().optional(),
  status: CampaignStatus.optional(),
  ownerId: Id.nullable().optional(),
  plannedBudget: Money.nullable().optional(),
  approval: ApprovalState.optional(),
})
export type CampaignUpdate = z.infer<typeof CampaignUpdate>

export const SpendCreate = z.strictObject({
  campaignId: Id,
  date: z.date(),
  amount: Money,
  kind: SpendKind,
  note: z.string().nullable().optional(),
})
export type SpendCreate = z.infer<typeof SpendCreate>
export const SpendUpdate = SpendCreate.partial()
export type SpendUpdate = z.infer<typeof SpendUpdate>
