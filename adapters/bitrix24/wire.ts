// Runtime schemas of the Bitrix24 payloads crmkit reads. They accept every quirk the portal sends
// (numbers or numeric strings, "Y"/"N" or booleans, `[]` where an object is expected, null or "")
// and reject what would break mapping (a non-numeric amount, an unparseable date).
import { z } from 'zod'

/** An id as a number or numeric string; 0 / "0" / "" / null mean "none" for links. */
export const IdLike = z.union([z.number().int(), z.string().regex(/^\d*$/, 'must be a numeric id')])
const NullableId = IdLike.nullish()
/** A date with offset (`2026-03-02T14:17:00+03:00`), a date (`2026-03-02`), or empty. */
export const DateLike = z
  .string()
  .refine((s) => s === '' || !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date')
  .nullish()
/** Amounts: a number, or a decimal string ("15000.00"). */
export const AmountLike = z.union([z.number(), z.string().regex(/^-?\d*(\.\d+)?$/, 'must be a decimal amount')]).nullish()
const Flag = z.union([z.literal('Y'), z.literal('N'), z.boolean(), z.literal(''), z.null()]).optional()
const Str = z.string().nullish()

export const WireMultiField = z.looseObject({
  id: IdLike.optional(),
  typeId: z.string(),
  valueType: Str,
  value: z.string().nullish(),
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
  contactIds: z.union([z.array(IdLike), z.null()]).optional(),
  companyId: NullableId,
  leadId: NullableId,
  sourceId: Str,
  sourceDescription: Str,
  utmSource: Str,
  utmMedium: Str,
  utmCampaign: Str,
  utmContent: Str,
  utmTerm: Str,
  fm: z.union([z.array(WireMultiField), z.record(z.string(), z.unknown()), z.null()]).optional(),
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
  SORT: z.union([z.number(), z.string()]).nullish(),
  CATEGORY_ID: NullableId,
  SEMANTICS: z.string().nullish(),
  SYSTEM: Flag,
  EXTRA: z.union([z.looseObject({ SEMANTICS: z.string().nullish() }), z.array(z.unknown()), z.null()]).optional(),
})
export type WireStatus = z.output<typeof WireStatus>

export const WireCategory = z.looseObject({
  id: IdLike,
  name: z.string(),
  sort: z.union([z.number(), z.string()]).nullish(),
  entityTypeId: IdLike.optional(),
  isDefault: Flag,
})
export type WireCategory = z.output<typeof WireCategory>
export const WireCategoryList = z.object({ categories: z.array(WireCategory) })

export const WireUser = z.looseObject({
  ID: IdLike,
  ACTIVE: z.union([z.boolean(), z.literal('Y'), z.literal('N'), z.null()]).optional(),
  NAME: Str,
  LAST_NAME: Str,
  EMAIL: Str,
})
export type WireUser = z.output<typeof WireUser>

export const WireFieldItem = z.looseObject({ ID: IdLike, VALUE: z.string() })
export const WireField = z.looseObject({
  type: z.string(),
  isRequired: z.boolean().optional(),
  isReadOnly: z.boolean().optional(),
  isMultiple: z.boolean().optional(),
  isDynamic: z.boolean().optional(),
  title: z.string().nullish(),
  upperName: z.string().nullish(),
  items: z.union([z.array(WireFieldItem), z.null()]).optional(),
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
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]),
  expires: z.union([z.number(), z.string()]).optional(),
  server_endpoint: z.string().nullish(),
  client_endpoint: z.string().nullish(),
  member_id: z.string().nullish(),
  domain: z.string().nullish(),
  scope: z.string().nullish(),
  status: z.string().nullish(),
  user_id: IdLike.nullish(),
})

/** The `time` object; every field optional (self-hosted portals omit `operating*`). */
export const WireTime = z.looseObject({
  start: z.number().optional(),
  finish: z.number().optional(),
  duration: z.number().optional(),
  processing: z.number().optional(),
  date_start: z.string().optional(),
  date_finish: z.string().optional(),
  operating: z.number().optional(),
  operating_reset_at: z.number().optional(),
})
export type WireTime = z.output<typeof WireTime>

/** `{ result, total?, next?, time? }`. */
export const WireEnvelope = z.looseObject({
  result: z.unknown(),
  total: z.union([z.number(), z.string()]).optional(),
  next: z.union([z.number(), z.string()]).optional(),
  time: WireTime.optional(),
})

/** PHP serialises an empty map as `[]`: accept both, normalised to a record. */
const phpMap = <S extends z.ZodType>(value: S) =>
  z.union([z.record(z.string(), value), z.array(value)]).transform((v): Record<string, z.output<S>> =>
    Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : v,
  )

export const WireCommandError = z.looseObject({ error: z.string(), error_description: z.string().nullish() })

export const WireBatch = z.object({
  result: z.object({
    result: phpMap(z.unknown()),
    result_error: phpMap(WireCommandError),
    result_total: phpMap(z.union([z.number(), z.string()])).optional(),
    result_next: phpMap(z.union([z.number(), z.string()])).optional(),
    result_time: phpMap(z.union([WireTime, z.array(z.unknown())])).optional(),
  }),
  time: WireTime.optional(),
})
export type WireBatch = z.output<typeof WireBatch>
