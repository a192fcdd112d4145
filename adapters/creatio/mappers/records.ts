import type {
  Company,
  CompanyCreate,
  CompanyUpdate,
  Contact,
  ContactCreate,
  ContactUpdate,
  Deal,
  DealCreate,
  DealUpdate,
  Lead,
  LeadCreate,
  LeadUpdate,
  Pipeline,
  StageSemantics,
} from '../../../sdk/index.js'
import type { TrackingColumns } from '../metadata.js'
import {
  customFieldsOf,
  customFieldsOut,
  dateOf,
  dateOrNull,
  decimalOut,
  guidIn,
  guidOrNull,
  invalid,
  moneyOf,
  sourceOf,
  sourceOut,
  textOrNull,
  type CustomColumn,
  type IdByName,
  type Names,
  type Options,
} from './common.js'

/** Creatio has one opportunity funnel and one lead qualification funnel; these are their ids. */
export const DEAL_PIPELINE = 'Opportunity'
export const LEAD_PIPELINE = 'Lead'

export interface StageRow {
  Id: string
  Name: string
  Number?: number | undefined
  End: boolean
  Successful: boolean
}
export interface QualifyRow {
  Id: string
  Name: string
  StageNumber?: number | undefined
  IsFinal: boolean
  Successful: boolean
}

/** Decided by the stage's End/Successful flags, never by its name (research §5.2). */
export const stageSemantics = (s: { End: boolean; Successful: boolean } | undefined): StageSemantics =>
  !s || !s.End ? 'open' : s.Successful ? 'won' : 'lost'

export interface MapCtx {
  currency: string
  names: Names
  options: Options
  stages: Map<string, StageRow>
  qualify: Map<string, QualifyRow>
  tracking: TrackingColumns
  custom: CustomColumn[]
}
export interface WireCtx {
  currency: string
  idByName: IdByName
  options: Options
  tracking: TrackingColumns
  custom: CustomColumn[]
}

type Row = Record<string, unknown>
function withRaw<T extends object>(record: T, raw: unknown): T {
  if (raw !== undefined) (record as { raw?: unknown }).raw = raw
  return record
}
const idOf = (row: Row) => String(row['Id']).toLowerCase()
const custom = (row: Row, ctx: MapCtx) => (ctx.custom.length ? customFieldsOf(row, ctx.custom, ctx.names) : {})

export function toDeal(row: Row, ctx: MapCtx, raw?: unknown): Deal {
  const stageId = guidOrNull(row['StageId'])
  const outcome = stageSemantics(stageId ? ctx.stages.get(stageId) : undefined)
  const contactId = guidOrNull(row['ContactId'])
  return withRaw<Deal>(
    {
      id: idOf(row),
      createdAt: dateOf(row['CreatedOn'], 'CreatedOn'),
      updatedAt: dateOf(row['ModifiedOn'], 'ModifiedOn'),
      customFields: custom(row, ctx),
      title: typeof row['Title'] === 'string' ? row['Title'] : '',
      amount: moneyOf(row['Amount'], ctx.currency),
      pipelineId: DEAL_PIPELINE,
      stageId,
      outcome,
      // ClosedOnDate where the site has it; otherwise the last change of a closed deal.
      closedAt: outcome === 'open' ? null : (dateOrNull(row['ClosedOnDate']) ?? dateOrNull(row['ModifiedOn'])),
      lossReason: outcome === 'lost' ? ctx.names('OpportunityCloseReason', guidOrNull(row['CloseReasonId'])) : null,
      ownerId: guidOrNull(row['OwnerId']),
      contactId,
      contactIds: contactId ? [contactId] : [],
      companyId: guidOrNull(row['AccountId']),
      leadId: guidOrNull(row['MainLeadId']),
      source: sourceOf(row, ctx.tracking, ctx.names, DEAL_LOOKUPS),
    },
    raw,
  )
}
const DEAL_LOOKUPS = { channel: 'LeadChannelId', source: 'LeadSourceId', campaign: 'CampaignId' }
const LEAD_LOOKUPS = { channel: 'LeadMediumId', source: 'LeadSourceId', campaign: 'CampaignId' }

export function toLead(row: Row, ctx: MapCtx, raw?: unknown): Lead {
  const stageId = guidOrNull(row['QualifyStatusId'])
  const q = stageId ? ctx.qualify.get(stageId) : undefined
  const dealId = guidOrNull(row['OpportunityId'])
  return withRaw<Lead>(
    {
      id: idOf(row),
      createdAt: dateOf(row['CreatedOn'], 'CreatedOn'),
      updatedAt: dateOf(row['ModifiedOn'], 'ModifiedOn'),
      customFields: custom(row, ctx),
      title: textOrNull(row['LeadName']) ?? textOrNull(row['Contact']) ?? textOrNull(row['Account']) ?? '',
      status: dealId || (q?.IsFinal && q.Successful) ? 'converted' : q?.IsFinal ? 'junk' : 'open',
      amount: moneyOf(row['Budget'], ctx.currency),
      pipelineId: LEAD_PIPELINE,
      stageId,
      ownerId: guidOrNull(row['OwnerId']),
      contactId: guidOrNull(row['QualifiedContactId']),
      companyId: guidOrNull(row['QualifiedAccountId']),
      dealId,
      source: sourceOf(row, ctx.tracking, ctx.names, LEAD_LOOKUPS),
    },
    raw,
  )
}

const base = (row: Row, ctx: MapCtx, raw: unknown) => ({
  id: idOf(row),
  createdAt: dateOf(row['CreatedOn'], 'CreatedOn'),
  updatedAt: dateOf(row['ModifiedOn'], 'ModifiedOn'),
  customFields: custom(row, ctx),
  ...(raw === undefined ? {} : { raw }),
})

export function toContact(row: Row, ctx: MapCtx, raw?: unknown): Contact {
  return {
    ...base(row, ctx, raw),
    name: textOrNull(row['Name']) ?? '',
    firstName: textOrNull(row['GivenName']),
    lastName: textOrNull(row['Surname']),
    phones: ['MobilePhone', 'Phone', 'HomePhone'].map((k) => textOrNull(row[k])).filter((x): x is string => x !== null),
    emails: textOrNull(row['Email']) ? [row['Email'] as string] : [],
    companyId: guidOrNull(row['AccountId']),
    ownerId: guidOrNull(row['OwnerId']),
  }
}

export function toCompany(row: Row, ctx: MapCtx, raw?: unknown): Company {
  return { ...base(row, ctx, raw), name: textOrNull(row['Name']) ?? '', ownerId: guidOrNull(row['OwnerId']) }
}

export function toPipelines(stages: StageRow[], qualify: QualifyRow[]): Pipeline[] {
  const byNumber = <T>(n: (x: T) => number | undefined) => (a: T, b: T) => (n(a) ?? 0) - (n(b) ?? 0)
  return [
    {
      id: DEAL_PIPELINE,
      name: 'Opportunities',
      isDefault: true,
      stages: [...stages].sort(byNumber((s) => s.Number)).map((s, i) => ({
        id: s.Id.toLowerCase(),
        pipelineId: DEAL_PIPELINE,
        name: s.Name,
        sort: s.Number ?? i,
        semantics: stageSemantics(s),
      })),
    },
    {
      id: LEAD_PIPELINE,
      name: 'Lead qualification',
      isDefault: false,
      stages: [...qualify].sort(byNumber((s) => s.StageNumber)).map((s, i) => ({
        id: s.Id.toLowerCase(),
        pipelineId: LEAD_PIPELINE,
        name: s.Name,
        sort: s.StageNumber ?? i,
        semantics: stageSemantics({ End: s.IsFinal, Successful: s.Successful }),
      })),
    },
  ]
}

// ---- write side ------------------------------------------------------------------------------

function put(out: Row, column: string, v: unknown) {
  if (v !== undefined) out[column] = v
}
function pipeline(v: string | undefined, expected: string) {
  if (v !== undefined && v !== expected) invalid(['pipelineId'], `must be "${expected}": Creatio has one such funnel`)
}
function oneContact(ids: string[] | undefined): string | null | undefined {
  if (ids === undefined) return undefined
  if (ids.length > 1) invalid(['contactIds'], 'Creatio links one main contact here; link others through the contact detail', 'too_big')
  return guidIn(['contactIds', 0], ids[0] ?? null)
}

export function toWireDeal(input: DealCreate | DealUpdate, ctx: WireCtx): Row {
  const out: Row = {}
  pipeline(input.pipelineId, DEAL_PIPELINE)
  put(out, 'Title', input.title)
  put(out, 'Amount', decimalOut(['amount'], input.amount, ctx.currency))
  put(out, 'StageId', guidIn(['stageId'], input.stageId))
  put(out, 'OwnerId', guidIn(['ownerId'], input.ownerId))
  put(out, 'ContactId', oneContact(input.contactIds))
  put(out, 'AccountId', guidIn(['companyId'], input.companyId))
  put(out, 'CloseReasonId', guidIn(['lossReasonId'], input.lossReasonId))
  Object.assign(out, sourceOut(input.source, ctx.tracking, ctx.idByName, { channel: 'LeadChannelId', source: 'LeadSourceId', campaign: 'CampaignId' }))
  Object.assign(out, customFieldsOut(input.customFields, ctx.custom, ctx.options))
  return out
}

export function toWireLead(input: LeadCreate | LeadUpdate, ctx: WireCtx): Row {
  const out: Row = {}
  pipeline(input.pipelineId, LEAD_PIPELINE)
  if (input.lossReasonId !== undefined && input.lossReasonId !== null) invalid(['lossReasonId'], 'is not stored on Creatio leads (use LeadDisqualifyReason through customFields)')
  put(out, 'LeadName', input.title)
  put(out, 'Budget', decimalOut(['amount'], input.amount, ctx.currency))
  put(out, 'QualifyStatusId', guidIn(['stageId'], input.stageId))
  put(out, 'OwnerId', guidIn(['ownerId'], input.ownerId))
  put(out, 'QualifiedContactId', oneContact(input.contactIds))
  put(out, 'QualifiedAccountId', guidIn(['companyId'], input.companyId))
  Object.assign(out, sourceOut(input.source, ctx.tracking, ctx.idByName, { channel: 'LeadMediumId', source: 'LeadSourceId', campaign: 'CampaignId' }))
  Object.assign(out, customFieldsOut(input.customFields, ctx.custom, ctx.options))
  return out
}

export function toWireContact(input: ContactCreate | ContactUpdate, ctx: WireCtx): Row {
  const out: Row = {}
  put(out, 'Name', input.name)
  put(out, 'GivenName', input.firstName === null ? '' : input.firstName)
  put(out, 'Surname', input.lastName === null ? '' : input.lastName)
  if (input.phones) {
    if (input.phones.length > 3) invalid(['phones'], 'Creatio contacts hold at most 3 phones (mobile, business, home)', 'too_big')
    ;['MobilePhone', 'Phone', 'HomePhone'].forEach((c, i) => (out[c] = input.phones![i] ?? ''))
  }
  if (input.emails) {
    if (input.emails.length > 1) invalid(['emails'], 'Creatio contacts hold one e-mail column; more live in ContactCommunication', 'too_big')
    out['Email'] = input.emails[0] ?? ''
  }
  put(out, 'AccountId', guidIn(['companyId'], input.companyId))
  put(out, 'OwnerId', guidIn(['ownerId'], input.ownerId))
  Object.assign(out, customFieldsOut(input.customFields, ctx.custom, ctx.options))
  return out
}

export function toWireCompany(input: CompanyCreate | CompanyUpdate, ctx: WireCtx): Row {
  const out: Row = {}
  put(out, 'Name', input.name)
  put(out, 'OwnerId', guidIn(['ownerId'], input.ownerId))
  Object.assign(out, customFieldsOut(input.customFields, ctx.custom, ctx.options))
  return out
}
