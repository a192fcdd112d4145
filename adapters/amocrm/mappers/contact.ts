import type { Company, CompanyCreate, CompanyUpdate, Contact, ContactCreate, ContactUpdate, FieldDefinition } from '../../../sdk/index.js'
import type { WireCompany, WireContact } from '../wire.js'
import { numericId, optId } from './ids.js'
import { decodeCustomFields, encodeCustomFields, valuesByCode, type WireFieldWrite } from './custom-fields.js'


export function toContact(w: WireContact, raw?: unknown): Contact {
  const c: Contact = {
    id: String(w.id),
    name: w.name ?? [w.first_name, w.last_name].filter(Boolean).join(' '),
    firstName: w.first_name || null,
    lastName: w.last_name || null,
    // Phones and e-mails are the system multitext fields PHONE / EMAIL.
    phones: valuesByCode(w.custom_fields_values, 'PHONE'),
    emails: valuesByCode(w.custom_fields_values, 'EMAIL'),
    companyId: optId(w._embedded?.companies?.[0]?.id),
    ownerId: optId(w.responsible_user_id),
    createdAt: new Date(w.created_at * 1000),
    updatedAt: new Date(w.updated_at * 1000),
    customFields: decodeCustomFields(w.custom_fields_values),
  }
  if (raw !== undefined) c.raw = raw
  return c
}

export function toCompany(w: WireCompany, raw?: unknown): Company {
  const c: Company = {
    id: String(w.id),
    name: w.name ?? '',
    ownerId: optId(w.responsible_user_id),
    createdAt: new Date(w.created_at * 1000),
    updatedAt: new Date(w.updated_at * 1000),
    customFields: decodeCustomFields(w.custom_fields_values),
  }
  if (raw !== undefined) c.raw = raw
  return c
}

export interface WireContactWrite {
  id?: number
  name?: string
  first_name?: string | null
  last_name?: string | null
  responsible_user_id?: number | null
  custom_fields_values?: WireFieldWrite[]
  _embedded?: { companies: { id: number }[] }
  request_id?: string
}

export function toWireContact(input: ContactCreate | ContactUpdate, defs: FieldDefinition[]): WireContactWrite {
  const w: WireContactWrite = {}
  if (input.name !== undefined) w.name = input.name
  if (input.firstName !== undefined) w.first_name = input.firstName
  if (input.lastName !== undefined) w.last_name = input.lastName
  if (input.ownerId !== undefined) w.responsible_user_id = input.ownerId === null ? null : numericId(['ownerId'], input.ownerId)
  const fields: WireFieldWrite[] = []
  if (input.phones) fields.push({ field_code: 'PHONE', values: input.phones.map((value) => ({ value, enum_code: 'WORK' })) })
  if (input.emails) fields.push({ field_code: 'EMAIL', values: input.emails.map((value) => ({ value, enum_code: 'WORK' })) })
  if (input.customFields) fields.push(...encodeCustomFields(input.customFields, defs, 'amocrm'))
  if (fields.length) w.custom_fields_values = fields
  if (input.companyId) w._embedded = { companies: [{ id: numericId(['companyId'], input.companyId) }] }
  return w
}

export function toWireCompany(input: CompanyCreate | CompanyUpdate, defs: FieldDefinition[]): WireContactWrite {
  const w: WireContactWrite = {}
  if (input.name !== undefined) w.name = input.name
  if (input.ownerId !== undefined) w.responsible_user_id = input.ownerId === null ? null : numericId(['ownerId'], input.ownerId)
  if (input.customFields) w.custom_fields_values = encodeCustomFields(input.customFields, defs, 'amocrm')
  return w
}
