import type { Company, CompanyCreate, CompanyUpdate, Contact, ContactCreate, ContactUpdate, CustomFieldInput, FieldDefinition } from '../../../sdk/index.js'
import type { WireItem } from '../wire.js'
import { decodeCustomFields, encodeCustomFields } from './custom-fields.js'
import { date, linkId, str } from './scalars.js'

function multi(item: WireItem, type: 'PHONE' | 'EMAIL'): string[] {
  const fm = Array.isArray(item.fm) ? item.fm : []
  return fm.filter((m) => m.typeId === type && m.value).map((m) => m.value!)
}

export function toContact(item: WireItem, raw: unknown, fields: Map<string, FieldDefinition>, include: boolean): Contact {
  const created = date(item.createdTime)!
  const first = str(item.name)
  const last = str(item.lastName)
  const c: Contact = {
    id: String(item.id),
    createdAt: created,
    updatedAt: date(item.updatedTime) ?? created,
    customFields: decodeCustomFields(item as Record<string, unknown>, fields),
    name: [first, str(item.secondName), last].filter(Boolean).join(' ') || `#${String(item.id)}`,
    firstName: first,
    lastName: last,
    phones: multi(item, 'PHONE'),
    emails: multi(item, 'EMAIL'),
    companyId: linkId(item.companyId),
    ownerId: linkId(item.assignedById),
  }
  if (include) c.raw = raw
  return c
}

export function toCompany(item: WireItem, raw: unknown, fields: Map<string, FieldDefinition>, include: boolean): Company {
  const created = date(item.createdTime)!
  const c: Company = {
    id: String(item.id),
    createdAt: created,
    updatedAt: date(item.updatedTime) ?? created,
    customFields: decodeCustomFields(item as Record<string, unknown>, fields),
    name: item.title ?? '',
    ownerId: linkId(item.assignedById),
  }
  if (include) c.raw = raw
  return c
}

/**
 * Contact fields. `name` is split into first/last unless they are given; phones and e-mails are
 * added as `fm` multi-fields (an array without ids adds values, research §2.4).
 */
export function toWireContact(input: ContactCreate | ContactUpdate, fields: Map<string, FieldDefinition>): Record<string, unknown> {
  const f: Record<string, unknown> = {}
  if (input.firstName !== undefined || input.lastName !== undefined) {
    if (input.firstName !== undefined) f.name = input.firstName ?? ''
    if (input.lastName !== undefined) f.lastName = input.lastName ?? ''
  } else if (input.name !== undefined) {
    const parts = input.name.trim().split(/\s+/)
    f.name = parts[0]
    f.lastName = parts.slice(1).join(' ')
  }
  const fm: Record<string, string>[] = []
  for (const p of input.phones ?? []) fm.push({ typeId: 'PHONE', valueType: 'WORK', value: p })
  for (const e of input.emails ?? []) fm.push({ typeId: 'EMAIL', valueType: 'WORK', value: e })
  if (fm.length) f.fm = fm
  if (input.companyId !== undefined) f.companyId = input.companyId === null ? 0 : Number(input.companyId)
  if (input.ownerId !== undefined) f.assignedById = input.ownerId === null ? null : Number(input.ownerId)
  if (input.customFields !== undefined) Object.assign(f, encodeCustomFields(input.customFields as Record<string, CustomFieldInput>, fields))
  return f
}

export function toWireCompany(input: CompanyCreate | CompanyUpdate, fields: Map<string, FieldDefinition>): Record<string, unknown> {
  const f: Record<string, unknown> = {}
  if (input.name !== undefined) f.title = input.name
  if (input.ownerId !== undefined) f.assignedById = input.ownerId === null ? null : Number(input.ownerId)
  if (input.customFields !== undefined) Object.assign(f, encodeCustomFields(input.customFields as Record<string, CustomFieldInput>, fields))
  return f
}
