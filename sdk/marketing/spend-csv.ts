import Papa from 'papaparse'
import { money, type Campaign, type SpendCreate, type SpendEntry } from '../model/index.js'

/**
 * Spend import from ad-cabinet CSV exports (Yandex Direct, VK Ads, Google Ads, or any file with
 * date, campaign, cost and optionally currency columns). Each row is matched to a campaign by its
 * utm_campaign or name; a row equal to spend already in the CRM (same campaign, day, amount,
 * currency, kind) is a duplicate, so importing the same file twice adds nothing.
 */
const HEADERS = {
  date: ['дата', 'date', 'day', 'день'],
  campaign: ['кампания', 'campaign', 'название кампании', 'campaign name', 'utm_campaign'],
  cost: ['расход', 'расход, руб.', 'расход (руб.)', 'cost', 'spent', 'потрачено', 'стоимость', 'amount'],
  currency: ['валюта', 'currency', 'currency code', 'код валюты'],
} as const

export type SpendImportRow =
  | { line: number; status: 'ok'; input: SpendCreate; campaignName: string }
  | { line: number; status: 'duplicate'; input: SpendCreate; campaignName: string }
  | { line: number; status: 'error'; field: 'date' | 'campaign' | 'cost' | 'currency' | 'file'; message: string; raw: string[] }

export interface SpendImportPreview {
  rows: SpendImportRow[]
  /** Which column was understood as what (for the preview header). */
  columns: Partial<Record<keyof typeof HEADERS, string>>
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ')

/** 2026-03-05, 05.03.2026, 05/03/2026 (day first, as Russian cabinets write it). */
function parseDay(s: string): Date | null {
  const t = s.trim()
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t)
  if (m) return check(+m[1]!, +m[2]!, +m[3]!)
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(t)
  if (m) return check(+m[3]!, +m[2]!, +m[1]!)
  return null
}
function check(y: number, mo: number, d: number): Date | null {
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : null
}

const fingerprint = (s: { campaignId: string; date: Date; amount: { minor: number; currency: string }; kind: string }) =>
  `${s.campaignId}|${s.date.toISOString().slice(0, 10)}|${s.amount.minor}|${s.amount.currency}|${s.kind}`

export function previewSpendImport(
  text: string,
  campaigns: readonly Campaign[],
  existing: readonly SpendEntry[],
  options: { defaultCurrency: string },
): SpendImportPreview {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy', delimiter: '' })
  const lines = parsed.data
  // Cabinets put report titles above the table: the header is the first line naming a date and a cost.
  const headerAt = lines.findIndex((l) => l.some((c) => HEADERS.date.includes(norm(c) as never)) && l.some((c) => HEADERS.cost.includes(norm(c) as never)))
  if (headerAt < 0) {
    return { rows: [{ line: 1, status: 'error', field: 'file', message: 'no header with a date and a cost column', raw: lines[0] ?? [] }], columns: {} }
  }
  const header = lines[headerAt]!.map(norm)
  const col = (k: keyof typeof HEADERS) => header.findIndex((h) => (HEADERS[k] as readonly string[]).includes(h))
  const idx = { date: col('date'), campaign: col('campaign'), cost: col('cost'), currency: col('currency') }
  const columns: SpendImportPreview['columns'] = {}
  for (const [k, i] of Object.entries(idx)) if (i >= 0) columns[k as keyof typeof HEADERS] = lines[headerAt]![i]!

  const byKey = new Map<string, Campaign>()
  for (const c of campaigns) {
    byKey.set(norm(c.name), c)
    if (c.utmCampaign) byKey.set(norm(c.utmCampaign), c)
  }
  // Multiset of what the CRM already holds: a file repeating a row twice needs two matches.
  const seen = new Map<string, number>()
  for (const s of existing) seen.set(fingerprint(s), (seen.get(fingerprint(s)) ?? 0) + 1)

  const rows: SpendImportRow[] = []
  lines.slice(headerAt + 1).forEach((raw, i) => {
    const line = headerAt + 2 + i
    const cell = (j: number) => (j >= 0 ? (raw[j] ?? '').trim() : '')
    if (/^(итого|всего|total)/i.test(cell(0)) || /^(итого|всего|total)/i.test(cell(idx.date))) return // summary rows
    const fail = (field: Extract<SpendImportRow, { status: 'error' }>['field'], message: string) => rows.push({ line, status: 'error', field, message, raw })
    const date = parseDay(cell(idx.date))
    if (!date) return fail('date', `"${cell(idx.date)}" is not a date`)
    const campaign = byKey.get(norm(cell(idx.campaign)))
    if (!campaign) return fail('campaign', `no campaign named or tagged "${cell(idx.campaign)}"`)
    const currency = (cell(idx.currency) || options.defaultCurrency).toUpperCase().replace('РУБ', 'RUB').replace('RUR', 'RUB')
    let amount
    try {
      amount = money(cell(idx.cost), currency)
    } catch (e) {
      return fail(/currency/i.test((e as Error).message) ? 'currency' : 'cost', (e as Error).message)
    }
    if (amount.minor < 0) return fail('cost', 'must not be negative')
    const input: SpendCreate = { campaignId: campaign.id, date, amount, kind: 'actual', note: null }
    const key = fingerprint(input)
    const left = seen.get(key) ?? 0
    if (left > 0) {
      seen.set(key, left - 1)
      rows.push({ line, status: 'duplicate', input, campaignName: campaign.name })
    } else rows.push({ line, status: 'ok', input, campaignName: campaign.name })
  })
  return { rows, columns }
}
