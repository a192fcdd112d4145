import {
  ValidationError,
  type CustomFieldInput,
  type CustomFieldKind,
  type CustomFields,
  type CustomFieldValue,
  type EnumOption,
  type FieldDefinition,
  type CustomFieldEntity,
} from '../../../sdk/index.js'
import type { WireCustomFieldValue, WireEnumValue, WireFieldDefinition } from '../wire.js'

/** amoCRM field types → the model's value kinds (research §2.5). */
export function kindOf(type: string): CustomFieldKind {
  switch (type) {
    case 'text':
    case 'textarea':
    case 'streetaddress':
    case 'tracking_data':
      return 'text'
    case 'url':
      return 'url'
    case 'numeric':
      return 'number'
    case 'checkbox':
      return 'boolean'
    case 'date':
    case 'birthday':
      return 'date'
    case 'date_time':
      return 'datetime'
    case 'select':
    case 'radiobutton':
      return 'enum'
    case 'multiselect':
      return 'multienum'
    case 'multitext':
      return 'multitext'
    case 'price':
    case 'monetary':
      return 'money'
    default:
      return 'other'
  }
}

/** Date fields arrive as unix seconds, and in old accounts as "YYYY-MM-DD" strings: accept both. */
export function parseAmoDate(value: unknown): Date | null {
  if (typeof value === 'number') return new Date(value * 1000)
  if (typeof value === 'string' && value !== '') {
    if (/^\d+$/.test(value)) return new Date(Number(value) * 1000)
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
    return Number.isNaN(d.getTime()) ? null : d
  }
  return null
}

const option = (v: WireEnumValue): EnumOption => ({
  id: String(v.enum_id ?? ''),
  value: isScalar(v.value) ? String(v.value) : '',
  code: v.enum_code ?? null,
})

const isScalar = (v: unknown): v is string | number | boolean => {
  const t = typeof v
  return t === 'string' || t === 'number' || t === 'boolean'
}

function decode(f: WireCustomFieldValue): CustomFieldValue | null {
  const values = f.values ?? []
  const first = values[0]
  // One object literal of one shape per value (no spread of a shared base): this runs for every
  // field of every record, and was over half of the amoCRM mapping cost.
  const make = <K extends CustomFieldKind>(kind: K, value: unknown) =>
    ({ fieldId: String(f.field_id), code: f.field_code ?? null, name: f.field_name ?? null, crmType: f.field_type, kind, value }) as CustomFieldValue
  // A structured value under a scalar type is kept as-is rather than flattened to "[object Object]".
  let scalar = true
  for (const v of values) if (v.value != null && !isScalar(v.value)) scalar = false
  const kind = scalar ? kindOf(f.field_type) : 'other'
  switch (kind) {
    case 'text':
    case 'url':
      return first?.value == null ? null : make(kind, String(first.value))
    case 'number': {
      const n = first?.value == null || first.value === '' ? NaN : Number(first.value)
      return Number.isNaN(n) ? null : make(kind, n)
    }
    case 'boolean':
      return make(kind, first?.value === true || first?.value === '1' || first?.value === 1)
    case 'date':
    case 'datetime': {
      const d = parseAmoDate(first?.value)
      return d ? make(kind, d) : null
    }
    case 'enum':
      return first ? make(kind, option(first)) : null
    case 'multienum':
      return make(kind, values.map(option))
    case 'multitext':
      return make(
        kind,
        values.flatMap((v) => (isScalar(v.value) ? [{ value: String(v.value), type: v.enum_code ?? null }] : [])),
      )
    case 'money':
      return first?.value == null ? null : make(kind, String(first.value))
    default:
      return make('other', values)
  }
}

export function decodeCustomFields(values: WireCustomFieldValue[] | null | undefined): CustomFields {
  const out: CustomFields = {}
  if (!values) return out
  for (const f of values) {
    const v = decode(f)
    if (v) out[v.fieldId] = v
  }
  return out
}

/** First value of a field addressed by code, e.g. `UTM_SOURCE` or `PHONE`. */
export function valuesByCode(values: WireCustomFieldValue[] | null | undefined, code: string): string[] {
  if (!values) return []
  for (const f of values) {
    if (f.field_code === code) return (f.values ?? []).flatMap((v) => (isScalar(v.value) && v.value !== '' ? [String(v.value)] : []))
  }
  return []
}

export function toFieldDefinition(entity: CustomFieldEntity, d: WireFieldDefinition): FieldDefinition {
  return {
    id: String(d.id),
    entity,
    name: d.name,
    code: d.code ?? null,
    kind: kindOf(d.type),
    crmType: d.type,
    required: d.is_required ?? false,
    options: (d.enums ?? []).map((e) => ({ id: String(e.id), value: e.value, code: e.code ?? null })),
  }
}

export interface WireFieldWrite {
  field_id?: number
  field_code?: string
  values: Record<string, unknown>[] | null
}

/**
 * Encodes caller values by each field's type. Enum fields take option ids (amoCRM answers
 * NotSupportedChoice to labels that don't match exactly), so unknown fields and options are
 * refused here, naming the field, before anything is sent.
 */
export function encodeCustomFields(
  input: Record<string, CustomFieldInput>,
  definitions: FieldDefinition[],
  crm: string,
): WireFieldWrite[] {
  const out: WireFieldWrite[] = []
  for (const [key, value] of Object.entries(input)) {
    const def = definitions.find((d) => d.id === key || d.code === key)
    const fail = (message: string): never => {
      throw new ValidationError(`customFields.${key} ${message}`, {
        crm,
        issues: [{ path: ['customFields', key], message, code: 'invalid_value' }],
      })
    }
    if (!def) fail('is not a custom field of this entity')
    const d = def!
    const target = d.code ? { field_code: d.code } : { field_id: Number(d.id) }
    if (value === null) {
      out.push({ ...target, values: null })
      continue
    }
    const one = (v: unknown) => out.push({ ...target, values: [{ value: v }] })
    switch (d.kind) {
      case 'text':
      case 'url':
      case 'money':
        if (typeof value !== 'string' && typeof value !== 'number') fail('must be a string')
        one(String(value))
        break
      case 'number':
        if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) {
          fail('must be a number')
        }
        one(typeof value === 'number' ? value : Number(value))
        break
      case 'boolean':
        if (typeof value !== 'boolean') fail('must be true or false')
        one(value)
        break
      case 'date':
      case 'datetime':
        if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail('must be a valid Date')
        one(Math.floor((value as Date).getTime() / 1000))
        break
      case 'enum':
      case 'multienum': {
        const ids = Array.isArray(value) ? value : [value]
        if (d.kind === 'enum' && ids.length !== 1) fail('takes exactly one option id')
        const values = ids.map((id) => {
          const opt = d.options.find((o) => o.id === String(id))
          if (!opt) fail(`has no option with id "${String(id)}" (options: ${d.options.map((o) => `${o.id}=${o.value}`).join(', ')})`)
          return { enum_id: Number(opt!.id) }
        })
        out.push({ ...target, values })
        break
      }
      case 'multitext': {
        const list = Array.isArray(value) ? value : [value]
        if (!list.every((v) => typeof v === 'string')) fail('must be a string or a list of strings')
        out.push({ ...target, values: list.map((v) => ({ value: v, enum_code: 'WORK' })) })
        break
      }
      default:
        fail(`has type "${d.crmType}", which crmkit cannot write yet`)
    }
  }
  return out
}
