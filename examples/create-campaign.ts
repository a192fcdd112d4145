/**
 * Creates a marketing campaign with its budget and two spend entries, stored in the CRM itself
 * (amoCRM lists), then prints what the account now holds for it.
 *
 *   npm run example:create-campaign
 *   npm run example:create-campaign -- --name "Чёрная пятница" --budget 300000 --utm black_friday_2026
 */
import { parseArgs } from 'node:util'
import { money, moneyToDecimal, sumMoney, UnsupportedError } from 'crmkit'
import { connect } from './connect.js'

const { values: args } = parseArgs({
  options: {
    name: { type: 'string', default: 'Весенняя распродажа' },
    budget: { type: 'string', default: '250000' },
    currency: { type: 'string', default: 'RUB' },
    utm: { type: 'string', default: 'spring_sale_2026' },
    start: { type: 'string', default: '2026-03-01' },
    end: { type: 'string', default: '2026-03-31' },
  },
})

const conn = await connect({ seedDeals: 200 })
const { crm } = conn
try {
  // Idempotent: creates the two lists and their fields on the first run only.
  const report = await crm.setup()
  console.log(`setup: created ${report.created.length}, already there ${report.existing.length}`)

  const campaign = await crm.campaigns.create({
    name: args.name!,
    channel: 'paid-search',
    source: 'yandex',
    utmCampaign: args.utm!,
    startsAt: new Date(`${args.start}T00:00:00Z`),
    endsAt: new Date(`${args.end}T00:00:00Z`),
    plannedBudget: money(args.budget!, args.currency!),
    status: 'planned',
  })
  console.log(`campaign ${campaign.id} "${campaign.name}" budget ${moneyToDecimal(campaign.plannedBudget!)} ${args.currency}`)

  const outcomes = await crm.spend.createMany([
    { campaignId: campaign.id, date: campaign.startsAt, amount: money('50000', args.currency!), kind: 'committed', note: 'Yandex Direct prepayment' },
    { campaignId: campaign.id, date: campaign.startsAt, amount: money('12345.67', args.currency!), kind: 'actual' },
  ])
  for (const o of outcomes) console.log(o.ok ? `spend ${o.record.id}: ${moneyToDecimal(o.record.amount)}` : `spend #${o.index} failed: ${o.error.message}`)

  const spend = (await crm.spend.list().toArray()).filter((s) => s.campaignId === campaign.id)
  console.log(`total spend on the campaign: ${moneyToDecimal(sumMoney(spend.map((s) => s.amount), args.currency!))} ${args.currency}`)
} catch (e) {
  if (e instanceof UnsupportedError) console.error(`This account cannot store campaigns: ${e.message}`)
  else throw e
  process.exitCode = 1
} finally {
  await conn.close()
}
