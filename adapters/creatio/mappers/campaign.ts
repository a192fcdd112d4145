import type { ApprovalState, Campaign, CampaignCreate, CampaignStatus, CampaignUpdate, SpendCreate, SpendEntry, SpendUpdate } from '../../../sdk/index.js'
import { approvalWrite, decodeApprovalLog, EMPTY_APPROVAL_LOG } from '../../../sdk/approval-log.js'
import { APPROVAL_LOG_COLUMN } from '../metadata.js'
import {
  customFieldsOf,
  dateOf,
  decimalOut,
  guidIn,
  guidOrNull,
  invalid,
  moneyOf,
  textOrNull,
  unsupported,
  type CustomColumn,
  type IdByName,
  type Names,
} from './common.js'

/** Status lookup names (MktgActivityStatus / CampaignStatus) → model status; unknown names → planned. */
const STATUS_WORDS: [RegExp, CampaignStatus][] = [
  [/cancel|отмен/i, 'cancelled'],
  [/complet|finish|done|заверш|выполн/i, 'completed'],
  [/pause|suspend|stop|приостан/i, 'paused'],
  [/progress|active|run|start|в работе|активн|запущ/i, 'active'],
  [/plan|new|draft|заплан|нов|черн/i, 'planned'],
]
export function statusOf(name: string | null): CampaignStatus {
  if (!name) return 'planned'
  return STATUS_WORDS.find(([re]) => re.test(name))?.[1] ?? 'planned'
}

export interface CampaignCtx {
  currency: string
  names: Names
  idByName: IdByName
  /** Status lookup rows of the campaign entity. */
  statuses: { id: string; name: string }[]
  custom: CustomColumn[]
  /** MktgActivity: crmkit's UTM column when the site has it. */
  utmColumn: string | null
  /** MktgActivity: the approval history column (UsrCrmkitApprovalLog) when the site has it. */
  approvalLogColumn: string | null
}

/**
 * An "Unlimited length text" column has no practical cap (nvarchar(max) / PostgreSQL text); this
 * keeps the row small, and a 500-character column would be refused by Creatio rather than cut.
 */
export const APPROVAL_LOG_MAX_BYTES = 60_000

type Row = Record<string, unknown>
const common = (row: Row, ctx: CampaignCtx, raw: unknown) => ({
  id: String(row['Id']).toLowerCase(),
  createdAt: dateOf(row['CreatedOn'], 'CreatedOn'),
  updatedAt: dateOf(row['ModifiedOn'], 'ModifiedOn'),
  customFields: customFieldsOf(row, ctx.custom, ctx.names),
  ...(raw === undefined ? {} : { raw }),
})

/** A Marketing plans activity (research §5.6): channel, dates, budget and the Approval flag. */
export function fromMktgActivity(row: Row, ctx: CampaignCtx, raw?: unknown): Campaign {
  return {
    ...common(row, ctx, raw),
    name: String(row['Name'] ?? ''),
    channel: ctx.names('LeadMedium', guidOrNull(row['ChannelId'])),
    source: null,
    utmCampaign: ctx.utmColumn ? textOrNull(row[ctx.utmColumn]) : null,
    startsAt: dateOf(row['StartDate'], 'StartDate'),
    endsAt: dateOf(row['DueDate'], 'DueDate'),
    status: statusOf(ctx.names('MktgActivityStatus', guidOrNull(row['StatusId']))),
    ownerId: guidOrNull(row['OwnerId']),
    plannedBudget: moneyOf(row['PlannedBudget'], ctx.currency),
    ...approvalOf(row, ctx),
  }
}

/**
 * The Approval flag is what Creatio users see and may toggle; the log's last state is trusted only
 * while it agrees with the flag (approved ⇔ flag set), otherwise the flag wins.
 */
function approvalOf(row: Row, ctx: CampaignCtx) {
  const flag = row['Approval'] === true
  const log = ctx.approvalLogColumn ? decodeApprovalLog(row[ctx.approvalLogColumn]) : EMPTY_APPROVAL_LOG
  const last = log.entries.at(-1)?.to
  const approval: ApprovalState = last !== undefined && (last === 'approved') === flag ? last : flag ? 'approved' : 'draft'
  return { approval, approvalHistory: log.entries, approvalHistoryDropped: log.dropped, approvalHistoryUnreadable: log.unreadable }
}

/** A Campaign (marketing automation flow): no budget, no approval (research §5.4). */
export function fromCampaign(row: Row, ctx: CampaignCtx, raw?: unknown): Campaign {
  return {
    ...common(row, ctx, raw),
    name: String(row['Name'] ?? ''),
    channel: null,
    source: null,
    utmCampaign: textOrNull(row['UtmCampaign']),
    startsAt: dateOf(row['StartDate'] ?? row['CreatedOn'], 'StartDate'),
    endsAt: dateOf(row['EndDate'] ?? row['StartDate'] ?? row['CreatedOn'], 'EndDate'),
    status: statusOf(ctx.names('CampaignStatus', guidOrNull(row['CampaignStatusId']))),
    ownerId: guidOrNull(row['OwnerId']),
    plannedBudget: null,
    approval: 'draft',
    approvalHistory: [],
    approvalHistoryDropped: 0,
    approvalHistoryUnreadable: false,
  }
}

function statusId(ctx: CampaignCtx, status: CampaignStatus | undefined): string | undefined {
  if (status === undefined) return undefined
  const row = ctx.statuses.find((s) => statusOf(s.name) === status)
  if (!row) invalid(['status'], `has no matching status in this Creatio site (have: ${ctx.statuses.map((s) => s.name).join(', ')})`)
  return row.id
}

const put = (out: Row, k: string, v: unknown) => {
  if (v !== undefined) out[k] = v
}

export function toWireMktgActivity(input: CampaignCreate | CampaignUpdate, ctx: CampaignCtx): Row {
  const out: Row = {}
  if (input.source !== undefined && input.source !== null) unsupported('Creatio marketing activities have no source column; set channel instead')
  const history = 'approvalHistory' in input ? input.approvalHistory : undefined
  if (history !== undefined && !ctx.approvalLogColumn) {
    unsupported(`This Creatio site cannot store the approval history: add a text column ${APPROVAL_LOG_COLUMN} ("Unlimited length text") to MktgActivity`)
  }
  const approval = approvalWrite(input, { maxBytes: APPROVAL_LOG_MAX_BYTES, crm: 'creatio' })
  // Without a log beside it, a state other than draft/approved could not be read back from the flag.
  if (history === undefined && approval.approval !== undefined && approval.approval !== 'draft' && approval.approval !== 'approved') {
    unsupported(`Creatio's MktgActivity.Approval is a yes/no flag: approval "${approval.approval}" cannot be stored (only draft or approved) without the approval history column ${APPROVAL_LOG_COLUMN}`)
  }
  if (input.utmCampaign !== undefined && input.utmCampaign !== null && !ctx.utmColumn) {
    unsupported('This Creatio site has no UTM column on marketing activities (UsrUtmCampaign); see the crmkit Creatio README')
  }
  put(out, 'Name', input.name)
  if (input.channel !== undefined) {
    const id = input.channel === null ? null : ctx.idByName('LeadMedium', input.channel)
    if (input.channel !== null && !id) invalid(['channel'], `"${input.channel}" is not a lead channel (LeadMedium) of this Creatio site`)
    out['ChannelId'] = id
  }
  if (ctx.utmColumn) put(out, ctx.utmColumn, input.utmCampaign === null ? '' : input.utmCampaign)
  put(out, 'StartDate', input.startsAt?.toISOString())
  put(out, 'DueDate', input.endsAt?.toISOString())
  put(out, 'StatusId', statusId(ctx, input.status))
  put(out, 'OwnerId', guidIn(['ownerId'], input.ownerId))
  const budget = decimalOut(['plannedBudget'], input.plannedBudget, ctx.currency)
  put(out, 'PlannedBudget', budget)
  put(out, 'PrimaryPlannedBudget', budget)
  if (approval.approval !== undefined) out['Approval'] = approval.approval === 'approved'
  if (approval.log !== undefined && ctx.approvalLogColumn) out[ctx.approvalLogColumn] = approval.log
  return out
}

export function toWireCampaign(input: CampaignCreate | CampaignUpdate, ctx: CampaignCtx): Row {
  const why = 'this Creatio site has no Marketing plans (MktgActivity), and Campaign has no'
  if (input.plannedBudget !== undefined && input.plannedBudget !== null) unsupported(`${why} budget columns`)
  if (input.approval !== undefined && input.approval !== 'draft') unsupported(`${why} approval flag`)
  if ('approvalHistory' in input && input.approvalHistory?.length) unsupported(`${why} approval flag or history`)
  if (input.channel !== undefined && input.channel !== null) unsupported(`${why} channel column`)
  if (input.source !== undefined && input.source !== null) unsupported(`${why} source column`)
  const out: Row = {}
  put(out, 'Name', input.name)
  put(out, 'UtmCampaign', input.utmCampaign === null ? '' : input.utmCampaign)
  put(out, 'StartDate', input.startsAt?.toISOString())
  put(out, 'EndDate', input.endsAt?.toISOString())
  put(out, 'CampaignStatusId', statusId(ctx, input.status))
  put(out, 'OwnerId', guidIn(['ownerId'], input.ownerId))
  return out
}

/** Spend entries are Events with costs: actual → PrimaryActualCost, committed → PrimaryBudgetedCost. */
export function fromEvent(row: Row, ctx: { currency: string; link: string; custom: CustomColumn[]; names: Names }, raw?: unknown): SpendEntry {
  const actual = moneyOf(row['PrimaryActualCost'], ctx.currency)
  const committed = moneyOf(row['PrimaryBudgetedCost'], ctx.currency)
  const kind = actual && actual.minor !== 0 ? 'actual' : 'committed'
  return {
    id: String(row['Id']).toLowerCase(),
    createdAt: dateOf(row['CreatedOn'], 'CreatedOn'),
    updatedAt: dateOf(row['ModifiedOn'], 'ModifiedOn'),
    customFields: customFieldsOf(row, ctx.custom, ctx.names),
    ...(raw === undefined ? {} : { raw }),
    campaignId: guidOrNull(row[ctx.link]) ?? '',
    date: dateOf(row['StartDate'], 'StartDate'),
    amount: (kind === 'actual' ? actual : committed) ?? { minor: 0, currency: ctx.currency },
    kind,
    note: textOrNull(row['Goal']),
  }
}

export function toWireEvent(input: SpendCreate | SpendUpdate, ctx: { currency: string; link: string }, existingKind?: 'actual' | 'committed'): Row {
  const out: Row = {}
  put(out, ctx.link, guidIn(['campaignId'], input.campaignId))
  if (input.date) {
    const day = new Date(Date.UTC(input.date.getUTCFullYear(), input.date.getUTCMonth(), input.date.getUTCDate())).toISOString()
    out['StartDate'] = day
    out['EndDate'] = day
    out['Name'] = `crmkit spend ${day.slice(0, 10)}`
  }
  const kind = input.kind ?? existingKind
  const amount = decimalOut(['amount'], input.amount, ctx.currency)
  if (amount !== undefined || input.kind !== undefined) {
    if (amount === undefined && input.kind !== undefined) invalid(['amount'], 'is required when kind changes')
    out['PrimaryActualCost'] = kind === 'actual' ? amount : 0
    out['PrimaryBudgetedCost'] = kind === 'committed' ? amount : 0
  }
  if (input.note !== undefined) out['Goal'] = input.note ?? ''
  return out
}
