import type { ListQuery, QueryField } from '../../sdk/index.js'
import { parseStageId } from './mappers/deal.js'
import { invalid, numericId } from './mappers/ids.js'

/** Query fields each amoCRM collection can push down to `filter[...]` (research §2.3). */
export const LEAD_QUERY: ReadonlySet<QueryField> = new Set([
  'updatedSince',
  'createdSince',
  'ids',
  'pipelineId',
  'stageIds',
  'ownerIds',
  'search',
])
export const CONTACT_QUERY: ReadonlySet<QueryField> = new Set(['updatedSince', 'createdSince', 'ids', 'ownerIds', 'search'])
export const ELEMENT_QUERY: ReadonlySet<QueryField> = new Set(['ids', 'search'])
export const NO_QUERY: ReadonlySet<QueryField> = new Set()

const enc = encodeURIComponent
const unix = (d: Date) => Math.floor(d.getTime() / 1000)

/** PHP-style bracket parameters, e.g. `filter[statuses][0][pipeline_id]=1`. Order by id keeps pages stable. */
export function buildListQuery(q: ListQuery, page: number, limit: number, withs: string[]): string {
  const p: string[] = [`page=${page}`, `limit=${limit}`]
  if (withs.length) p.push(`with=${withs.join(',')}`)
  if (q.ids) q.ids.forEach((id, i) => p.push(`filter[id][]=${numericId(['ids', i], id)}`))
  if (q.updatedSince) p.push(`filter[updated_at][from]=${unix(q.updatedSince)}`)
  if (q.createdSince) p.push(`filter[created_at][from]=${unix(q.createdSince)}`)
  if (q.pipelineId) p.push(`filter[pipeline_id][]=${numericId(['pipelineId'], q.pipelineId)}`)
  if (q.ownerIds) q.ownerIds.forEach((id, i) => p.push(`filter[responsible_user_id][]=${numericId(['ownerIds', i], id)}`))
  if (q.stageIds) {
    q.stageIds.forEach((id, i) => {
      const s = parseStageId(id) ?? invalid(['stageIds', i], 'must look like "pipelineId:statusId"')
      p.push(`filter[statuses][${i}][pipeline_id]=${s.pipelineId}`, `filter[statuses][${i}][status_id]=${s.statusId}`)
    })
  }
  if (q.search) p.push(`query=${enc(q.search)}`)
  p.push('order[id]=asc')
  return p.join('&')
}
