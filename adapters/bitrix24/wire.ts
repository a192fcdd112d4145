// Runtime schemas of the Bitrix24 payloads crmkit reads. They accept every quirk the portal sends
// (numbers or numeric strings, "Y"/"N" or booleans, `[]` where an object is expected, null or "")
// and reject what would break mapping (a non-numeric amount, an unparseable date).
import { z } from 'zod/mini'
import { useEnglishErrors } from '../../sdk/zod-locale.js'

useEnglishErrors()

/** An id as a number or numeric string; 0 / "0" / "" / null mean "none" for links. */
export const IdLike = z.union([z.int(), z.string().check(z.regex(/^\d*$/, 'must be a numeric id'))])
const NullableId = z.nullish(IdLike)
/** A date with offset (`2026-03-02T14:17:00+03:00`), a date (`2026-03-02`), or empty. */
export const DateLike = z.nullish(
  z.string().check(z.refine((s) => s === '' || !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date')),
)
/** Amounts: a number, or a decimal string ("15000.00"). */
export const AmountLike = z.nullish(z.union([z.number(), z.string().check(z.regex(/^-?\d*(\.\d+)?$/, 'must be a decimal amount'))]))
const Flag = z.optional(z.union([z.literal('Y'), z.literal('N'), z.boolean(), z.literal(''), z.null()]))
const Str = z.nullish(z.string())

export const WireMultiField = z.looseObject({
  id: z.optional(IdLike),
  typeId: z.string(),
  valueType: Str,
  value: z.nullish(z.string()),
})

/** One `crm.item.*` record (lead, deal, contact, company or a smart-process item). */
export const WireItem = z.looseObject({
  id: IdLike,
  title: Str,
  name: Str,
  lastName: Str,
  secondName: Str,
  stageId: Str,
  categoryId: NullableId,
  stageSemanticId: Str,
  closed: Flag,
  opportunity: AmountLike,
  currencyId: Str,
  assignedById: NullableId,
  createdTime: DateLike,
  updatedTime: DateLike,
  movedTime: DateLike,
  begindate: DateLike,
  closedate: DateLike,
  dateClosed: DateLike,
  contactId: NullableId,
  contactIds: z.optional(z.union([z.array(IdLike), z.null()])),
  companyId: NullableId,
  leadId: NullableId,
  sourceId: Str,
  sourceDescription: Str,
  utmSource: Str,
  utmMedium: Str,
  utmCampaign: Str,
  utmContent: Str,
  utmTerm: Str,
  fm: z.optional(z.union([z.array(WireMultiField), z.record(z.string(), z.unknown()), z.null()])),
})
export type WireItem = z.output<typeof WireItem>

export const WireItemList = z.object({ items: z.array(z.unknown()) })
export const WireItemOne = z.object({ item: z.unknown() })

/** A `crm.status.list` row: stages, lead statuses, sources. */
export const WireStatus = z.looseObject({
  ID: IdLike,
  ENTITY_ID: z.string(),
  STATUS_ID: z.string(),
  NAME: z.string(),
  SORT: z.nullish(z.union([z.number(), z.string()])),
  CATEGORY_ID: NullableId,
  SEMANTICS: z.nullish(z.string()),
  SYSTEM: Flag,
  EXTRA: z.optional(z.union([z.looseObject({ SEMANTICS: z.nullish(z.string()) }), z.array(z.unknown()), z.null()])),
})
export type WireStatus = z.output<typeof WireStatus>

export const WireCategory = z.looseObject({
  id: IdLike,
  name: z.string(),
  sort: z.nullish(z.union([z.number(), z.string()])),
  entityTypeId: z.optional(IdLike),
  isDefault: Flag,
})
export type WireCategory = z.output<typeof WireCategory>
export const WireCategoryList = z.object({ categories: z.array(WireCategory) })

export const WireUser = z.looseObject({
  ID: IdLike,
  ACTIVE: z.optional(z.union([z.boolean(), z.literal('Y'), z.literal('N'), z.null()])),
  NAME: Str,
  LAST_NAME: Str,
  EMAIL: Str,
})
export type WireUser = z.output<typeof WireUser>

export const WireFieldItem = z.looseObject({ ID: IdLike, VALUE: z.string() })
export const WireField = z.looseObject({
  type: z.string(),
  isRequired: z.optional(z.boolean()),
  isReadOnly: z.optional(z.boolean()),
  isMultiple: z.optional(z.boolean()),
  isDynamic: z.optional(z.boolean()),
  title: z.nullish(z.string()),
  upperName: z.nullish(z.string()),
  items: z.optional(z.union([z.array(WireFieldItem), z.null()])),
})
export type WireField = z.output<typeof WireField>
export const WireFields = z.object({ fields: z.record(z.string(), WireField) })

export const WireType = z.looseObject({
  id: IdLike,
  entityTypeId: IdLike,
  title: z.string(),
  code: Str,
})
export type WireType = z.output<typeof WireType>
export const WireTypeList = z.object({ types: z.array(WireType) })
export const WireTypeOne = z.object({ type: WireType })

export const WireUserFieldConfig = z.looseObject({
  id: IdLike,
  entityId: z.string(),
  fieldName: z.string(),
  userTypeId: z.string(),
})
export const WireUserFieldConfigList = z.object({ fields: z.array(WireUserFieldConfig) })

export const WireTokenResponse = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.string().check(z.minLength(1)),
  expires_in: z.union([z.number(), z.string()]),
  expires: z.optional(z.union([z.number(), z.string()])),
  server_endpoint: z.nullish(z.string()),
  client_endpoint: z.nullish(z.string()),
  member_id: z.nullish(z.string()),
  domain: z.nullish(z.string()),
  scope: z.nullish(z.string()),
  status: z.nullish(z.string()),
  user_id: z.nullish(IdLike),
})

/** The `time` object; every field optional (self-hosted portals omit `operating*`). */
export const WireTime = z.looseObject({
  start: z.optional(z.number()),
  finish: z.optional(z.number()),
  duration: z.optional(z.number()),
  processing: z.optional(z.number()),
  date_start: z.optional(z.string()),
  date_finish: z.optional(z.string()),
  operating: z.optional(z.number()),
  operating_reset_at: z.optional(z.number()),
})
export type WireTime = z.output<typeof WireTime>

/** `{ result, total?, next?, time? }`. */
export const WireEnvelope = z.looseObject({
  result: z.unknown(),
  total: z.optional(z.union([z.number(), z.string()])),
  next: z.optional(z.union([z.number(), z.string()])),
  time: z.optional(WireTime),
})

/** PHP serialises an empty map as `[]`: accept both, normalised to a record. */
const phpMap = <S extends z.ZodMiniType>(value: S) =>
  z.pipe(
    z.union([z.record(z.string(), value), z.array(value)]),
    z.transform((v): Record<string, z.output<S>> => (Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : v)),
  )

export const WireCommandError = z.looseObject({ error: z.string(), error_description: z.nullish(z.string()) })

export const WireBatch = z.object({
  result: z.object({
    result: phpMap(z.unknown()),
    result_error: phpMap(WireCommandError),
    result_total: z.optional(phpMap(z.union([z.number(), z.string()]))),
    result_next: z.optional(phpMap(z.union([z.number(), z.string()]))),
    result_time: z.optional(phpMap(z.union([WireTime, z.array(z.unknown())]))),
  }),
  time: z.optional(WireTime),
})
export type WireBatch = z.output<typeof WireBatch>
