import {
  currencyExponent,
  type Deal,
  type DealCreate,
  type DealUpdate,
  type FieldDefinition,
  type Lead,
  type Money,
} from '../../../sdk/index.js'
import type { WireLead } from '../wire.js'
import { decodeCustomFields, encodeCustomFields, type WireFieldWrite } from './custom-fields.js'
import { decodeSource, encodeSource } from './source.js'
import { invalid, numericId, optId } from './ids.js'

/** amoCRM's system statuses, the same ids in every pipeline (research §0). */
export const WON_STATUS = 142
export const LOST_STATUS = 143

/**
 * Stage ids are `pipelineId:statusId`, because 142 and 143 exist in every pipeline and amoCRM
 * itself needs both numbers to tell them apart.
 */
export const stageId = (pipelineId: number, statusId: number) => `${pipelineId}:${statusId}`

export function parseStageId(id: string): { pipelineId: number; statusId: number } | null {
  const m = /^(\d+):(\d+)$/.exec(id)
  return m ? { pipelineId: Number(m[1]), statusId: Number(m[2]) } : null
}

const date = (s: number) => new Date(s * 1000)
const optDate = (s: number | null | undefined) => (s ? new Date(s * 1000) : null)

export function toDeal(w: WireLead, currency: string, raw?: unknown): Deal {
  const contacts = w._embedded?.contacts ?? []
  const main = contacts.find((c) => c.is_main) ?? contacts[0]
  const outcome = w.status_id === WON_STATUS ? 'won' : w.status_id === LOST_STATUS ? 'lost' : 'open'
  const deal: Deal = {
    id: String(w.id),
    title: w.name,
    // `price` is whole units of the account currency.
    amount: w.price == null ? null : { minor: w.price * 10 ** currencyExponent(currency), currency },
    pipelineId: String(w.pipeline_id),
    stageId: stageId(w.pipeline_id, w.status_id),
    outcome,
    closedAt: optDate(w.closed_at),
    lossReason: outcome === 'lost' ? (w._embedded?.loss_reason?.[0]?.name ?? null) : null,
    ownerId: optId(w.responsible_user_id),
    contactId: main ? String(main.id) : null,
    contactIds: contacts.map((c) => String(c.id)),
    companyId: optId(w._embedded?.companies?.[0]?.id),
    leadId: String(w.id), // the same record is the lead
    source: decodeSource(w.custom_fields_values),
    createdAt: date(w.created_at),
    updatedAt: date(w.updated_at),
    customFields: decodeCustomFields(w.custom_fields_values),
  }
  if (raw !== undefined) deal.raw = raw
  return deal
}

export function toLead(w: WireLead, currency: string, raw?: unknown): Lead {
  const d = toDeal(w, currency, raw)
  const lead: Lead = {
    id: d.id,
    title: d.title,
    // One record: won means the lead converted, lost means it was junked.
    status: d.outcome === 'won' ? 'converted' : d.outcome === 'lost' ? 'junk' : 'open',
    amount: d.amount,
    pipelineId: d.pipelineId,
    stageId: d.stageId,
    ownerId: d.ownerId,
    contactId: d.contactId,
    companyId: d.companyId,
    dealId: d.id,
    source: d.source,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    customFields: d.customFields,
  }
  if (raw !== undefined) lead.raw = raw
  return lead
}



/** amoCRM `price` is an integer in the account currency. */
function toPrice(amount: Money, currency: string): number {
  if (amount.currency !== currency) invalid(['amount', 'currency'], `must be the account currency ${currency}`)
  const factor = 10 ** currencyExponent(currency)
  if (amount.minor % factor !== 0) invalid(['amount'], 'must be whole units: amoCRM stores budgets without kopecks')
  return amount.minor / factor
}

export interface WireLeadWrite {
  id?: number
  name?: string
  price?: number
  pipeline_id?: number
  status_id?: number
  responsible_user_id?: number | null
  loss_reason_id?: number | null
  custom_fields_values?: WireFieldWrite[]
  _embedded?: { contacts?: { id: number; is_main?: boolean }[]; companies?: { id: number }[] }
  request_id?: string
}


export function toWireLead(input: DealCreate | DealUpdate, currency: string, defs: FieldDefinition[]): WireLeadWrite {
  const w: WireLeadWrite = {}
  if (input.title !== undefined) w.name = input.title
  if (input.amount !== undefined) w.price = input.amount === null ? 0 : toPrice(input.amount, currency)
  if (input.stageId !== undefined) {
    const s = parseStageId(input.stageId)
    if (!s) invalid(['stageId'], 'must look like "pipelineId:statusId" (see crm.pipelines.list())')
    if (input.pipelineId !== undefined && String(s.pipelineId) !== input.pipelineId) {
      invalid(['pipelineId'], `does not match stageId ${input.stageId}`)
    }
    w.pipeline_id = s.pipelineId
    w.status_id = s.statusId
  } else if (input.pipelineId !== undefined) {
    w.pipeline_id = numericId(['pipelineId'], input.pipelineId)
  }
  if (input.ownerId !== undefined) w.responsible_user_id = input.ownerId === null ? null : numericId(['ownerId'], input.ownerId)
  if (input.lossReasonId !== undefined) {
    w.loss_reason_id = input.lossReasonId === null ? null : numericId(['lossReasonId'], input.lossReasonId)
  }
  const fields = [
    ...(input.source ? encodeSource(input.source) : []),
    ...(input.customFields ? encodeCustomFields(input.customFields, defs, 'amocrm') : []),
  ]
  if (fields.length) w.custom_fields_values = fields
  if (input.contactIds !== undefined || input.companyId !== undefined) {
    w._embedded = {}
    if (input.contactIds !== undefined) {
      w._embedded.contacts = input.contactIds.map((id, i) => ({ id: numericId(['contactIds', i], id), is_main: i === 0 }))
    }
    if (input.companyId) w._embedded.companies = [{ id: numericId(['companyId'], input.companyId) }]
  }
  return w
}
