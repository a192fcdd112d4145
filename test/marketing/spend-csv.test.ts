import { describe, expect, it } from 'vitest'
import { money, type Campaign, type SpendEntry } from '../../sdk/index.js'
import { previewSpendImport } from '../../sdk/marketing/spend-csv.js'

const campaigns = [
  { id: '1', name: 'Директ: весна', utmCampaign: 'spring_sale_2026' },
  { id: '2', name: 'VK: ретаргет', utmCampaign: null },
] as Campaign[]

// What Yandex Direct's "Статистика" export looks like: a title line, ';', decimal commas.
const direct = `\uFEFF"Отчёт по кампаниям, 01.03.2026 - 31.03.2026"
Дата;Кампания;Показы;Клики;Расход, руб.
05.03.2026;spring_sale_2026;1200;35;1 234,50
06.03.2026;spring_sale_2026;900;20;800,00
07.03.2026;unknown_campaign;10;1;5,00
31.02.2026;spring_sale_2026;1;1;1,00
08.03.2026;spring_sale_2026;1;1;abc
Итого;;2111;56;2 039,50`

describe('spend CSV import', () => {
  it('reads a Yandex Direct export: campaigns by utm_campaign, per-row errors that name the field', () => {
    const { rows, columns } = previewSpendImport(direct, campaigns, [], { defaultCurrency: 'RUB' })
    expect(columns).toMatchObject({ date: 'Дата', campaign: 'Кампания', cost: 'Расход, руб.' })
    expect(rows.map((r) => [r.line, r.status, r.status === 'error' ? r.field : r.input.amount.minor])).toEqual([
      [3, 'ok', 123450],
      [4, 'ok', 80000],
      [5, 'error', 'campaign'],
      [6, 'error', 'date'],
      [7, 'error', 'cost'],
    ])
  })

  it('reads Google Ads (comma, currency column) and VK Ads (names) exports', () => {
    const google = 'Day,Campaign,Cost,Currency code\n2026-03-05,Директ: весна,10.25,USD\n'
    const [g] = previewSpendImport(google, campaigns, [], { defaultCurrency: 'RUB' }).rows
    expect(g).toMatchObject({ status: 'ok', input: { campaignId: '1', amount: { minor: 1025, currency: 'USD' } } })
    const vk = 'Дата\tКампания\tПотрачено\n05.03.2026\tVK: ретаргет\t500\n'
    const [v] = previewSpendImport(vk, campaigns, [], { defaultCurrency: 'RUB' }).rows
    expect(v).toMatchObject({ status: 'ok', input: { campaignId: '2', amount: { minor: 50000, currency: 'RUB' } } })
  })

  it('importing the same file twice adds nothing: rows already in the CRM are duplicates', () => {
    const first = previewSpendImport(direct, campaigns, [], { defaultCurrency: 'RUB' })
    const imported = first.rows.flatMap((r) => (r.status === 'ok' ? [{ ...r.input, id: 'x', createdAt: new Date(), updatedAt: new Date(), customFields: {}, note: null } as SpendEntry] : []))
    const second = previewSpendImport(direct, campaigns, imported, { defaultCurrency: 'RUB' })
    expect(second.rows.filter((r) => r.status === 'ok')).toEqual([])
    expect(second.rows.filter((r) => r.status === 'duplicate')).toHaveLength(2)
    // One matching entry in the CRM covers one identical row, not two.
    const twice = 'Дата;Кампания;Расход\n05.03.2026;spring_sale_2026;1 234,50\n05.03.2026;spring_sale_2026;1 234,50\n'
    expect(previewSpendImport(twice, campaigns, imported.slice(0, 1), { defaultCurrency: 'RUB' }).rows.map((r) => r.status)).toEqual(['duplicate', 'ok'])
    expect(money('1234.50', 'RUB').minor).toBe(123450)
  })

  it('says so when the file has no usable header', () => {
    const { rows } = previewSpendImport('a,b\n1,2\n', campaigns, [], { defaultCurrency: 'RUB' })
    expect(rows).toEqual([{ line: 1, status: 'error', field: 'file', message: expect.stringMatching(/header/), raw: ['a', 'b'] }])
  })
})
