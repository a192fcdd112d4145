import {
  ApprovalState,
  CampaignStatus,
  SpendKind,
  moneyToDecimal,
  type Campaign,
  type CampaignCreate,
  type CampaignUpdate,
  type Money,
  type SpendCreate,
  type SpendEntry,
  type SpendUpdate,
} from '../../../sdk/index.js'
import { approvalWrite, decodeApprovalLog } from '../../../sdk/approval-log.js'
import type { WireItem } from '../wire.js'
import { date, day, dayString, linkId, moneyField, str } from './scalars.js'

/** Titles of the two smart processes `crm.setup()` creates; found again by title on every run. */
export const CAMPAIGN_TYPE_TITLE = 'Маркетинговые кампании (crmkit)'
export const SPEND_TYPE_TITLE = 'Маркетинговые расходы (crmkit)'

/** User fields of the campaign smart process, `UF_CRM_{typeId}_{suffix}` (research §2.6). */
export const CAMPAIGN_FIELDS = {
  channel: { suffix: 'CRMKIT_CHANNEL', type: 'string', label: 'Канал' },
  source: { suffix: 'CRMKIT_SOURCE', type: 'string', label: 'Источник' },
  utmCampaign: { suffix: 'CRMKIT_UTM_CAMPAIGN', type: 'string', label: 'utm_campaign' },
  status: { suffix: 'CRMKIT_STATUS', type: 'string', label: 'Статус' },
  approval: { suffix: 'CRMKIT_APPROVAL', type: 'string', label: 'Согласование' },
  budget: { suffix: 'CRMKIT_BUDGET', type: 'money', label: 'Плановый бюджет' },
  approvalLog: { suffix: 'CRMKIT_APPROVAL_LOG', type: 'string', label: 'Журнал согласования (crmkit)' },
} as const

/**
 * A `string` user field's value is kept in a MySQL TEXT column of the `b_uts_*` table: 65,535
 * bytes. Leave headroom for escaping.
 */
export const APPROVAL_LOG_MAX_BYTES = 60_000
export const SPEND_FIELDS = {
  date: { suffix: 'CRMKIT_DATE', type: 'date', label: 'Дата' },
  amount: { suffix: 'CRMKIT_AMOUNT', type: 'money', label: 'Сумма' },
  kind: { suffix: 'CRMKIT_KIND', type: 'string', label: 'Тип расхода' },
  note: { suffix: 'CRMKIT_NOTE', type: 'string', label: 'Комментарий' },
} as const

export interface SpaRef {
  /** `id` of the type (user fields are `UF_CRM_{id}_…`). */
  id: number
  entityTypeId: number
}

export const ufName = (spa: SpaRef, suffix: string) => `UF_CRM_${spa.id}_${suffix}`
const moneyText = (m: Money) => `${moneyToDecimal(m)}|${m.currency}`

function parseEnum<T extends string>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, v: unknown, fallback: T): T {
  const r = schema.safeParse(v)
  return r.success ? (r.data as T) : fallback
}

export function toCampaign(item: WireItem, raw: unknown, spa: SpaRef, include: boolean): Campaign {
  const i = item as Record<string, unknown>
  const f = (k: keyof typeof CAMPAIGN_FIELDS) => i[ufName(spa, CAMPAIGN_FIELDS[k].suffix)]
  const created = date(item.createdTime)!
  const startsAt = day(item.begindate) ?? created
  const log = decodeApprovalLog(f('approvalLog'))
  const c: Campaign = {
    id: String(item.id),
    createdAt: created,
    updatedAt: date(item.updatedTime) ?? created,
    customFields: {},
    name: item.title ?? '',
    channel: str(f('channel')),
    source: str(f('source')),
    utmCampaign: str(f('utmCampaign')),
    startsAt,
    endsAt: day(item.closedate) ?? startsAt,
    status: parseEnum(CampaignStatus, f('status'), 'planned'),
    ownerId: linkId(item.assignedById),
    plannedBudget: moneyField(f('budget')),
    approval: parseEnum(ApprovalState, f('approval'), 'draft'),
    approvalHistory: log.entries,
    approvalHistoryDropped: log.dropped,
    approvalHistoryUnreadable: log.unreadable,
  }
  if (include) c.raw = raw
  return c
}

export function toWireCampaign(input: CampaignCreate | CampaignUpdate, spa: SpaRef, isCreate: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const set = (k: keyof typeof CAMPAIGN_FIELDS, v: unknown) => (out[ufName(spa, CAMPAIGN_FIELDS[k].suffix)] = v ?? '')
  if (input.name !== undefined) out.title = input.name
  if (input.startsAt !== undefined) out.begindate = dayString(input.startsAt)
  if (input.endsAt !== undefined) out.closedate = dayString(input.endsAt)
  if (input.ownerId !== undefined) out.assignedById = input.ownerId === null ? null : Number(input.ownerId)
  if (input.channel !== undefined) set('channel', input.channel)
  if (input.source !== undefined) set('source', input.source)
  if (input.utmCampaign !== undefined) set('utmCampaign', input.utmCampaign)
  if (input.status !== undefined || isCreate) set('status', input.status ?? 'planned')
  const approval = approvalWrite(input, { maxBytes: APPROVAL_LOG_MAX_BYTES, crm: 'bitrix24' })
  if (approval.approval !== undefined || isCreate) set('approval', approval.approval ?? 'draft')
  if (approval.log !== undefined) set('approvalLog', approval.log)
  if (input.plannedBudget !== undefined) set('budget', input.plannedBudget ? moneyText(input.plannedBudget) : '')
  return out
}

export function toSpend(item: WireItem, raw: unknown, spa: SpaRef, campaign: SpaRef, include: boolean): SpendEntry {
  const i = item as Record<string, unknown>
  const f = (k: keyof typeof SPEND_FIELDS) => i[ufName(spa, SPEND_FIELDS[k].suffix)]
  const created = date(item.createdTime)!
  const s: SpendEntry = {
    id: String(item.id),
    createdAt: created,
    updatedAt: date(item.updatedTime) ?? created,
    customFields: {},
    campaignId: linkId(i[`parentId${campaign.entityTypeId}`]) ?? '0',
    date: day(f('date')) ?? created,
    amount: moneyField(f('amount')) ?? { minor: 0, currency: 'RUB' },
    kind: parseEnum(SpendKind, f('kind'), 'actual'),
    note: str(f('note')),
  }
  if (include) s.raw = raw
  return s
}

export function toWireSpend(input: SpendCreate | SpendUpdate, spa: SpaRef, campaign: SpaRef): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const set = (k: keyof typeof SPEND_FIELDS, v: unknown) => (out[ufName(spa, SPEND_FIELDS[k].suffix)] = v ?? '')
  if (input.campaignId !== undefined) out[`parentId${campaign.entityTypeId}`] = Number(input.campaignId)
  if (input.date !== undefined) set('date', dayString(input.date))
  if (input.amount !== undefined) set('amount', moneyText(input.amount))
  if (input.kind !== undefined) set('kind', input.kind)
  if (input.note !== undefined) set('note', input.note)
  if (input.amount !== undefined) out.title = `${moneyToDecimal(input.amount)} ${input.amount.currency}`
  return out
}
