import { z } from 'zod/mini'
import { useEnglishErrors } from '../zod-locale.js'

useEnglishErrors()

/**
 * Money is an integer count of the currency's minor units (kopecks, cents) plus its ISO 4217 code,
 * the convention Stripe uses. Integers add exactly, so summing 100,000 deals never drifts the way
 * floating-point roubles would; amounts stay below 2^53 minor units (≈ 90 trillion roubles).
 */
export const CurrencyCode = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as RUB'))
export type CurrencyCode = z.infer<typeof CurrencyCode>

export const Money = z.object({
  minor: z.int().check(z.refine(Number.isSafeInteger, 'must be a safe integer of minor units')),
  currency: CurrencyCode,
})
export type Money = z.infer<typeof Money>

const exponentCache = new Map<string, number>()
let known: Set<string> | null = null

/** Intl formats any well-formed code ("XXQ"), so unknown codes are caught against its list. */
function isKnownCurrency(code: string): boolean {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf
  if (!supported) return /^[A-Z]{3}$/.test(code)
  known ??= new Set(supported('currency'))
  return known.has(code)
}

/** Minor-unit exponent of a currency (RUB 2, JPY 0, KWD 3), from the runtime's Intl data. */
export function currencyExponent(currency: string): number {
  let exp = exponentCache.get(currency)
  if (exp === undefined) {
    if (!isKnownCurrency(currency)) throw new RangeError(`Unknown currency code "${currency}"`)
    try {
      exp = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    } catch {
      throw new RangeError(`Unknown currency code "${currency}"`)
    }
    exponentCache.set(currency, exp)
  }
  return exp
}

/**
 * Parses a decimal amount ("1234.5", "1 234,50", 1234.5) into Money without floating-point
 * arithmetic. Numbers are read through their shortest decimal representation, which is exact
 * for every value a CRM sends. Extra precision beyond the currency's exponent is rejected,
 * never silently rounded.
 */
export function money(amount: string | number | bigint, currency: string): Money {
  const exp = currencyExponent(currency)
  const text = typeof amount === 'string' ? amount.replace(/[\s\u00a0]/g, '').replace(',', '.') : String(amount)
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) throw new RangeError(`Not a decimal amount: "${String(amount)}"`)
  const [, sign, whole, frac = ''] = m
  const trimmed = frac.replace(/0+$/, '')
  if (trimmed.length > exp) {
    throw new RangeError(`Amount "${String(amount)}" has more decimals than ${currency} allows (${exp})`)
  }
  const minor = Number(`${sign}${whole}${trimmed.padEnd(exp, '0')}`)
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Amount "${String(amount)}" is too large`)
  return { minor: minor === 0 ? 0 : minor, currency }
}

/** Decimal string of a Money value ("1234.50"), exact. */
export function moneyToDecimal(value: Money): string {
  const exp = currencyExponent(value.currency)
  const negative = value.minor < 0
  const digits = String(Math.abs(value.minor)).padStart(exp + 1, '0')
  const whole = digits.slice(0, digits.length - exp)
  const frac = exp > 0 ? `.${digits.slice(digits.length - exp)}` : ''
  return `${negative ? '-' : ''}${whole}${frac}`
}

export function zeroMoney(currency: string): Money {
  currencyExponent(currency)
  return { minor: 0, currency }
}

/** The same amount in the same currency; two missing amounts (no budget) are the same too. */
export function sameMoney(a: Money | null | undefined, b: Money | null | undefined): boolean {
  if (!a || !b) return !a && !b
  return a.minor === b.minor && a.currency === b.currency
}

/** Exact sum; mixing currencies is a bug in the caller, so it throws instead of guessing a rate. */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new RangeError(`Cannot add ${a.currency} to ${b.currency} without an exchange rate`)
  }
  const minor = a.minor + b.minor
  if (!Number.isSafeInteger(minor)) throw new RangeError('Money sum overflows the safe integer range')
  return { minor, currency: a.currency }
}

export function sumMoney(values: Iterable<Money>, currency: string): Money {
  let total = zeroMoney(currency)
  for (const v of values) total = addMoney(total, v)
  return total
}
