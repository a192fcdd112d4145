// Bitrix24's scalar quirks, normalised once (research §1.3): ids as numbers or strings with 0/""
// for "none", "Y"/"N" flags, money as numbers or decimal strings, dates with the portal's offset.
import { money, type Money } from '../../../sdk/index.js'

/** A link id: null for null, "", 0 and "0". */
export function linkId(v: unknown): string | null {
  if (v === null || v === undefined || v === '' || v === 0 || v === '0') return null
  return String(v)
}

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null
  const s = String(v)
  return s === '' ? null : s
}

export function flag(v: unknown): boolean {
  return v === true || v === 'Y' || v === 'y' || v === 1 || v === '1'
}

export function date(v: unknown): Date | null {
  if (typeof v !== 'string' || v === '') return null
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

/** A date-only field (`begindate`, date UFs): the portal's calendar day, as 00:00 UTC. */
export function day(v: unknown): Date | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return null
  return new Date(`${v.slice(0, 10)}T00:00:00Z`)
}

export function dayString(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** `opportunity` + `currencyId` as exact money; null when there is no amount. */
export function amount(value: unknown, currency: unknown, fallbackCurrency = 'RUB'): Money | null {
  if (value === null || value === undefined || value === '') return null
  const cur = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : fallbackCurrency
  return money(typeof value === 'number' ? value : String(value), cur)
}

/** A money user field: `"300|RUB"` (or `"300.50|RUB"`). */
export function moneyField(v: unknown): Money | null {
  if (typeof v !== 'string') return null
  const m = /^(-?\d+(?:\.\d+)?)\|([A-Z]{3})$/.exec(v.trim())
  return m ? money(m[1]!, m[2]!) : null
}
