import type { ListQuery, QueryField } from '../../sdk/index.js'
import { buildPhpQuery } from './php-query.js'

/** `entityTypeId` of the CRM's own item types in `crm.item.*` (smart processes get theirs from crm.type.add). */
export const ENTITY_TYPE = { lead: 1, deal: 2, contact: 3, company: 4 } as const

/** Rows per list call: fixed by Bitrix24, cannot be raised (research §0). */
export const LIST_PAGE = 50
/** Commands per `batch` (a 51st gets ERROR_BATCH_LENGTH_EXCEEDED). */
export const BATCH_MAX = 50

export const DEAL_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'pipelineId', 'stageIds', 'ownerIds', 'search'])
export const LEAD_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'stageIds', 'ownerIds', 'search'])
export const CONTACT_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'ownerIds', 'search'])
export const ITEM_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'ownerIds', 'search'])
export const NO_QUERY: ReadonlySet<QueryField> = new Set()

/** The field `search` looks in, per entity type. */
export function searchField(entityTypeId: number): string {
  return entityTypeId === 3 ? 'name' : 'title'
}

/**
 * The `crm.item.list` filter for a query. Dates go as ISO-8601 with offset; `>id` is left to the
 * cursor. Operators: `>=` comparisons, `@` IN, `%` substring (research §3).
 */
export function itemFilter(q: ListQuery, entityTypeId: number): Record<string, unknown> {
  const f: Record<string, unknown> = {}
  if (q.updatedSince) f['>=updatedTime'] = q.updatedSince.toISOString()
  if (q.createdSince) f['>=createdTime'] = q.createdSince.toISOString()
  if (q.ids) f['@id'] = q.ids.length ? q.ids.map(Number) : [0]
  if (q.pipelineId !== undefined) f.categoryId = Number(q.pipelineId)
  if (q.stageIds) f['@stageId'] = q.stageIds.length ? q.stageIds : ['']
  if (q.ownerIds) f['@assignedById'] = q.ownerIds.length ? q.ownerIds.map(Number) : [0]
  if (q.search) f[`%${searchField(entityTypeId)}`] = q.search
  return f
}

/** Stands in for a `$result[…]` reference while the query string is built (references must stay unencoded). */
const CURSOR = '__crmkit_cursor__'

/**
 * One `crm.item.list` batch command of the fast-export pattern: `order id ASC`, `>id` cursor,
 * `start=-1` (no COUNT). `cursor` is a literal id or a `$result[cmd][items][49][id]` reference.
 */
export function listCommand(entityTypeId: number, filter: Record<string, unknown>, cursor: string | number, counted = false): string {
  const params = {
    entityTypeId,
    select: ['*', 'UF_*'],
    order: { id: 'ASC' },
    filter: { ...filter, '>id': CURSOR },
    start: counted ? 0 : -1,
    useOriginalUfNames: 'Y',
  }
  return `crm.item.list?${buildPhpQuery(params).replace(encodeURIComponent(CURSOR), String(cursor))}`
}

export function command(method: string, params: Record<string, unknown>): string {
  return `${method}?${buildPhpQuery(params)}`
}
