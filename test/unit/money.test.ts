import { describe, expect, it } from 'vitest'
import { addMoney, money, moneyToDecimal, sameMoney, sumMoney } from '../../sdk/index.js'

describe('money', () => {
  it('parses decimals exactly, in several spellings', () => {
    expect(money('1234.5', 'RUB')).toEqual({ minor: 123450, currency: 'RUB' })
    expect(money('1 234,50', 'RUB')).toEqual({ minor: 123450, currency: 'RUB' })
    expect(money(0.1, 'USD')).toEqual({ minor: 10, currency: 'USD' })
    expect(money('500', 'JPY')).toEqual({ minor: 500, currency: 'JPY' })
    expect(money('-3.005', 'KWD')).toEqual({ minor: -3005, currency: 'KWD' })
  })

  it('refuses precision the currency cannot hold instead of rounding', () => {
    expect(() => money('1.005', 'RUB')).toThrow(/more decimals/)
    expect(() => money('12abc', 'RUB')).toThrow(/Not a decimal/)
    expect(() => money('1', 'XXXX')).toThrow(/currency/)
    expect(() => money('1', 'XXQ')).toThrow(/Unknown currency/)
  })

  it('sums 100,000 amounts without floating-point drift', () => {
    const values = Array.from({ length: 100_000 }, () => money('0.10', 'RUB'))
    const total = sumMoney(values, 'RUB')
    expect(moneyToDecimal(total)).toBe('10000.00')
    // The float way drifts: this is what the model avoids.
    expect(values.reduce((s) => s + 0.1, 0)).not.toBe(10000)
  })

  it('formats and refuses to mix currencies', () => {
    expect(moneyToDecimal({ minor: -5, currency: 'RUB' })).toBe('-0.05')
    expect(moneyToDecimal({ minor: 7, currency: 'JPY' })).toBe('7')
    expect(() => addMoney(money('1', 'RUB'), money('1', 'USD'))).toThrow(/exchange rate/)
  })
})

describe('sameMoney', () => {
  it('compares amount and currency; two missing amounts are the same, one missing is not', () => {
    expect(sameMoney(money('10.50', 'RUB'), money('10.5', 'RUB'))).toBe(true)
    expect(sameMoney(money('10.50', 'RUB'), money('10.51', 'RUB'))).toBe(false)
    expect(sameMoney(money('10', 'RUB'), money('10', 'USD'))).toBe(false)
    expect(sameMoney(null, undefined)).toBe(true)
    expect(sameMoney(null, money('0', 'RUB'))).toBe(false)
    expect(sameMoney(money('0', 'RUB'), undefined)).toBe(false)
  })
})
