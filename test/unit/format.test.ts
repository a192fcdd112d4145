import { describe, expect, it } from 'vitest'
import { money } from '../../sdk/index.js'
import { formatMoney } from '../../widgets/ui/format.js'

describe('formatMoney', () => {
  it('formats for Russian and English readers, exactly', () => {
    expect(formatMoney(money('250000', 'RUB'), 'ru-RU')).toMatch(/^250\s000\s₽$/)
    expect(formatMoney(money('1234.5', 'USD'), 'en-GB')).toBe('US$1,234.50')
    // Beyond float precision: still exact to the kopeck.
    expect(formatMoney(money('900719925474.99', 'RUB'), 'en-GB')).toContain('900,719,925,474.99')
  })
})
