// The import-related examples, run as a developer would: `tsx examples/….ts`. copy-crm runs
// against emulators this test serves over loopback HTTP (the "running sandbox / real account"
// path, through environment variables), so the test can look at what landed in the target.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { createBitrix24Emulator, ENTITY } from '../../adapters/bitrix24/testing/index.js'
import { serveHandlers } from '../../sdk/node/index.js'

const root = resolve(import.meta.dirname, '../..')
const tsx = join(root, 'node_modules/.bin/tsx')

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    // No CRM credentials from the developer's shell leak into the emulated runs.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AMOCRM|BITRIX24|CREATIO)_/.test(k)))
    const child = spawn(tsx, ['--conditions=source', ...args], { cwd: root, env: { ...clean, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', fail)
    child.on('exit', (code) => done({ code, stdout, stderr }))
  })
}

describe('import examples', () => {
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const c of closers.splice(0)) await c()
  })

  it('copy-crm copies amoCRM contacts and deals into Bitrix24 once: a second run finds everything there', async () => {
    const amo = createAmoCrmEmulator({ seed: 21, size: { deals: 120, contacts: 80, companies: 5 }, latencyMs: 0, rateLimit: false })
    const b24 = createBitrix24Emulator({ seed: 22, size: { deals: 10, leads: 5, contacts: 15, companies: 3 }, latencyMs: 0, rateLimit: false })
    const amoServed = await serveHandlers(amo.handlers, { rewriteOrigin: amo.baseUrl })
    const b24Served = await serveHandlers(b24.handlers, { rewriteOrigin: b24.baseUrl })
    closers.push(amoServed.close, b24Served.close)
    const env = {
      AMOCRM_BASE_URL: amoServed.url,
      AMOCRM_TOKEN: amo.longLivedToken,
      BITRIX24_WEBHOOK_URL: `${b24Served.url}${new URL(b24.webhookUrl).pathname}`,
    }
    const contacts = () => b24.db.table(ENTITY.contact).size
    const deals = () => b24.db.table(ENTITY.deal).size
    const [contactsBefore, dealsBefore] = [contacts(), deals()]
    const sourceContacts = amo.db.contacts.rows.length

    const first = await run(['examples/copy-crm.ts'], env)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(new RegExp(`contacts: ${sourceContacts} read, ${sourceContacts} created, 0 merged, 0 already there, 0 invalid, 0 failed`))
    expect(first.stdout).toMatch(/deals: 120 read, 120 created, 0 already there/)
    expect(first.stdout).toMatch(/importing the same contacts again would create 0/)
    expect(contacts() - contactsBefore).toBe(sourceContacts)
    expect(deals() - dealsBefore).toBe(120)
    // Deals keep their links: every copied deal with a contact points at a contact of the target.
    const copied = [...b24.db.table(ENTITY.deal).values()].slice(-120)
    expect(copied.filter((d) => Number(d.contactId) > 0).every((d) => b24.db.table(ENTITY.contact).has(Number(d.contactId)))).toBe(true)
    expect(first.stderr).toMatch(/import contacts/) // the progress bars

    const second = await run(['examples/copy-crm.ts'], env)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toMatch(new RegExp(`contacts: ${sourceContacts} read, 0 created, 0 merged, ${sourceContacts} already there`))
    expect(second.stdout).toMatch(/deals: 120 read, 0 created, 120 already there/)
    expect(contacts() - contactsBefore).toBe(sourceContacts)
    expect(deals() - dealsBefore).toBe(120)
  }, 180_000)

  it('copy-crm between two embedded emulators finds and merges the people the target already has', async () => {
    const r = await run(['examples/copy-crm.ts', '--from', 'amocrm', '--to', 'creatio', '--contacts', '60', '--deals', '40'])
    expect(r.code, r.stderr).toBe(0)
    const m = /contacts: (\d+) read, (\d+) created, (\d+) merged, (\d+) already there, 0 invalid, 0 failed/.exec(r.stdout)
    expect(m, r.stdout).not.toBeNull()
    const [read, created, merged, there] = m!.slice(1).map(Number) as [number, number, number, number]
    expect(merged + there).toBe(20) // the 20 people the example gives the target first
    expect(created + merged + there).toBe(read)
    expect(r.stdout).toMatch(/importing the same contacts again would create 0/)
  }, 180_000)

  it('import-spend-csv imports the Yandex Direct sample, reports bad lines, and would add nothing a second time', async () => {
    const r = await run(['examples/import-spend-csv.ts'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/columns: date = "Дата", campaign = "Кампания", cost = "Расход, руб\."/)
    expect(r.stdout).toMatch(/64 rows: 62 imported \(92007\.03 RUB\), 0 already in the CRM, 2 with errors/)
    expect(r.stdout).toMatch(/line 21: cost: .*двести/)
    expect(r.stdout).toMatch(/line 41: campaign: .*old_campaign_2025/)
    expect(r.stdout).toMatch(/importing the same file again would add 0 rows/)
    expect(r.stderr).toMatch(/spend rows/)
  }, 120_000)

  it('attribution-report prints a table whose rows add up to the total, for any model', async () => {
    const r = await run(['examples/attribution-report.ts', '--model', 'position-based', '--group', 'channel'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Attribution: position-based, by channel, .* 2000 deals/)
    const lines = r.stdout.split('\n')
    const start = lines.findIndex((l) => l.startsWith('─'))
    const end = lines.findIndex((l, i) => i > start && l.startsWith('─'))
    const rows = lines.slice(start + 1, end).map((l) => l.trim().split(/\s{2,}/))
    const total = lines[end + 1]!.trim().split(/\s{2,}/)
    expect(total[0]).toBe('total')
    expect(rows.length).toBeGreaterThan(3)
    // Deals (column 2) are whole conversions credited across groups: they sum to the total.
    const sum = rows.reduce((s, r) => s + Number(r[2]), 0)
    expect(sum).toBeCloseTo(Number(total[2]), 0)
    expect(rows.find((r) => r[0] === 'paid-search')![5]).not.toBe('0') // the sample spend is there

    const bad = await run(['examples/attribution-report.ts', '--model', 'magic'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/--model must be one of .*markov/)
  }, 120_000)
})
