import { assertCurrency, type ExchangeRates } from '../../sdk/marketing/currency.js'

/**
 * The budgets tab's currency settings as the user typed them: a base currency and, per other
 * currency, the text of "1 XXX = … base". Kept as typed so a half-finished rate survives a reload;
 * only valid rates reach the roll-ups (`usableRates`).
 */
export interface RateSettings {
  base: string
  rates: Record<string, string>
}

/** Currencies offered as base even before any data uses them (the CRMs' home markets, then majors). */
export const COMMON_CURRENCIES = ['RUB', 'UAH', 'KZT', 'BYN', 'UZS', 'USD', 'EUR'] as const

/**
 * "92,50" or "92.50" (or "1 234,5") → "92.50" as an exact decimal string; null for anything that
 * is not a positive decimal: no exponents, signs or formulas, since a rate is typed by hand.
 */
export function parseRateInput(text: string): string | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.')
  if (!/^\d+(\.\d+)?$/.test(t) || !/[1-9]/.test(t)) return null
  return t.replace(/^0+(?=\d)/, '')
}

const isCurrency = (code: unknown): code is string => {
  try {
    assertCurrency(code, ['currency'])
    return true
  } catch {
    return false
  }
}

/** The valid part of the settings as the converter's table. */
export function usableRates(s: RateSettings): ExchangeRates {
  const rates: Record<string, string> = {}
  for (const [code, text] of Object.entries(s.rates)) {
    const rate = parseRateInput(text)
    if (rate && code !== s.base && isCurrency(code)) rates[code] = rate
  }
  return { base: s.base, rates }
}

/**
 * Remembered per user and account in localStorage, like the calendar's filters. Storage can be
 * missing or full (private mode, sandboxed frames); then the settings just aren't remembered.
 */
export function loadRates(key: string, fallbackBase: string): RateSettings {
  try {
    const raw = globalThis.localStorage?.getItem(key)
    if (!raw) return { base: fallbackBase, rates: {} }
    const o = JSON.parse(raw) as Partial<RateSettings>
    const rates: Record<string, string> = {}
    if (o.rates && typeof o.rates === 'object') for (const [k, v] of Object.entries(o.rates)) if (typeof v === 'string' && isCurrency(k)) rates[k] = v
    return { base: isCurrency(o.base) ? o.base : fallbackBase, rates }
  } catch {
    return { base: fallbackBase, rates: {} }
  }
}

export function saveRates(key: string, s: RateSettings): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(s))
  } catch {
    // not fatal: the rates just won't be remembered
  }
}
