/**
 * Copies contacts and deals from one CRM to another, without creating duplicates: contacts go
 * through `crm.contacts.import` (matched by phone and e-mail, merged into what the target has),
 * deals are skipped when the target already has one with the same title, amount and contact.
 * Running it again copies nothing twice; with --journal it also resumes after a crash.
 *
 *   npm run example:copy-crm                                   # emulated amoCRM → emulated Bitrix24
 *   npm run example:copy-crm -- --from bitrix24 --to creatio --dry-run
 *   AMOCRM_BASE_URL=http://127.0.0.1:8787 AMOCRM_TOKEN=… npm run example:copy-crm -- --journal .crmkit/copy
 *
 * Real accounts: see examples/connect-crm.ts for the environment variables of each CRM.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { MultiBar, Presets, type SingleBar } from 'cli-progress'
import type { ContactImportRecord, Crm, Deal, DealCreate } from 'crmkit'
import { FileImportJournal } from 'crmkit/node'
import { connectCrms, crmKind } from './connect-crm.js'

const { values: args } = parseArgs({
  options: {
    from: { type: 'string', default: 'amocrm' },
    to: { type: 'string', default: 'bitrix24' },
    'dry-run': { type: 'boolean', default: false },
    journal: { type: 'string' },
    contacts: { type: 'string', default: '200' },
    deals: { type: 'string', default: '300' },
  },
})
const from = crmKind(args.from, '--from')
const to = crmKind(args.to, '--to')
const dryRun = args['dry-run']!

const { crms, close } = await connectCrms([from, to], {
  // The emulated source holds the data; the emulated target starts smaller, with data of its own.
  size: (_, i) => (i === 0 ? { contacts: Number(args.contacts), deals: Number(args.deals) } : { contacts: 40, deals: 20 }),
})
const [source, target] = crms as [(typeof crms)[0], (typeof crms)[0]]
process.stderr.write(`Copying ${source.where} → ${target.where}${dryRun ? ' (dry run)' : ''}\n`)

// Outside a terminal (CI, a pipe) the bars are printed every few seconds instead of redrawn.
const bars = new MultiBar(
  { format: '{task} |{bar}| {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5_000 },
  Presets.shades_classic,
)

/** Reads a whole collection with a bar whose end grows page by page (CRMs give no total). */
async function readAll<T>(task: string, list: () => AsyncIterable<T[]>): Promise<T[]> {
  const bar = bars.create(1, 0, { task: task.padEnd(16) })
  const out: T[] = []
  for await (const page of list()) {
    out.push(...page)
    bar.setTotal(out.length + page.length)
    bar.update(out.length)
  }
  bar.setTotal(out.length)
  bar.update(out.length)
  return out
}

function progressBar(task: string): { bar: SingleBar; onProgress: (p: { phase: string; done: number; total: number | null }) => void } {
  const bar = bars.create(1, 0, { task: task.padEnd(16) })
  return {
    bar,
    onProgress: (p) => {
      bar.update({ task: `${task} (${p.phase})`.padEnd(16) })
      bar.setTotal(p.total ?? p.done + 1)
      bar.update(p.done)
    },
  }
}

try {
  // ---- contacts --------------------------------------------------------------------------------
  const contacts = await readAll('read contacts', () => source.crm.contacts.list().pages())
  const rows: ContactImportRecord[] = contacts.map((c) => ({
    name: c.name,
    firstName: c.firstName,
    lastName: c.lastName,
    phones: c.phones,
    emails: c.emails,
  }))
  if (source.emulated && target.emulated && !dryRun) {
    // Two emulated accounts share no one; give the target a few of the source's people, typed
    // differently and without e-mails, so the import has something to find and merge.
    const overlap = contacts.filter((c) => c.phones.length).slice(0, 20)
    await target.crm.contacts.createMany(overlap.map((c) => ({ name: c.name, phones: c.phones.map((p) => p.replace(/^\+7/, '8 ')) })))
    process.stderr.write(`(the emulated target already had ${overlap.length} of these people)\n`)
  }
  const contactBar = progressBar('import contacts')
  const report = await target.crm.contacts.import(rows, {
    onDuplicate: 'merge',
    dryRun,
    onProgress: contactBar.onProgress,
    ...(args.journal ? { journal: new FileImportJournal(join(args.journal, `contacts-${from}-${to}.jsonl`)) } : {}),
  })
  contactBar.bar.setTotal(Math.max(1, contactBar.bar.getTotal()))
  contactBar.bar.update(contactBar.bar.getTotal())

  // Source contact id → target contact id, for the deals' links.
  const contactIdMap = new Map<string, string>()
  report.rows.forEach((r, i) => r.id && contactIdMap.set(contacts[i]!.id, r.id))

  // ---- deals -----------------------------------------------------------------------------------
  const deals = await readAll('read deals', () => source.crm.deals.list().pages())
  const existing = await readAll('read target deals', () => target.crm.deals.list().pages())
  const keyOf = (d: { title: string; amount?: Deal['amount'] | undefined; contactId: string | null }) =>
    `${d.title.trim().toLowerCase()}|${d.amount ? `${d.amount.minor} ${d.amount.currency}` : ''}|${d.contactId ?? ''}`
  const have = new Set(existing.map((d) => keyOf(d)))
  const toCreate: DealCreate[] = []
  let dealDuplicates = 0
  for (const d of deals) {
    const contactId = d.contactId ? (contactIdMap.get(d.contactId) ?? null) : null
    const key = keyOf({ title: d.title, amount: d.amount, contactId })
    if (have.has(key)) {
      dealDuplicates++
      continue
    }
    have.add(key)
    // Pipelines, stages and users differ between CRMs: the target puts deals in its default pipeline.
    toCreate.push({
      title: d.title,
      ...(d.amount ? { amount: d.amount } : {}),
      ...(contactId ? { contactIds: [contactId] } : {}),
      source: { utm: d.source.utm, clickIds: d.source.clickIds, referrer: d.source.referrer },
    })
  }
  let dealsCreated = 0
  const dealErrors: string[] = []
  if (!dryRun && toCreate.length) {
    await target.crm.setup() // click-id fields on Bitrix24, lists on amoCRM: idempotent
    const bar = bars.create(toCreate.length, 0, { task: 'create deals'.padEnd(16) })
    for (let i = 0; i < toCreate.length; i += 100) {
      const outcomes = await target.crm.deals.createMany(toCreate.slice(i, i + 100))
      for (const o of outcomes) {
        if (o.ok) dealsCreated++
        else dealErrors.push(`deal "${toCreate[i + o.index]!.title}": ${o.error.message}`)
      }
      bar.update(Math.min(i + 100, toCreate.length))
    }
  }
  bars.stop()

  const s = report.summary
  console.log(`contacts: ${s.total} read, ${s.created} created, ${s.merged} merged, ${s.skipped} already there, ${s.invalid} invalid, ${s.failed} failed${s.resumed ? `, ${s.resumed} done by an earlier run` : ''}`)
  for (const r of report.rows.filter((r) => r.error).slice(0, 5)) console.log(`  contact row ${r.index} (${contacts[r.index]!.name}): ${r.error!.message}`)
  console.log(`deals: ${deals.length} read, ${dryRun ? `${toCreate.length} would be created` : `${dealsCreated} created`}, ${dealDuplicates} already there${dealErrors.length ? `, ${dealErrors.length} failed` : ''}`)
  for (const e of dealErrors.slice(0, 5)) console.log(`  ${e}`)

  if (!dryRun) {
    // The same import again, planned only: everything should now be found in the target.
    const again = await target.crm.contacts.import(rows, { onDuplicate: 'merge', dryRun: true })
    console.log(`check: importing the same contacts again would create ${again.summary.created}`)
  }
} finally {
  bars.stop()
  await close()
}
