/**
 * Imports ad spend from an ad-cabinet CSV export (Yandex Direct, VK Ads, Google Ads) into
 * crm.spend: rows are matched to campaigns by utm_campaign or name, and rows already in the CRM
 * (same campaign, day, amount, currency) are skipped, so importing the same file twice adds nothing.
 * The parsing is the budgets widget's (`previewSpendImport` from crmkit/marketing), not a second copy.
 *
 *   npm run example:import-spend-csv                      # the bundled Yandex Direct sample, emulated amoCRM
 *   npm run example:import-spend-csv -- --file direct.csv --currency RUB --dry-run
 *   npm run example:import-spend-csv -- --crm bitrix24
 *
 * Real accounts: see examples/connect-crm.ts (the campaigns must exist there).
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { Presets, SingleBar } from 'cli-progress'
import { money, moneyToDecimal, sumMoney, type Crm } from 'crmkit'
import { previewSpendImport } from 'crmkit/marketing'
import { connectCrms, crmKind } from './connect-crm.js'

const { values: args } = parseArgs({
  options: {
    crm: { type: 'string', default: 'amocrm' },
    file: { type: 'string', default: new URL('./data/yandex-direct-2026-03.csv', import.meta.url).pathname },
    currency: { type: 'string', default: 'RUB' },
    'dry-run': { type: 'boolean', default: false },
  },
})

const { crms, close } = await connectCrms([crmKind(args.crm, '--crm')], { size: () => ({ deals: 50, contacts: 30 }) })
const { crm, where, emulated } = crms[0]!

/** The sample file's campaigns, created in an emulated account so the example has something to match. */
async function sampleCampaigns(c: Crm) {
  const have = await c.campaigns.list().toArray(10_000)
  const wanted = [
    { name: 'Директ: весенняя распродажа', utmCampaign: 'spring_sale_2026', channel: 'paid-search' },
    { name: 'Директ: брендовый поиск', utmCampaign: 'brand_search', channel: 'paid-search' },
  ]
  const missing = wanted.filter((w) => !have.some((h) => h.utmCampaign === w.utmCampaign))
  if (!missing.length) return
  const outcomes = await c.campaigns.createMany(
    missing.map((w) => ({ ...w, startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-03-31T00:00:00Z'), plannedBudget: money('120000', 'RUB') })),
  )
  for (const o of outcomes) if (!o.ok) throw o.error
}

try {
  process.stderr.write(`Importing ${args.file} into ${where}\n`)
  await crm.setup() // where crmkit keeps campaigns and spend in the CRM; idempotent
  if (emulated) await sampleCampaigns(crm)
  const [text, campaigns, existing] = await Promise.all([readFile(args.file!, 'utf8'), crm.campaigns.list().toArray(10_000), crm.spend.list().toArray(100_000)])
  const { rows, columns } = previewSpendImport(text, campaigns, existing, { defaultCurrency: args.currency!.toUpperCase() })
  console.log(`columns: ${Object.entries(columns).map(([k, v]) => `${k} = "${v}"`).join(', ')}`)

  const fresh = rows.flatMap((r) => (r.status === 'ok' ? [r] : []))
  const duplicates = rows.filter((r) => r.status === 'duplicate').length
  const errors = rows.flatMap((r) => (r.status === 'error' ? [r] : []))
  let imported = 0
  const failed: string[] = []
  if (!args['dry-run'] && fresh.length) {
    const bar = new SingleBar({ format: 'spend rows |{bar}| {value}/{total}', stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5_000 }, Presets.shades_classic)
    bar.start(fresh.length, 0)
    for (let i = 0; i < fresh.length; i += 25) {
      const chunk = fresh.slice(i, i + 25)
      const outcomes = await crm.spend.createMany(chunk.map((r) => r.input))
      for (const o of outcomes) {
        if (o.ok) imported++
        else failed.push(`line ${chunk[o.index]!.line}: ${o.error.message}`)
      }
      bar.update(Math.min(i + 25, fresh.length))
    }
    bar.stop()
  }
  const total = fresh.length ? sumMoney(fresh.map((r) => r.input.amount), fresh[0]!.input.amount.currency) : null
  console.log(
    `${rows.length} rows: ${args['dry-run'] ? `${fresh.length} would be imported` : `${imported} imported`}${total ? ` (${moneyToDecimal(total)} ${total.currency})` : ''}, ` +
      `${duplicates} already in the CRM, ${errors.length} with errors${failed.length ? `, ${failed.length} refused by the CRM` : ''}`,
  )
  for (const e of errors) console.log(`  line ${e.line}: ${e.field}: ${e.message}`)
  for (const f of failed) console.log(`  ${f}`)
  if (!args['dry-run']) {
    // The same file again, previewed against what the CRM holds now: nothing left to add.
    const again = previewSpendImport(text, campaigns, await crm.spend.list().toArray(100_000), { defaultCurrency: args.currency!.toUpperCase() })
    console.log(`check: importing the same file again would add ${again.rows.filter((r) => r.status === 'ok').length} rows`)
  }
} finally {
  await close()
}
