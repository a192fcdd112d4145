/**
 * Exports every deal as CSV or JSON lines, with a progress bar on stderr.
 *
 *   npm run example:export-deals -- --format csv --out deals.csv
 *   npm run example:export-deals -- --format jsonl --since 2026-06-01 > deals.jsonl
 *
 * Runs against an emulated account unless AMOCRM_SUBDOMAIN + AMOCRM_TOKEN (or AMOCRM_BASE_URL)
 * are set; see examples/connect.ts.
 */
import { createWriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { SingleBar, Presets } from 'cli-progress'
import { stringify } from 'csv-stringify'
import { moneyToDecimal, type Deal } from 'crmkit'
import { connect } from './connect.js'

const { values: args } = parseArgs({
  options: {
    format: { type: 'string', default: 'csv' },
    out: { type: 'string' },
    since: { type: 'string' },
  },
})
if (args.format !== 'csv' && args.format !== 'jsonl') throw new Error('--format must be csv or jsonl')
const since = args.since ? new Date(args.since) : undefined
if (since && Number.isNaN(since.getTime())) throw new Error(`--since "${args.since}" is not a date`)

const row = (d: Deal) => ({
  id: d.id,
  title: d.title,
  amount: d.amount ? moneyToDecimal(d.amount) : '',
  currency: d.amount?.currency ?? '',
  outcome: d.outcome,
  pipeline_id: d.pipelineId ?? '',
  stage_id: d.stageId ?? '',
  owner_id: d.ownerId ?? '',
  contact_id: d.contactId ?? '',
  created_at: d.createdAt.toISOString(),
  updated_at: d.updatedAt.toISOString(),
  closed_at: d.closedAt?.toISOString() ?? '',
  utm_source: d.source.utm.source ?? '',
  utm_medium: d.source.utm.medium ?? '',
  utm_campaign: d.source.utm.campaign ?? '',
  utm_content: d.source.utm.content ?? '',
  utm_term: d.source.utm.term ?? '',
})

const conn = await connect()
const out = args.out ? createWriteStream(args.out) : process.stdout
const csv = args.format === 'csv' ? stringify({ header: true }) : null
csv?.pipe(out)
// The CRM gives no total count, so the bar's end moves with each page until the last one.
const bar = new SingleBar({ format: 'deals {value} | {speed}/s | {bar}', stream: process.stderr, hideCursor: true }, Presets.shades_classic)
const started = Date.now()
let count = 0
bar.start(1, 0, { speed: 0 })
process.stderr.write(`Exporting from ${conn.where}\n`)
for await (const page of conn.crm.deals.list(since ? { updatedSince: since } : {}).pages()) {
  for (const d of page) {
    if (csv) csv.write(row(d))
    else out.write(`${JSON.stringify(row(d))}\n`)
  }
  count += page.length
  bar.setTotal(count + page.length)
  bar.update(count, { speed: Math.round(count / ((Date.now() - started) / 1000)) })
}
bar.setTotal(count)
bar.update(count)
bar.stop()
if (csv) {
  csv.end()
  await finished(csv)
}
if (out !== process.stdout) {
  out.end()
  await finished(out)
}
process.stderr.write(`Exported ${count} deals in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
await conn.close()
