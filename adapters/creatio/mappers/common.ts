import {
  UnexpectedResponseError,
  ValidationError,
  UnsupportedError,
  money,
  moneyToDecimal,
  type CustomFieldInput,
  type CustomFields,
  type CustomFieldValue,
  type FieldDefinition,
  type CustomFieldKind,
  type CustomFieldEntity,
  type Money,
  type Source,
  type SourceInput,
} from '../../../sdk/index.js'
import type { FieldColumn as CustomColumn, TrackingColumns } from '../metadata.js'
import { ZERO_GUID, isGuid } from '../odata.js'

const crm = 'creatio'
export const EMPTY_DATE = '0001-01-01T00:00:00Z'

/** Zero GUIDs, `0001-01-01` dates and empty strings all mean "no value" in Creatio (research §3.3). */
export const guidOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v !== ZERO_GUID ? v.toLowerCase() : null)
export const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)
export function dateOrNull(v: unknown): Date | null {
  if (typeof v !== 'string' || v === '' || v.startsWith('0001-01-01')) return null
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}
export function dateOf(v: unknown, path: string): Date {
  const d = dateOrNull(v)
  if (!d) throw new UnexpectedResponseError(`Creatio sent no usable ${path}`, { crm, path, excerpt: JSON.stringify(v ?? null) })
  return d
}

/** Decimal (number or string) → Money; extra precision is rounded half-up to the currency's minor unit. */
export function moneyOf(v: unknown, currency: string): Money | null {
  if (v === undefined || v === null || v === '') return null
  try {
    return money(typeof v === 'number' || typeof v === 'string' ? v : String(v), currency)
  } catch {
    const n = Number(v)
    if (!Number.isFinite(n)) throw new UnexpectedResponseError('Creatio sent a non-numeric amount', { crm, path: 'Amount', excerpt: String(v) })
    return money(n.toFixed(2), currency)
  }
}

export function invalid(path: (string | number)[], message: string, code = 'invalid_value'): never {
  throw new ValidationError(`${path.join('.')} ${message}`, { crm, issues: [{ path, message, code }] })
}
export function unsupported(message: string): never {
  throw new UnsupportedError(message, { crm })
}

/** A model id that must be a Creatio GUID; `undefined` stays undefined, `null` clears the lookup. */
export function guidIn(path: (string | number)[], id: string | null | undefined): string | null | undefined {
  if (id === undefined || id === null) return id
  if (!isGuid(id)) invalid(path, 'must be a Creatio id (a GUID)')
  return id.toLowerCase()
}

export function decimalOut(path: (string | number)[], m: Money | null | undefined, currency: string): number | null | undefined {
  if (m === undefined) return undefined
  if (m === null) return 0
  if (m.currency !== currency) invalid([...path, 'currency'], `must be ${currency}, the site's base currency`)
  return Number(moneyToDecimal(m))
}

export const iso = (d: Date) => d.toISOString()

/** Dictionary of lookup names, loaded once and refreshed when an unknown id shows up. */
export type Names = (entity: string, id: string | null) => string | null

const PARAM_RE: Record<string, RegExp> = {}

function column(row: Record<string, unknown>, name: string | undefined): string | null {
  if (!name) return null
  const v = row[name]
  return typeof v === 'string' && v !== '' && v.trim() !== '' ? v : null
}

/** One query parameter of the landing URL (a regex, not `new URL`: this is the hot path). */
function param(href: string | null, p: string): string | null {
  if (!href) return null
  const m = (PARAM_RE[p] ??= new RegExp(`[?&#]${p}=([^&#]*)`)).exec(href)
  if (!m || !m[1]) return null
  try {
    return textOrNull(decodeURIComponent(m[1].replace(/\+/g, ' ')))
  } catch {
    return textOrNull(m[1])
  }
}

/** `source` of a lead or deal from its lookups and the site's tracking columns. */
export function sourceOf(row: Record<string, unknown>, t: TrackingColumns, names: Names, lookups: { channel: string; source: string; campaign: string }): Source {
  // The landing URL (BpmHref) fills in only what the columns lack.
  const href = column(row, t.landing)
  return {
    channel: names('LeadMedium', guidOrNull(row[lookups.channel])),
    source: names('LeadSource', guidOrNull(row[lookups.source])),
    campaign: names('Campaign', guidOrNull(row[lookups.campaign])),
    utm: {
      source: column(row, t.utmSource) ?? param(href, 'utm_source'),
      medium: column(row, t.utmMedium) ?? param(href, 'utm_medium'),
      campaign: column(row, t.utmCampaign) ?? param(href, 'utm_campaign'),
      content: column(row, t.utmContent) ?? param(href, 'utm_content'),
      term: column(row, t.utmTerm) ?? param(href, 'utm_term'),
    },
    clickIds: {
      gclid: column(row, t.gclid) ?? param(href, 'gclid'),
      yclid: column(row, t.yclid) ?? param(href, 'yclid'),
      fbclid: column(row, t.fbclid) ?? param(href, 'fbclid'),
    },
    referrer: column(row, t.referrer),
  }
}

/** Id of a lookup row by its name (case-insensitive), for writes of `source.channel` etc. */
export type IdByName = (entity: string, name: string) => string | null

export function sourceOut(
  input: SourceInput | undefined,
  t: TrackingColumns,
  idByName: IdByName,
  lookups: { channel: string; source: string; campaign: string },
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (!input) return out
  const lookup = (key: 'channel' | 'source' | 'campaign', entity: string, column: string) => {
    const v = input[key]
    if (v === undefined) return
    if (v === null) return void (out[column] = null)
    const id = idByName(entity, v)
    if (!id) invalid(['source', key], `"${v}" is not a ${entity} in this Creatio site`)
    out[column] = id
  }
  lookup('channel', 'LeadMedium', lookups.channel)
  lookup('source', 'LeadSource', lookups.source)
  lookup('campaign', 'Campaign', lookups.campaign)
  const text = (path: string[], key: keyof TrackingColumns, v: string | null | undefined) => {
    if (v === undefined) return
    const column = t[key]
    if (!column) {
      if (v === null) return
      invalid(['source', ...path], `cannot be stored: this site has no ${key} column (see the crmkit Creatio README)`, 'unsupported')
    }
    out[column] = v ?? ''
  }
  const u = input.utm ?? {}
  text(['utm', 'source'], 'utmSource', u.source)
  text(['utm', 'medium'], 'utmMedium', u.medium)
  text(['utm', 'campaign'], 'utmCampaign', u.campaign)
  text(['utm', 'content'], 'utmContent', u.content)
  text(['utm', 'term'], 'utmTerm', u.term)
  const c = input.clickIds ?? {}
  text(['clickIds', 'gclid'], 'gclid', c.gclid)
  text(['clickIds', 'yclid'], 'yclid', c.yclid)
  text(['clickIds', 'fbclid'], 'fbclid', c.fbclid)
  text(['referrer'], 'referrer', input.referrer)
  return out
}

// ---- custom fields: `Usr*` columns and unmapped standard ones (metadata.ts) ------------------

export type { FieldColumn as CustomColumn } from '../metadata.js'

export function kindOf(c: CustomColumn): CustomFieldKind {
  if (c.lookup) return 'enum'
  switch (c.type) {
    case 'Edm.String':
      return 'text'
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Decimal':
    case 'Edm.Double':
      return 'number'
    case 'Edm.Boolean':
      return 'boolean'
    case 'Edm.Date':
      return 'date'
    case 'Edm.DateTimeOffset':
      return 'datetime'
    default:
      return 'other'
  }
}

const displayName = (c: CustomColumn) => c.name ?? c.column.replace(/^Usr/, '').replace(/Id$/, '')

export type Options = (lookupEntity: string) => { id: string; name: string }[]

export function fieldDefinitions(entity: CustomFieldEntity, cols: CustomColumn[], options: Options): FieldDefinition[] {
  return cols.map((c) => ({
    id: c.column,
    entity,
    name: displayName(c),
    code: c.column,
    kind: kindOf(c),
    crmType: c.lookup ? `lookup:${c.lookup}` : c.type,
    required: false,
    options: c.lookup ? options(c.lookup).map((o) => ({ id: o.id, value: o.name, code: null })) : [],
  }))
}

export function customFieldsOf(row: Record<string, unknown>, cols: CustomColumn[], names: Names): CustomFields {
  const out: CustomFields = {}
  for (const c of cols) {
    const v = row[c.column]
    const base = { fieldId: c.column, code: c.column, name: displayName(c), crmType: c.lookup ? `lookup:${c.lookup}` : c.type }
    let value: CustomFieldValue | null = null
    const kind = kindOf(c)
    if (kind === 'enum') {
      const id = guidOrNull(v)
      if (id) value = { ...base, kind, value: { id, value: names(c.lookup!, id) ?? '', code: null } }
    } else if (kind === 'text') {
      const t = textOrNull(v)
      if (t !== null) value = { ...base, kind, value: t }
    } else if (kind === 'number') {
      if (v !== null && v !== undefined && v !== '') value = { ...base, kind, value: Number(v) }
    } else if (kind === 'boolean') {
      if (typeof v === 'boolean') value = { ...base, kind, value: v }
    } else if (kind === 'date' || kind === 'datetime') {
      const d = dateOrNull(v)
      if (d) value = { ...base, kind, value: d }
    } else if (v !== undefined && v !== null) value = { ...base, kind: 'other', value: v }
    if (value) out[c.column] = value
  }
  return out
}

export function customFieldsOut(input: Record<string, CustomFieldInput> | undefined, cols: CustomColumn[], options: Options): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(input ?? {})) {
    const path = ['customFields', key]
    const c = cols.find((x) => x.column === key || x.column === `${key}Id`)
    if (!c) invalid(path, 'is not a custom column of this entity in this Creatio site')
    const kind = kindOf(c)
    if (v === null) {
      out[c.column] = kind === 'enum' ? null : kind === 'text' ? '' : null
      continue
    }
    if (kind === 'enum') {
      if (typeof v !== 'string' || !options(c.lookup!).some((o) => o.id === v.toLowerCase())) invalid(path, 'must be the id of one of the field options')
      out[c.column] = v.toLowerCase()
    } else if (kind === 'text') {
      if (typeof v !== 'string') invalid(path, 'must be text')
      out[c.column] = v
    } else if (kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) invalid(path, 'must be a number')
      // An integer column (Probability, %) cannot hold a fraction: say so before the server does.
      if (/^Edm\.Int/.test(c.type) && !Number.isInteger(v)) invalid(path, 'must be a whole number')
      out[c.column] = v
    } else if (kind === 'boolean') {
      if (typeof v !== 'boolean') invalid(path, 'must be true or false')
      out[c.column] = v
    } else if (kind === 'date' || kind === 'datetime') {
      if (!(v instanceof Date)) invalid(path, 'must be a Date')
      out[c.column] = kind === 'date' ? v.toISOString().slice(0, 10) : v.toISOString()
    } else out[c.column] = v
  }
  return out
}
