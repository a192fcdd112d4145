import { z } from 'zod'

// Runtime schemas of the amoCRM v4 payloads we read. They check what the mappers rely on and let
// everything else through untouched; `types.check.ts` keeps them in step with the OpenAPI spec.

const int = z.number().int()
const nullableInt = int.nullable().optional()

export const WireEnumValue = z.object({
  // Mostly scalars, but legal_entity, smart_address and friends hold objects.
  value: z.unknown().optional(),
  enum_id: nullableInt,
  enum_code: z.string().nullable().optional(),
})
export type WireEnumValue = z.infer<typeof WireEnumValue>

export const WireCustomFieldValue = z.object({
  field_id: int,
  field_name: z.string().nullable().optional(),
  field_code: z.string().nullable().optional(),
  field_type: z.string(),
  values: z.array(WireEnumValue).nullable(),
})
export type WireCustomFieldValue = z.infer<typeof WireCustomFieldValue>

const customFieldsValues = z.array(WireCustomFieldValue).nullable().optional()
const link = z.object({ id: int, is_main: z.boolean().optional() })

export const WireLead = z.object({
  id: int,
  name: z.string(),
  price: int.nullable(),
  responsible_user_id: nullableInt,
  status_id: int,
  pipeline_id: int,
  loss_reason_id: nullableInt,
  created_at: int,
  updated_at: int,
  closed_at: nullableInt,
  is_deleted: z.boolean().optional(),
  custom_fields_values: customFieldsValues,
  _embedded: z
    .object({
      contacts: z.array(link).optional(),
      companies: z.array(link).optional(),
      loss_reason: z.array(z.object({ id: int, name: z.string() })).optional(),
    })
    .optional(),
})
export type WireLead = z.infer<typeof WireLead>

export const WireContact = z.object({
  id: int,
  name: z.string().nullable(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  responsible_user_id: nullableInt,
  created_at: int,
  updated_at: int,
  custom_fields_values: customFieldsValues,
  _embedded: z.object({ companies: z.array(link).optional() }).optional(),
})
export type WireContact = z.infer<typeof WireContact>

export const WireCompany = z.object({
  id: int,
  name: z.string().nullable(),
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
  type: int.optional(),
})
export const WirePipeline = z.object({
  id: int,
  name: z.string(),
  sort: z.number().optional(),
  is_main: z.boolean(),
  is_archive: z.boolean().optional(),
  _embedded: z.object({ statuses: z.array(WireStatus) }),
})
export type WirePipeline = z.infer<typeof WirePipeline>

export const WireUser = z.object({
  id: int,
  name: z.string(),
  email: z.string().nullable().optional(),
  rights: z.object({ is_active: z.boolean().optional() }).passthrough().optional(),
})
export type WireUser = z.infer<typeof WireUser>

export const WireFieldDefinition = z.object({
  id: int,
  name: z.string(),
  code: z.string().nullable().optional(),
  type: z.string(),
  is_required: z.boolean().optional(),
  enums: z
    .array(z.object({ id: int, value: z.string(), code: z.string().nullable().optional() }))
    .nullable()
    .optional(),
})
export type WireFieldDefinition = z.infer<typeof WireFieldDefinition>

export const WireCatalog = z.object({ id: int, name: z.string(), type: z.string().optional() })
export type WireCatalog = z.infer<typeof WireCatalog>

export const WireCatalogElement = z.object({
  id: int,
  name: z.string(),
  catalog_id: int.optional(),
  created_at: int,
  updated_at: int,
  is_deleted: z.boolean().optional(),
  custom_fields_values: customFieldsValues,
})
export type WireCatalogElement = z.infer<typeof WireCatalogElement>

export const WireAccount = z.object({
  id: int,
  subdomain: z.string().optional(),
  currency: z.string().optional(),
})

/** HAL list envelope: `_embedded[key]` holds the page; `_links.next` may be missing. */
export function halList<T extends z.ZodType>(key: string, item: T) {
  return z.object({
    _page: int.optional(),
    _links: z.object({ next: z.object({ href: z.string() }).optional() }).optional(),
    _embedded: z.object({ [key]: z.array(item) }),
  })
}

/** Batch write result: ids echoed with our request_id. */
export function batchResult(key: string) {
  return z.object({
    _embedded: z.object({
      [key]: z.array(z.object({ id: int, request_id: z.union([z.string(), z.number()]).optional() })),
    }),
  })
}

export const WireValidationProblem = z.object({
  'validation-errors': z
    .array(
      z.object({
        request_id: z.union([z.string(), z.number()]).optional(),
        errors: z.array(z.object({ code: z.string(), path: z.string().optional(), detail: z.string().optional() })),
      }),
    )
    .optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  hint: z.string().optional(),
})

export const WireTokenResponse = z.object({
  token_type: z.string().optional(),
  expires_in: z.number(),
  access_token: z.string(),
  refresh_token: z.string(),
})
