import { describe, expect, it } from 'vitest'
import { FORMULA_CELL } from '../../sdk/marketing/export-csv.js'
import { csvAmount, tableCsv } from '../../widgets/ui/csv.js'

describe('CSV cells', () => {
  it('neutralises formulas but leaves signed numbers as data', async () => {
    for (const f of ['=1+1', '+SUM(A1)', '-1+2', '@cmd', '\t=1', '-=1']) expect(FORMULA_CELL.test(f), f).toBe(true)
    for (const n of ['-2500,50', '-2500.50', '+7', '12', 'Яндекс', '']) expect(FORMULA_CELL.test(n), n).toBe(false)
    const csv = await tableCsv(['a', 'b'], [['=HYPERLINK("x")', '-10,00']], 'ru')
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")";-10,00`)
  })

  it('prints minor units exactly, with the locale separator', () => {
    expect(csvAmount(123456789012345, 2, 'ru')).toBe('1234567890123,45')
    expect(csvAmount(-5, 2, 'en')).toBe('-0.05')
    expect(csvAmount(0, 2, 'en')).toBe('0.00')
    expect(csvAmount(1500, 0, 'ru')).toBe('1500')
    expect(csvAmount(-1234, 3, 'ru')).toBe('-1,234')
  })
})
