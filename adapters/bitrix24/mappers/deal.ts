import {
  ValidationError,
  moneyToDecimal,
  type CustomFieldInput,
  type Deal,
  type DealCreate,
  type DealUpdate,
  type FieldDefinition,
  type Lead,
  type LeadStatus,
  type SourceInput,
  type StageSemantics,
} from '../../../sdk/index.js'
import type { WireItem } from '../wire.js'
import { decodeCustomFields, encodeCustomFields } from './custom-fields.js'
import { amount, date, linkId, str } from './scalars.js'
import { decodeSource, encodeSource, type CampaignLink, type ClickIdFields } from './source.js'

const crm = 'bitrix24'

/** What mapping needs from the portal's dictionaries and field definitions. */
export interface MapContext {
  /** Deal stage id (`WON`, `C1:NEW`) or lead status id → semantics and pipeline. */
  stages: Map<string, { semantics: StageSemantics; pipelineId: string | null }>
  fields: Map<string, FieldDefinition>
  clickIds: ClickIdFields
  include: boolean
  /** On write: how `source.campaign` becomes the parent campaign link (null: kept as utm campaign). */
  campaign?: CampaignLink | null
}

function outcomeOf(item: WireItem, ctx: MapContext): StageSemantics {
  const known = item.stageId ? ctx.stages.get(item.stageId) : undefined
  if (known) return known.semantics
  // Unknown stage (a dictionary changed since we read it): the item's own semantic id.
  return item.stageSemanticId === 'S' ? 'won' : item.stageSemanticId === 'F' ? 'lost' : 'open'
}

export function toDeal(item: WireItem, raw: unknown, ctx: MapContext): Deal {
  const outcome = outcomeOf(item, ctx)
  const contactIds = (item.contactIds ?? []).map(String).filter((x) => x !== '0' && x !== '')
  const contactId = linkId(item.contactId) ?? contactIds[0] ?? null
  if (contactId && !contactIds.includes(contactId)) contactIds.unshift(contactId)
  const created = date(item.createdTime)!
  const deal: Deal = {
    id: String(item.id),
    createdAt: created,
    updatedAt: date(item.updatedTime) ?? created,
    customFields: decodeCustomFields(item as Record<string, unknown>, ctx.fields),
    title: item.title ?? '',
    amount: amount(item.opportunity, item.currencyId),
    pipelineId: item.categoryId === null || item.categoryId === undefined || item.categoryId === '' ? '0' : String(item.categoryId),
    stageId: str(item.stageId),
    outcome,
    closedAt: outcome === 'open' ? null : (date(item.closedate) ?? date(item.movedTime) ?? date(item.updatedTime)),
    // Bitrix24 has no loss-reason dictionary: the failure stage itself is the reason.
    lossReason: null,
    ownerId: linkId(item.assignedById),
    contactId,
    contactIds,
    companyId: linkId(item.companyId),
    leadId: linkId(item.leadId),
    source: decodeSource(item as Record<string, unknown>, ctx.clickIds),
  }
  if (ctx.include) deal.raw = raw
  return deal
}

const LEAD_STATUS: Record<StageSemantics, LeadStatus> = { open: 'open', won: 'converted', lost: 'junk' }

export function toLead(item: WireItem, raw: unknown, ctx: MapContext, dealId: string | null = null): Lead {
  const created = date(item.createdTime)!
  const lead: Lead = {
    id: String(item.id),
    createdAt: created,
    updatedAt: date(item.updatedTime) ?? created,
    customFields: decodeCustomFields(item as Record<string, unknown>, ctx.fields),
    title: item.title ?? '',
    status: LEAD_STATUS[outcomeOf(item, ctx)],
    amount: amount(item.opportunity, item.currencyId),
    pipelineId: null,
    stageId: str(item.stageId),
    ownerId: linkId(item.assignedById),
    contactId: linkId(item.contactId),
    companyId: linkId(item.companyId),
    dealId,
    source: decodeSource(item as Record<string, unknown>, ctx.clickIds),
  }
  if (ctx.include) lead.raw = raw
  return lead
}

const invalid = (path: string[], message: string) => new ValidationError(`${path.join('.')}: ${message}`, { crm, issues: [{ path, message, code: 'invalid_value' }] })

/** `crm.item.add/update` fields for a deal or lead. Validates against the dictionaries locally. */
export function toWireDeal(input: DealCreate | DealUpdate, ctx: MapContext, kind: 'deal' | 'lead'): Record<string, unknown> {
  const f: Record<string, unknown> = {}
  if (input.title !== undefined) f.title = input.title
  if (input.amount !== undefined) {
    f.opportunity = input.amount ? moneyToDecimal(input.amount) : 0
    if (input.amount) f.currencyId = input.amount.currency
    f.isManualOpportunity = 'Y'
  }
  if (input.stageId !== undefined) {
    const stage = ctx.stages.get(input.stageId)
    if (!stage) throw invalid(['stageId'], `unknown ${kind === 'deal' ? 'stage' : 'status'} "${input.stageId}"`)
    if (kind === 'deal' && input.pipelineId !== undefined && stage.pipelineId !== input.pipelineId) {
      throw invalid(['stageId'], `stage "${input.stageId}" is not in pipeline ${input.pipelineId}`)
    }
    f.stageId = input.stageId
    if (kind === 'deal' && stage.pipelineId !== null) f.categoryId = Number(stage.pipelineId)
  } else if (input.pipelineId !== undefined) {
    if (kind === 'lead') throw invalid(['pipelineId'], 'Bitrix24 leads have no pipelines')
    f.categoryId = Number(input.pipelineId)
  }
  if (input.ownerId !== undefined) f.assignedById = input.ownerId === null ? null : Number(input.ownerId)
  if (input.contactIds !== undefined) {
    if (kind === 'deal') f.contactIds = input.contactIds.map(Number)
    else f.contactId = input.contactIds[0] ? Number(input.contactIds[0]) : null
  }
  if (input.companyId !== undefined) f.companyId = input.companyId === null ? 0 : Number(input.companyId)
  if (input.lossReasonId !== undefined && input.lossReasonId !== null) {
    throw invalid(['lossReasonId'], 'Bitrix24 has no loss reasons: move the deal to a failure stage instead')
  }
  if (input.source !== undefined) Object.assign(f, encodeSource(input.source as SourceInput, ctx.clickIds, new Set(ctx.fields.keys()), ctx.campaign ?? null))
  if (input.customFields !== undefined) Object.assign(f, encodeCustomFields(input.customFields as Record<string, CustomFieldInput>, ctx.fields))
  return f
}
