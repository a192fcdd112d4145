// How import rows and CRM records are reduced to comparable keys. Phones go through
// libphonenumber-js (metadata kept up to date by its maintainer, unlike any regex of ours) to
// E.164, so "8 (999) 123-45-67" and "+7 999 1234567" are the same key.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'

export type { CountryCode }

export type Normalised = { ok: true; value: string } | { ok: false; message: string }

/** E.164 for a valid number; numbers without a country code are read in `region`. */
export function normalisePhone(raw: string, region: CountryCode): Normalised {
  const text = raw.trim()
  if (!text) return { ok: false, message: 'is empty' }
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region })
  if (!parsed || !parsed.isValid()) return { ok: false, message: `"${text}" is not a valid phone number (region ${region})` }
  return { ok: true, value: parsed.number }
}

/**
 * For records already in the CRM: their phones were typed by people over years, so a number that
 * fails strict validation still gets a key when it parses at all — it can match, never reject.
 */
export function phoneKeyOfStored(raw: string, region: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), { defaultCountry: region })
  return parsed?.isPossible() ? parsed.number : null
}

/** The digits a CRM's full-text search finds regardless of how the number was typed there. */
export function phoneSearchText(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164)
  return parsed ? String(parsed.nationalNumber) : e164.replace(/\D/g, '')
}

// Deliberately simple (RFC 5322 allows far more): one @, a dot in the domain, no spaces. This is
// the shape CRMs and mail providers accept; quoted local parts are not worth the false positives.
const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]{2,}$/

/** Trimmed and lower-cased: mailbox names are case-insensitive in practice, and CRMs compare so. */
export function normaliseEmail(raw: string): Normalised {
  const value = raw.trim().toLowerCase()
  if (!value) return { ok: false, message: 'is empty' }
  if (!EMAIL.test(value) || value.includes('..')) return { ok: false, message: `"${raw.trim()}" is not an e-mail address` }
  return { ok: true, value }
}

/** Names compare case-insensitively, with runs of spaces and "ё" folded. */
export function normaliseName(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е')
}

/** Custom-field keys compare as trimmed, lower-cased text. */
export function normaliseText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null
  const s = String(raw).trim().toLowerCase()
  return s === '' ? null : s
}
