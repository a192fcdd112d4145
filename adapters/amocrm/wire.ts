import { z } from 'zod/mini'
import { useEnglishErrors } from '../../sdk/zod-locale.js'

// Runtime schemas of the amoCRM v4 payloads we read. They check what the mappers rely on and let
// everything else through untouched; `types.check.ts` keeps them in step with the OpenAPI spec.

useEnglishErrors()

const int = z.int()
const nullableInt = z.optional(z.nullable(int))

export const WireEnumValue = z.object({
  // Mostly scalars, but legal_entity, smart_address and friends hold objects.
  value: z.optional(z.unknown()),
  enum_id: nullableInt,
  enum_code: z.optional(z.nullable(z.string())),
})
export type WireEnumValue = z.infer<typeof WireEnumValue>

export const WireCustomFieldValue = z.object({
  field_id: int,
  field_name: z.optional(z.nullable(z.string())),
  field_code: z.optional(z.nullable(z.string())),
  field_type: z.string(),
  values: z.nullable(z.array(WireEnumValue)),
})
export type WireCustomFieldValue = z.infer<typeof WireCustomFieldValue>

const customFieldsValues = z.optional(z.nullable(z.array(WireCustomFieldValue)))
const link = z.object({ id: int, is_main: z.optional(z.boolean()) })

export const WireLead = z.object({
  id: int,
  name: z.string(),
  price: z.nullable(int),
  responsible_user_id: nullableInt,
  status_id: int,
  pipeline_id: int,
  loss_reason_id: nullableInt,
  created_at: int,
  updated_at: int,
  closed_at: nullableInt,
  is_deleted: z.optional(z.boolean()),
  custom_fields_values: customFieldsValues,
  _embedded: z.optional(
    z.object({
      contacts: z.optional(z.array(link)),
      companies: z.optional(z.array(link)),
      loss_reason: z.optional(z.array(z.object({ id: int, name: z.string() }))),
    }),
  ),
})
export type WireLead = z.infer<typeof WireLead>

export const WireContact = z.object({
  id: int,
  name: z.nullable(z.string()),
  first_name: z.optional(z.nullable(z.string())),
  last_name: z.optional(z.nullable(z.string())),
  responsible_user_id: nullableInt,
  created_at: int,
  updated_at: int,
  custom_fields_values: customFieldsValues,
  _embedded: z.optional(z.object({ companies: z.optional(z.array(link)) })),
})
export type WireContact = z.infer<typeof WireContact>

export const WireCompany = z.object({
  id: int,
  name: z.nullable(z.string()),
  responsible_user_id: nullableInt,
  created_at: int,
  updated_at: int,
  custom_fields_values: customFieldsValues,
})
export type WireCompany = z.infer<typeof WireCompany>

export const WireStatus = z.object({
  id: int,
  name: z.string(),
  sort: z.number(),
  pipeline_id: int,
  type: z.optional(int),
})
export const WirePipeline = z.object({
  id: int,
  name: z.string(),
  sort: z.optional(z.number()),
  is_main: z.boolean(),
  is_archive: z.optional(z.boolean()),
  _embedded: z.object({ statuses: z.array(WireStatus) }),
})
export type WirePipeline = z.infer<typeof WirePipeline>

export const WireUser = z.object({
  id: int,
  name: z.string(),
  email: z.optional(z.nullable(z.string())),
  rights: z.optional(z.looseObject({ is_active: z.optional(z.boolean()) })),
})
export type WireUser = z.infer<typeof WireUser>

export const WireFieldDefinition = z.object({
  id: int,
  name: z.string(),
  code: z.optional(z.nullable(z.string())),
  type: z.string(),
  is_required: z.optional(z.boolean()),
  enums: z.optional(z.nullable(z.array(z.object({ id: int, value: z.string(), code: z.optional(z.nullable(z.string())) })))),
})
export type WireFieldDefinition = z.infer<typeof WireFieldDefinition>

export const WireCatalog = z.object({ id: int, name: z.string(), type: z.optional(z.string()) })
export type WireCatalog = z.infer<typeof WireCatalog>

export const WireCatalogElement = z.object({
  id: int,
  name: z.string(),
  catalog_id: z.optional(int),
  created_at: int,
  updated_at: int,
  is_deleted: z.optional(z.boolean()),
  custom_fields_values: customFieldsValues,
})
export type WireCatalogElement = z.infer<typeof WireCatalogElement>

export const WireAccount = z.object({
  id: int,
  subdomain: z.optional(z.string()),
  currency: z.optional(z.string()),
})

// One schema per (key, item), so a compiled parser (sdk/validate.ts) is built once, not per page.
const halLists = new WeakMap<z.ZodMiniType, Map<string, z.ZodMiniType>>()

/** HAL list envelope: `_embedded[key]` holds the page; `_links.next` may be missing. */
export function halList<T extends z.ZodMiniType>(key: string, item: T): ReturnType<typeof makeHalList<T>> {
  let byKey = halLists.get(item)
  if (!byKey) halLists.set(item, (byKey = new Map()))
  let schema = byKey.get(key)
  if (!schema) byKey.set(key, (schema = makeHalList(key, item)))
  return schema as ReturnType<typeof makeHalList<T>>
}

function makeHalList<T extends z.ZodMiniType>(key: string, item: T) {
  return z.object({
    _page: z.optional(int),
    _links: z.optional(z.object({ next: z.optional(z.object({ href: z.string() })) })),
    _embedded: z.object({ [key]: z.array(item) }),
  })
}

const batchResults = new Map<string, ReturnType<typeof makeBatchResult>>()

/** Batch write result: ids echoed with our request_id. */
export function batchResult(key: string): ReturnType<typeof makeBatchResult> {
  let schema = batchResults.get(key)
  if (!schema) batchResults.set(key, (schema = makeBatchResult(key)))
  return schema
}

function makeBatchResult(key: string) {
  return z.object({
    _embedded: z.object({
      [key]: z.array(z.object({ id: int, request_id: z.optional(z.union([z.string(), z.number()])) })),
    }),
  })
}

export const WireValidationProblem = z.object({
  'validation-errors': z.optional(
    z.array(
      z.object({
        request_id: z.optional(z.union([z.string(), z.number()])),
        errors: z.array(z.object({ code: z.string(), path: z.optional(z.string()), detail: z.optional(z.string()) })),
      }),
    ),
  ),
  title: z.optional(z.string()),
  detail: z.optional(z.string()),
  hint: z.optional(z.string()),
})

export const WireTokenResponse = z.object({
  token_type: z.optional(z.string()),
  expires_in: z.number(),
  access_token: z.string(),
  refresh_token: z.string(),
})
