import {
  ValidationError,
  type CustomFieldEntity,
  type CustomFieldInput,
  type CustomFieldKind,
  type CustomFields,
  type CustomFieldValue,
  type FieldDefinition,
} from '../../../sdk/index.js'
import type { WireField } from '../wire.js'
import { date, day, flag, moneyField } from './scalars.js'

const crm = 'bitrix24'

/** Bitrix24 user-field types → the model's value kinds (research §2.9). */
export function kindOf(type: string, multiple: boolean): CustomFieldKind {
  switch (type) {
    case 'string':
      return multiple ? 'other' : 'text'
    case 'url':
      return 'url'
    case 'double':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'date':
      return 'date'
    case 'datetime':
      return 'datetime'
    case 'enumeration':
      return multiple ? 'multienum' : 'enum'
    case 'money':
      return 'money'
    default:
      return 'other'
  }
}

/** User fields (`isDynamic`) of one entity, keyed by their original UF_CRM_* name. */
export function toFieldDefinitions(entity: CustomFieldEntity, fields: Record<string, WireField>): FieldDefinition[] {
  const out: FieldDefinition[] = []
  for (const [name, f] of Object.entries(fields)) {
    if (!f.isDynamic) continue
    const id = f.upperName ?? name
    out.push({
      id,
      entity,
      name: f.title ?? id,
      code: id,
      kind: kindOf(f.type, f.isMultiple ?? false),
      crmType: f.type,
      required: f.isRequired ?? false,
      options: (f.items ?? []).map((o) => ({ id: String(o.ID), value: o.VALUE, code: null })),
    })
  }
  return out
}

/** Reads the UF_* values of an item (original names) into the model; empty values are left out. */
export function decodeCustomFields(item: Record<string, unknown>, defs: Map<string, FieldDefinition>): CustomFields {
  const out: CustomFields = {}
  for (const [id, def] of defs) {
    const raw = item[id]
    if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) continue
    const v = decodeValue(def, raw)
    if (v) out[id] = v
  }
  return out
}

function decodeValue(def: FieldDefinition, raw: unknown): CustomFieldValue | null {
  const base = { fieldId: def.id, code: def.code, name: def.name, crmType: def.crmType }
  const first = Array.isArray(raw) ? raw[0] : raw
  switch (def.kind) {
    case 'text':
    case 'url':
      return { ...base, kind: def.kind, value: String(first) }
    case 'number': {
      const n = Number(first)
      return Number.isNaN(n) ? { ...base, kind: 'other', value: raw } : { ...base, kind: 'number', value: n }
    }
    case 'boolean':
      return { ...base, kind: 'boolean', value: flag(first) }
    case 'date': {
      const d = day(first)
      return d ? { ...base, kind: 'date', value: d } : { ...base, kind: 'other', value: raw }
    }
    case 'datetime': {
      const d = date(first)
      return d ? { ...base, kind: 'datetime', value: d } : { ...base, kind: 'other', value: raw }
    }
    case 'enum': {
      const opt = def.options.find((o) => o.id === String(first))
      return opt ? { ...base, kind: 'enum', value: opt } : { ...base, kind: 'other', value: raw }
    }
    case 'multienum': {
      const ids = (Array.isArray(raw) ? raw : [raw]).map(String)
      return { ...base, kind: 'multienum', value: def.options.filter((o) => ids.includes(o.id)) }
    }
    case 'money':
      return moneyField(first) ? { ...base, kind: 'money', value: String(first) } : { ...base, kind: 'other', value: raw }
    default:
      return { ...base, kind: 'other', value: raw }
  }
}

const invalid = (key: string, message: string) =>
  new ValidationError(`customFields.${key}: ${message}`, { crm, issues: [{ path: ['customFields', key], message, code: 'invalid_value' }] })

/** Validates and encodes custom-field writes (by id or code, which are the same UF name here). */
export function encodeCustomFields(input: Record<string, CustomFieldInput>, defs: Map<string, FieldDefinition>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    const def = defs.get(key) ?? [...defs.values()].find((d) => d.code === key)
    if (!def) throw invalid(key, 'no such user field on this entity')
    if (value === null) {
      out[def.id] = ''
      continue
    }
    const values = Array.isArray(value) ? value : [value]
    switch (def.kind) {
      case 'enum':
      case 'multienum': {
        for (const v of values) if (!def.options.some((o) => o.id === String(v))) throw invalid(key, `"${String(v)}" is not an option id of this list`)
        out[def.id] = def.kind === 'enum' ? String(values[0]) : values.map(String)
        break
      }
      case 'number':
        if (values.some((v) => typeof v !== 'number' && Number.isNaN(Number(v)))) throw invalid(key, 'must be a number')
        out[def.id] = Number(values[0])
        break
      case 'boolean':
        out[def.id] = values[0] === true || values[0] === 'Y' || values[0] === 1 ? 'Y' : 'N'
        break
      case 'date':
      case 'datetime': {
        const d = values[0] instanceof Date ? values[0] : new Date(String(values[0]))
        if (Number.isNaN(d.getTime())) throw invalid(key, 'must be a date')
        out[def.id] = def.kind === 'date' ? d.toISOString().slice(0, 10) : d.toISOString()
        break
      }
      case 'money':
        if (!moneyField(String(values[0]))) throw invalid(key, 'must look like "300|RUB"')
        out[def.id] = String(values[0])
        break
      default:
        out[def.id] = Array.isArray(value) ? value.map(String) : value instanceof Date ? value.toISOString() : value
    }
  }
  return out
}
