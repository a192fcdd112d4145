import { z } from 'zod'
import { Id } from './entities.js'

export const Include = z.enum(['raw'])
export type Include = z.infer<typeof Include>

/** The one query every collection understands; an adapter that cannot honour a field says so up front. */
export const ListQuery = z.strictObject({
  updatedSince: z.date().optional(),
  createdSince: z.date().optional(),
  ids: z.array(Id).optional(),
  pipelineId: Id.optional(),
  stageIds: z.array(Id).optional(),
  ownerIds: z.array(Id).optional(),
  search: z.string().min(1).optional(),
  pageSize: z.number().int().positive().optional(),
  include: z.array(Include).optional(),
})
export type ListQuery = z.infer<typeof ListQuery>
export type QueryField = Exclude<keyof ListQuery, 'pageSize' | 'include'>

export const GetOptions = z.strictObject({ include: z.array(Include).optional() })
export type GetOptions = z.infer<typeof GetOptions>
