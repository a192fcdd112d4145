import { z } from 'zod/mini'
import { useEnglishErrors } from '../zod-locale.js'

useEnglishErrors()

/**
 * Custom-field values, normalised across CRMs into a few value kinds. The CRM's own field type
 * stays in `crmType` so nothing is lost; `include: ['raw']` gives the untouched payload too.
 */
export const CustomFieldKind = z.enum([
  'text',
  'number',
  'boolean',
  'date',
  'datetime',
  'enum',
  'multienum',
  'multitext',
  'url',
  'money',
  'other',
])
export type CustomFieldKind = z.infer<typeof CustomFieldKind>

export const EnumOption = z.object({ id: z.string(), value: z.string(), code: z.nullable(z.string()) })
export type EnumOption = z.infer<typeof EnumOption>

const base = {
  fieldId: z.string(),
  code: z.nullable(z.string()),
  name: z.nullable(z.string()),
  crmType: z.string(),
}

export const CustomFieldValue = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('text'), value: z.string() }),
  z.object({ ...base, kind: z.literal('url'), value: z.string() }),
  z.object({ ...base, kind: z.literal('number'), value: z.number() }),
  z.object({ ...base, kind: z.literal('boolean'), value: z.boolean() }),
  z.object({ ...base, kind: z.literal('date'), value: z.date() }),
  z.object({ ...base, kind: z.literal('datetime'), value: z.date() }),
  z.object({ ...base, kind: z.literal('enum'), value: EnumOption }),
  z.object({ ...base, kind: z.literal('multienum'), value: z.array(EnumOption) }),
  z.object({
    ...base,
    kind: z.literal('multitext'),
    value: z.array(z.object({ value: z.string(), type: z.nullable(z.string()) })),
  }),
  z.object({ ...base, kind: z.literal('money'), value: z.string() }),
  z.object({ ...base, kind: z.literal('other'), value: z.unknown() }),
])
export type CustomFieldValue = z.infer<typeof CustomFieldValue>

/** Keyed by the CRM's field id (always) — look codes up through `byCode`. */
export type CustomFields = Record<string, CustomFieldValue>

export const CustomFieldEntity = z.enum(['leads', 'deals', 'contacts', 'companies', 'campaigns', 'spend'])
export type CustomFieldEntity = z.infer<typeof CustomFieldEntity>

export const FieldDefinition = z.object({
  id: z.string(),
  entity: CustomFieldEntity,
  name: z.string(),
  code: z.nullable(z.string()),
  kind: CustomFieldKind,
  crmType: z.string(),
  required: z.boolean(),
  options: z.array(EnumOption),
})
export type FieldDefinition = z.infer<typeof FieldDefinition>

/** Write side: the value for a field, addressed by id or code. Enums by option id (never by label). */
export const CustomFieldInput = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.date(),
  z.array(z.string()),
  z.null(),
])
export type CustomFieldInput = z.infer<typeof CustomFieldInput>

export function customFieldByCode(fields: CustomFields, code: string): CustomFieldValue | undefined {
  for (const key in fields) {
    const f = fields[key]
    if (f && f.code === code) return f
  }
  return undefined
}
