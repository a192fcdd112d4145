import {
  ApprovalState,
  CampaignStatus,
  SpendKind,
  UnexpectedResponseError,
  money,
  moneyToDecimal,
  type Campaign,
  type CampaignCreate,
  type CampaignUpdate,
  type SpendCreate,
  type SpendEntry,
  type SpendUpdate,
} from '../../../sdk/index.js'
import { approvalWrite, decodeApprovalLog } from '../../../sdk/approval-log.js'
import type { WireCatalogElement } from '../wire.js'
import { parseAmoDate, valuesByCode, type WireFieldWrite } from './custom-fields.js'
import { numericId } from './ids.js'

/**
 * Campaigns and spend live in two amoCRM lists ("catalogs") whose fields carry these codes.
 * Money is stored as decimal text so it round-trips exactly; dates as amoCRM date fields.
 */
export const CAMPAIGN_FIELDS = {
  channel: { code: 'CRMKIT_CHANNEL', type: 'text', name: 'Канал' },
  source: { code: 'CRMKIT_SOURCE', type: 'text', name: 'Источник' },
  utmCampaign: { code: 'CRMKIT_UTM_CAMPAIGN', type: 'text', name: 'utm_campaign' },
  startsAt: { code: 'CRMKIT_STARTS', type: 'date', name: 'Начало' },
  endsAt: { code: 'CRMKIT_ENDS', type: 'date', name: 'Окончание' },
  status: { code: 'CRMKIT_STATUS', type: 'text', name: 'Статус' },
  ownerId: { code: 'CRMKIT_OWNER', type: 'text', name: 'Ответственный (id)' },
  budget: { code: 'CRMKIT_BUDGET', type: 'text', name: 'Плановый бюджет' },
  currency: { code: 'CRMKIT_CURRENCY', type: 'text', name: 'Валюта' },
  approval: { code: 'CRMKIT_APPROVAL', type: 'text', name: 'Согласование' },
  // A textarea, not text: text fields are meant for one line, the log is JSON of many entries.
  approvalLog: { code: 'CRMKIT_APPROVAL_LOG', type: 'textarea', name: 'Журнал согласования (crmkit)' },
} as const

/**
 * amoCRM documents no length limit for textarea values; 16 KB (~80 entries) keeps the element
 * payload small for the 7 req/s budget and well clear of any server-side cap.
 */
export const APPROVAL_LOG_MAX_BYTES = 16_000

export const SPEND_FIELDS = {
  campaignId: { code: 'CRMKIT_CAMPAIGN', type: 'text', name: 'Кампания (id)' },
  date: { code: 'CRMKIT_DATE', type: 'date', name: 'Дата' },
  amount: { code: 'CRMKIT_AMOUNT', type: 'text', name: 'Сумма' },
  currency: { code: 'CRMKIT_CURRENCY', type: 'text', name: 'Валюта' },
  kind: { code: 'CRMKIT_KIND', type: 'text', name: 'Тип (committed/actual)' },
  note: { code: 'CRMKIT_NOTE', type: 'textarea', name: 'Комментарий' },
} as const

const first = (e: WireCatalogElement, code: string) => valuesByCode(e.custom_fields_values, code)[0] ?? null

function broken(e: WireCatalogElement, field: string, value: unknown): never {
  throw new UnexpectedResponseError(
    `amoCRM list element ${e.id} has an invalid "${field}" (was it edited by hand in amoCRM?)`,
    { crm: 'amocrm', path: `custom_fields_values.${field}`, excerpt: JSON.stringify(value ?? null) },
  )
}

function requiredDate(e: WireCatalogElement, code: string): Date {
  const raw = first(e, code)
  const d = parseAmoDate(raw == null ? null : /^\d+$/.test(raw) ? Number(raw) : raw)
  return d ?? broken(e, code, raw)
}

function readMoney(e: WireCatalogElement, amountCode: string, currencyCode: string) {
  const amount = first(e, amountCode)
  if (amount == null) return null
  try {
    return money(amount, first(e, currencyCode) ?? 'RUB')
  } catch {
    return broken(e, amountCode, amount)
  }
}

export function toCampaign(e: WireCatalogElement, raw?: unknown): Campaign {
  const F = CAMPAIGN_FIELDS
  const status = CampaignStatus.safeParse(first(e, F.status.code) ?? 'planned')
  const approval = ApprovalState.safeParse(first(e, F.approval.code) ?? 'draft')
  const log = decodeApprovalLog(first(e, F.approvalLog.code))
  const c: Campaign = {
    id: String(e.id),
    name: e.name,
    channel: first(e, F.channel.code),
    source: first(e, F.source.code),
    utmCampaign: first(e, F.utmCampaign.code),
    startsAt: requiredDate(e, F.startsAt.code),
    endsAt: requiredDate(e, F.endsAt.code),
    status: status.success ? status.data : broken(e, F.status.code, first(e, F.status.code)),
    ownerId: first(e, F.ownerId.code),
    plannedBudget: readMoney(e, F.budget.code, F.currency.code),
    approval: approval.success ? approval.data : broken(e, F.approval.code, first(e, F.approval.code)),
    approvalHistory: log.entries,
    approvalHistoryDropped: log.dropped,
    approvalHistoryUnreadable: log.unreadable,
    createdAt: new Date(e.created_at * 1000),
    updatedAt: new Date(e.updated_at * 1000),
    customFields: {},
  }
  if (raw !== undefined) c.raw = raw
  return c
}

export function toSpend(e: WireCatalogElement, raw?: unknown): SpendEntry {
  const F = SPEND_FIELDS
  const kind = SpendKind.safeParse(first(e, F.kind.code))
  const s: SpendEntry = {
    id: String(e.id),
    campaignId: first(e, F.campaignId.code) ?? broken(e, F.campaignId.code, null),
    date: requiredDate(e, F.date.code),
    amount: readMoney(e, F.amount.code, F.currency.code) ?? broken(e, F.amount.code, null),
    kind: kind.success ? kind.data : broken(e, F.kind.code, first(e, F.kind.code)),
    note: first(e, F.note.code),
    createdAt: new Date(e.created_at * 1000),
    updatedAt: new Date(e.updated_at * 1000),
    customFields: {},
  }
  if (raw !== undefined) s.raw = raw
  return s
}

export interface WireElementWrite {
  id?: number
  name?: string
  custom_fields_values?: WireFieldWrite[]
  request_id?: string
}

const text = (code: string, v: string | null | undefined): WireFieldWrite[] =>
  v === undefined ? [] : [{ field_code: code, values: v === null || v === '' ? null : [{ value: v }] }]
const day = (code: string, d: Date | undefined): WireFieldWrite[] =>
  d === undefined ? [] : [{ field_code: code, values: [{ value: Math.floor(d.getTime() / 1000) }] }]

export function toWireCampaign(input: CampaignCreate | CampaignUpdate): WireElementWrite {
  const F = CAMPAIGN_FIELDS
  const budget = input.plannedBudget
  if (input.ownerId) numericId(['ownerId'], input.ownerId)
  const approval = approvalWrite(input, { maxBytes: APPROVAL_LOG_MAX_BYTES, crm: 'amocrm' })
  const fields = [
    ...text(F.channel.code, input.channel),
    ...text(F.source.code, input.source),
    ...text(F.utmCampaign.code, input.utmCampaign),
    ...day(F.startsAt.code, input.startsAt),
    ...day(F.endsAt.code, input.endsAt),
    ...text(F.status.code, input.status),
    ...text(F.ownerId.code, input.ownerId),
    ...text(F.budget.code, budget === undefined ? undefined : budget && moneyToDecimal(budget)),
    ...text(F.currency.code, budget === undefined ? undefined : (budget?.currency ?? null)),
    ...text(F.approval.code, approval.approval),
    ...text(F.approvalLog.code, approval.log),
  ]
  const w: WireElementWrite = {}
  if (input.name !== undefined) w.name = input.name
  if (fields.length) w.custom_fields_values = fields
  return w
}

export function toWireSpend(input: SpendCreate | SpendUpdate): WireElementWrite {
  const F = SPEND_FIELDS
  const fields = [
    ...text(F.campaignId.code, input.campaignId),
    ...day(F.date.code, input.date),
    ...text(F.amount.code, input.amount && moneyToDecimal(input.amount)),
    ...text(F.currency.code, input.amount?.currency),
    ...text(F.kind.code, input.kind),
    ...text(F.note.code, input.note),
  ]
  const w: WireElementWrite = {}
  if (input.date && input.campaignId) w.name = `${input.date.toISOString().slice(0, 10)} · ${input.campaignId}`
  if (fields.length) w.custom_fields_values = fields
  return w
}
