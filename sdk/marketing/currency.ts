import { currencyExponent, type Money } from '../model/money.js'
import { invalid } from './errors.js'

/**
 * Exchange rates the user supplies (never fetched): 1 unit of `currency` = `rates[currency]`
 * units of `base`. Rates are decimal strings (or numbers read through their shortest decimal
 * form) so "92.4512" stays exact. Keep the table next to the figures it produced: every
 * converted amount carries the rate it used.
 */
export interface ExchangeRates {
  base: string
  rates: Readonly<Record<string, string | number>>
  /** When the rates were taken; informational, stored with reports. */
  asOf?: Date | null
}

/**
 * How a converted amount is rounded to whole minor units of the base currency.
 * `half-even` (default) is unbiased across many entries; `half-up` rounds halves away from zero.
 */
export type Rounding = 'half-even' | 'half-up' | 'floor' | 'ceil' | 'trunc'

export interface ConvertedMoney {
  original: Money
  converted: Money
  /** The rate used, as given, so a report can be re-derived and audited. */
  rate: string
}

// Intl accepts any well-formed code ("XXQ"), so unknown codes are caught with the runtime's list of
// ISO 4217 currencies (Node 18+, every current browser); without that API, only the shape is checked.
const KNOWN: ReadonlySet<string> | null = (() => {
  try {
    return new Set((Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency'))
  } catch {
    return null
  }
})()

function checkCurrency(code: unknown, path: (string | number)[]): string {
  if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) invalid(path, 'must be a 3-letter ISO 4217 code such as RUB', 'invalid_currency')
  if (KNOWN && KNOWN.size > 0 && !KNOWN.has(code)) invalid(path, `unknown currency "${code}"`, 'invalid_currency')
  try {
    currencyExponent(code)
  } catch {
    invalid(path, `unknown currency "${code}"`, 'invalid_currency')
  }
  return code
}

/** Validates a currency code; a bad one is a ValidationError naming `path`. */
export function assertCurrency(code: unknown, path: (string | number)[]): string {
  return checkCurrency(code, path)
}

interface Fraction {
  num: bigint
  den: bigint
}

function parseRate(rate: string | number, path: (string | number)[]): Fraction {
  const text = String(rate).trim()
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text)
  if (!m) invalid(path, `rate "${text}" must be a positive decimal number`, 'invalid_rate')
  const frac = m[2] ?? ''
  let num = BigInt(`${m[1]}${frac}`)
  let den = 10n ** BigInt(frac.length)
  const e = Number(m[3] ?? 0)
  if (e > 0) num *= 10n ** BigInt(e)
  else if (e < 0) den *= 10n ** BigInt(-e)
  if (num === 0n) invalid(path, 'rate must be greater than zero', 'invalid_rate')
  return { num, den }
}

/** num/den rounded to an integer by `mode`; den > 0. */
export function roundDiv(num: bigint, den: bigint, mode: Rounding): bigint {
  const q = num / den // truncates toward zero
  const r = num % den
  if (r === 0n) return q
  const neg = num < 0n
  switch (mode) {
    case 'trunc':
      return q
    case 'floor':
      return neg ? q - 1n : q
    case 'ceil':
      return neg ? q : q + 1n
    default: {
      const twice = (r < 0n ? -r : r) * 2n
      const away = neg ? q - 1n : q + 1n
      if (twice > den) return away
      if (twice < den) return q
      if (mode === 'half-up') return away
      return q % 2n === 0n ? q : away
    }
  }
}

export interface Converter {
  readonly base: string
  readonly rounding: Rounding
  /** Converts one amount, once, with the stated rounding; `path` names the field in errors. */
  convert(value: Money, path?: (string | number)[]): ConvertedMoney
  /** Converted minor units only (same rule), for hot loops. */
  toBaseMinor(value: Money, path?: (string | number)[]): number
}

/**
 * Validates the table up front and returns a converter. Rounding happens once per entry; sums are
 * then exact integer sums of converted entries (so a report total equals the sum of its rows).
 */
export function createConverter(rates: ExchangeRates, rounding: Rounding = 'half-even'): Converter {
  const base = checkCurrency(rates.base, ['rates', 'base'])
  const parsed = new Map<string, { f: Fraction; text: string }>()
  parsed.set(base, { f: { num: 1n, den: 1n }, text: '1' })
  for (const [code, rate] of Object.entries(rates.rates ?? {})) {
    checkCurrency(code, ['rates', 'rates', code])
    if (code === base) continue
    parsed.set(code, { f: parseRate(rate, ['rates', 'rates', code]), text: String(rate) })
  }
  const expBase = currencyExponent(base)
  const convertMinor = (value: Money, path: (string | number)[]): { minor: number; text: string } => {
    checkCurrency(value.currency, [...path, 'currency'])
    if (!Number.isSafeInteger(value.minor)) invalid([...path, 'minor'], 'must be a safe integer of minor units')
    const entry = parsed.get(value.currency)
    if (!entry) invalid([...path, 'currency'], `no exchange rate from ${value.currency} to ${base}`, 'missing_rate')
    if (value.currency === base) return { minor: value.minor, text: '1' }
    const shift = expBase - currencyExponent(value.currency)
    const num = BigInt(value.minor) * entry.f.num * (shift > 0 ? 10n ** BigInt(shift) : 1n)
    const den = entry.f.den * (shift < 0 ? 10n ** BigInt(-shift) : 1n)
    const minor = Number(roundDiv(num, den, rounding))
    if (!Number.isSafeInteger(minor)) invalid([...path, 'minor'], 'converted amount exceeds the safe integer range')
    return { minor: minor === 0 ? 0 : minor, text: entry.text }
  }
  return {
    base,
    rounding,
    convert(value, path = []) {
      const { minor, text } = convertMinor(value, path)
      return { original: value, converted: { minor, currency: base }, rate: text }
    },
    toBaseMinor(value, path = []) {
      return convertMinor(value, path).minor
    },
  }
}
