import { currencyExponent, moneyToDecimal, type Money } from '../../sdk/index.js'

/**
 * Money for people: "250 000 ₽", "$1,234.50". The exact decimal string goes to Intl (which takes
 * strings without converting through a float), so big amounts are shown to the kopeck.
 */
export function formatMoney(value: Money, locale: string, opts: { compact?: boolean } = {}): string {
  // Whole amounts without ",00"; otherwise all the currency's decimals ("1 234,50", not "1 234,5").
  const exp = currencyExponent(value.currency)
  const digits = value.minor % 10 ** exp === 0 ? 0 : exp
  const f = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: value.currency,
    ...(opts.compact ? { notation: 'compact', maximumFractionDigits: 1 } : { minimumFractionDigits: digits, maximumFractionDigits: exp }),
  })
  return f.format(moneyToDecimal(value) as unknown as number)
}
