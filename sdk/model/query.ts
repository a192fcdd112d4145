import { z } from 'zod/mini'
import { useEnglishErrors } from '../zod-locale.js'
import { Id } from './entities.js'

useEnglishErrors()

export const Include = z.enum(['raw'])
export type Include = z.infer<typeof Include>

/** The one query every collection understands; an adapter that cannot honour a field says so up front. */
export const ListQuery = z.strictObject({
  updatedSince: z.optional(z.date()),
  createdSince: z.optional(z.date()),
  ids: z.optional(z.array(Id)),
  pipelineId: z.optional(Id),
  stageIds: z.optional(z.array(Id)),
  ownerIds: z.optional(z.array(Id)),
  search: z.optional(z.string().check(z.minLength(1))),
  pageSize: z.optional(z.int().check(z.positive())),
  include: z.optional(z.array(Include)),
})
export type ListQuery = z.infer<typeof ListQuery>
export type QueryField = Exclude<keyof ListQuery, 'pageSize' | 'include'>

export const GetOptions = z.strictObject({ include: z.optional(z.array(Include)) })
export type GetOptions = z.infer<typeof GetOptions>
