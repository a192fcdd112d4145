/**
 * Prints an attribution report in the terminal: leads, deals, won deals and revenue credited to
 * channels (or sources, or campaigns) by any model of crmkit/marketing, with spend, CPL, CPA and
 * ROMI. The table is the attribution widget's (`attributionReport` from crmkit/marketing), computed by the
 * same engine, so the terminal and the widget agree.
 *
 *   npm run example:attribution-report                               # emulated amoCRM, linear model
 *   npm run example:attribution-report -- --model markov --group campaign --from 2026-01-01 --to 2026-06-30
 *   npm run example:attribution-report -- --crm bitrix24 --model w-shaped
 *
 * Real accounts: see examples/connect-crm.ts.
 */
import { parseArgs } from 'node:util'
import { MultiBar, Presets } from 'cli-progress'
import { money as parseMoney, UnsupportedError, type Campaign, type Crm, type SpendEntry } from 'crmkit'
import { ATTRIBUTION_MODELS, attributionReport, GROUPINGS, type AttributionModel, type GroupBy } from 'crmkit/marketing'
import { connectCrms, crmKind } from './connect-crm.js'

const { values: args } = parseArgs({
  options: {
    crm: { type: 'string', default: 'amocrm' },
    model: { type: 'string', default: 'linear' },
    group: { type: 'string', default: 'channel' },
    from: { type: 'string' },
    to: { type: 'string' },
    currency: { type: 'string', default: 'RUB' },
  },
})
if (!ATTRIBUTION_MODELS.includes(args.model as AttributionModel)) throw new Error(`--model must be one of ${ATTRIBUTION_MODELS.join(', ')}`)
if (!GROUPINGS.includes(args.group as GroupBy)) throw new Error(`--group must be one of ${GROUPINGS.join(', ')}`)
const day = (s: string | undefined, flag: string, fallback: Date) => {
  if (!s) return fallback
  const d = new Date(`${s}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) throw new Error(`${flag} "${s}" is not a date (YYYY-MM-DD)`)
  return d
}

const { crms, close } = await connectCrms([crmKind(args.crm, '--crm')], { size: () => ({ deals: 2_000, contacts: 1_200 }) })
const { crm, where, emulated } = crms[0]!
const bars = new MultiBar({ format: '{task} |{bar}| {value}', stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5_000 }, Presets.shades_classic)

/** Reads every record; the bar's end grows page by page (CRMs give no total). */
async function readAll<T>(task: string, pages: () => AsyncIterable<T[]>): Promise<T[]> {
  const bar = bars.create(1, 0, { task: task.padEnd(9) })
  const out: T[] = []
  for await (const page of pages()) {
    out.push(...page)
    bar.setTotal(out.length + page.length)
    bar.update(out.length)
  }
  bar.setTotal(Math.max(1, out.length))
  bar.update(out.length)
  return out
}
/** Campaigns and spend live in lists crmkit creates (`crm.setup()`); without them the report has no spend. */
async function optional<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read()
  } catch (e) {
    if (e instanceof UnsupportedError) return []
    throw e
  }
}

/** An emulated account has deals but no marketing spend: book a year of it for three campaigns. */
async function sampleSpend(c: Crm) {
  await c.setup()
  if ((await c.spend.list().toArray(100_000)).length) return
  // Creatio's marketing activities have no source column.
  const source = (s: string) => (c.crm === 'creatio' ? {} : { source: s })
  const year = { startsAt: new Date('2025-11-01T00:00:00Z'), endsAt: new Date('2026-10-31T00:00:00Z') }
  const made = await c.campaigns.createMany([
    { name: 'Яндекс Директ: поиск', channel: 'paid-search', utmCampaign: 'brand_search', ...year, ...source('yandex') },
    { name: 'VK Реклама', channel: 'paid-social', utmCampaign: 'vk_retarget', ...year, ...source('vk') },
    { name: 'Рассылка', channel: 'email', utmCampaign: 'newsletter', ...year, ...source('email') },
  ])
  const monthly = ['150000', '60000', '8000']
  const entries = made.flatMap((o, i) => {
    // A site may lack a channel (Creatio's LeadMedium lookup): that campaign is simply left out.
    if (!o.ok) return (process.stderr.write(`sample campaign left out: ${o.error.message}\n`), [])
    return Array.from({ length: 12 }, (_, m) => ({ campaignId: o.record.id, date: new Date(Date.UTC(2025, 10 + m, 1)), amount: parseMoney(monthly[i]!, 'RUB'), kind: 'actual' as const }))
  })
  for (const o of await c.spend.createMany(entries)) if (!o.ok) throw o.error
}

try {
  process.stderr.write(`Reading ${where}\n`)
  if (emulated) await optional(async () => (await sampleSpend(crm), []))
  const [leads, deals, campaigns, spend] = await Promise.all([
    readAll('leads', () => crm.leads.list().pages()),
    readAll('deals', () => crm.deals.list().pages()),
    optional<Campaign>(() => crm.campaigns.list().toArray(10_000)),
    optional<SpendEntry>(() => crm.spend.list().toArray(100_000)),
  ])
  bars.stop()
  const created = [...leads, ...deals].map((r) => r.createdAt.getTime())
  const DAY = 86_400_000
  // Whole UTC days, so spend booked at midnight of the first day is in range.
  const from = day(args.from, '--from', new Date(Math.floor((created.length ? Math.min(...created) : 0) / DAY) * DAY))
  const to = new Date(day(args.to, '--to', new Date(Math.floor((created.length ? Math.max(...created) : Date.now()) / DAY) * DAY)).getTime() + DAY - 1)
  const report = attributionReport({
    leads,
    deals,
    campaigns,
    spend,
    model: args.model as AttributionModel,
    groupBy: args.group as GroupBy,
    from,
    to,
    currency: args.currency!.toUpperCase(),
  })

  const money = (minor: number) => (minor / 100).toLocaleString('ru-RU', { maximumFractionDigits: 0 })
  const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))
  const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)} %`)
  const cost = (r: number | null) => (r === null ? '—' : money(r))
  const head = [args.group!, 'leads', 'deals', 'won', `revenue ${report.currency}`, 'spend', 'CPL', 'CPA', 'ROMI']
  const line = (r: (typeof report.rows)[number]) => [r.key, num(r.leads), num(r.deals), num(r.won), money(r.revenue), money(r.spend), cost(r.cpl), cost(r.cpa), pct(r.romi)]
  const body = [...report.rows].sort((a, b) => b.revenue - a.revenue).map(line)
  const table = [head, ...body, line({ ...report.total, key: 'total' })]
  const widths = head.map((_, i) => Math.max(...table.map((r) => r[i]!.length)))
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  console.log(`Attribution: ${args.model}, by ${args.group}, ${from.toISOString().slice(0, 10)} … ${to.toISOString().slice(0, 10)}, ${deals.length} deals`)
  console.log(fmt(head))
  console.log(widths.map((w) => '─'.repeat(w)).join('  '))
  for (const r of body) console.log(fmt(r))
  console.log(widths.map((w) => '─'.repeat(w)).join('  '))
  console.log(fmt(table[table.length - 1]!))
  if (report.unattributed) console.log(`not attributed (no touch before the conversion): ${num(report.unattributed)} won deals`)
  if (report.skippedCurrencies.length) console.log(`left out, other currencies: ${report.skippedCurrencies.join(', ')}`)
} finally {
  bars.stop()
  await close()
}
