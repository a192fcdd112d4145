// A real crash, on each CRM: the importer runs in a child process and is killed with SIGKILL right
// after the emulated CRM (in this process, served over loopback HTTP) applied a create batch and
// before the child could journal its outcome. The second run must reconcile and finish, creating
// no one twice. amoCRM creates with POST /contacts, Bitrix24 through `batch`, Creatio through `$batch`.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { getResponse, http, type RequestHandler } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { createBitrix24Emulator, ENTITY } from '../../adapters/bitrix24/testing/index.js'
import { createCreatioEmulator } from '../../adapters/creatio/testing/index.js'
import { serveHandlers } from '../../sdk/node/index.js'
import { connect, type ImportTarget } from './fixtures/connect.js'
import { UNIQUE_PEOPLE, VALID_ROWS } from './fixtures/rows.js'

const root = resolve(import.meta.dirname, '../..')

interface Emulated {
  handlers: readonly RequestHandler[]
  origin: string
  /** Whether the request carries the importer's contact creates (read from a clone). */
  isCreate(request: Request): Promise<boolean>
  contacts(): number
  /** How to reach it once served at `url`. */
  target(url: string): ImportTarget
}

const pathOf = (r: Request) => new URL(r.url).pathname

const CRMS: { name: string; start(): Emulated }[] = [
  {
    name: 'amoCRM',
    start() {
      const e = createAmoCrmEmulator({ seed: 5, size: { deals: 10, contacts: 30, companies: 5 }, latencyMs: 0, rateLimit: false })
      return {
        handlers: e.handlers,
        origin: e.baseUrl,
        isCreate: async (r) => r.method === 'POST' && pathOf(r) === '/api/v4/contacts',
        contacts: () => e.db.contacts.rows.length,
        target: (url) => ({ crm: 'amocrm', baseUrl: url, token: e.longLivedToken }),
      }
    },
  },
  {
    name: 'Bitrix24',
    start() {
      const e = createBitrix24Emulator({ seed: 5, size: { deals: 10, leads: 5, contacts: 30, companies: 5 }, latencyMs: 0, rateLimit: false })
      return {
        handlers: e.handlers,
        origin: e.baseUrl,
        // Writes go as one `batch` of crm.item.add commands; reads use `batch` too, so look inside.
        isCreate: async (r) => r.method === 'POST' && /\/(batch|crm\.item\.add)(\.json)?$/.test(pathOf(r)) && (await r.text()).includes('crm.item.add'),
        contacts: () => e.db.table(ENTITY.contact).size,
        target: (url) => ({ crm: 'bitrix24', webhookUrl: `${url}${new URL(e.webhookUrl).pathname}` }),
      }
    },
  },
  {
    name: 'Creatio',
    start() {
      const e = createCreatioEmulator({ seed: 5, size: { deals: 10, leads: 5, contacts: 30, accounts: 5 }, latencyMs: 0, rateLimit: false })
      return {
        handlers: e.handlers,
        origin: e.siteUrl,
        // Writes go as a JSON `$batch` of POSTs (dictionaries are read by a `$batch` of GETs).
        isCreate: async (r) => {
          if (r.method !== 'POST') return false
          if (pathOf(r).endsWith('/Contact')) return true
          if (!pathOf(r).endsWith('/$batch')) return false
          const body = (await r.json()) as { requests?: { method: string; url: string }[] }
          return !!body.requests?.some((q) => q.method === 'POST' && q.url.startsWith('Contact'))
        },
        contacts: () => e.db.rows('Contact').length,
        target: (url) => ({ crm: 'creatio', siteUrl: url, userName: e.credentials.userName, password: e.credentials.password }),
      }
    },
  },
]

describe.each(CRMS)('import journal survives kill -9: $name', ({ start }) => {
  let emulator: Emulated
  let target: ImportTarget
  let served: { url: string; close(): Promise<void> }
  let child: ChildProcess | null = null
  let createRequests = 0
  /** Kill the child as soon as this create request has been applied, before it sees the answer. */
  let killOnCreate = 3

  beforeEach(async () => {
    createRequests = 0
    killOnCreate = 3
    emulator = start()
    const killer = http.all('*', async ({ request }) => {
      if (!(await emulator.isCreate(request.clone()))) return undefined
      const response = await getResponse([...emulator.handlers], request)
      if (++createRequests === killOnCreate && child) child.kill('SIGKILL')
      return response
    })
    served = await serveHandlers([killer, ...emulator.handlers], { rewriteOrigin: emulator.origin })
    target = emulator.target(served.url)
  })
  afterEach(() => served?.close())

  const run = (journal: string, onDuplicate: 'merge' | 'create') =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done, fail) => {
      // node with tsx as a loader, not the tsx CLI: the CLI runs the script in a grandchild that
      // SIGKILL on the CLI would leave running.
      const p = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'test/import/fixtures/import-child.ts'], {
        cwd: root,
        env: { ...process.env, IMPORT_TARGET: JSON.stringify(target), IMPORT_JOURNAL: journal, IMPORT_ON_DUPLICATE: onDuplicate },
      })
      child = p
      let stdout = '', stderr = ''
      p.stdout!.on('data', (d: Buffer) => (stdout += d))
      p.stderr!.on('data', (d: Buffer) => (stderr += d))
      p.on('error', fail)
      p.on('exit', (code, signal) => done({ code, signal, stdout, stderr }))
    })
  const summaryOf = (stdout: string) => JSON.parse(/summary (.*)/.exec(stdout)![1]!) as Record<string, number>

  /** The CRM's contacts as crmkit reads them (through the same loopback server). */
  async function stored() {
    const crm = connect(target)
    try {
      return await crm.contacts.list().toArray(10_000)
    } finally {
      await crm.close()
    }
  }

  it('merge: resumes without duplicates and imports every row', async () => {
    const journal = join(await mkdtemp(join(tmpdir(), 'crmkit-import-')), 'contacts.jsonl')
    const before = emulator.contacts()

    const killed = await run(journal, 'merge')
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    const afterKill = emulator.contacts()
    // Three batches of 40 rows (a few fold into earlier rows) reached the CRM; the third one's outcome never got journalled.
    expect(afterKill - before).toBeGreaterThan(80)
    expect(afterKill - before).toBeLessThan(UNIQUE_PEOPLE)
    const lines = (await readFile(journal, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { t: string })
    expect(lines.filter((e) => e.t === 'intent').length).toBeGreaterThan(lines.filter((e) => e.t === 'done').length)

    killOnCreate = Infinity
    const resumed = await run(journal, 'merge')
    expect(resumed.code, resumed.stderr).toBe(0)
    const summary = summaryOf(resumed.stdout)
    expect(summary.invalid).toBe(2)
    expect(summary.failed).toBe(0)
    expect(summary.resumed).toBeGreaterThan(80)
    expect(emulator.contacts() - before).toBe(UNIQUE_PEOPLE)

    const contacts = await stored()
    // No phone of the import appears on two contacts.
    const imported = contacts.flatMap((c) => c.phones).filter((p) => p.startsWith('+7921'))
    expect(imported).toHaveLength(UNIQUE_PEOPLE)
    expect(new Set(imported).size).toBe(imported.length)
    // Within-file repeats were merged into the earlier row's contact: its e-mail is there.
    expect(contacts.flatMap((c) => c.emails).filter((e) => /^client\d+@example\.com$/.test(e))).toHaveLength(30)

    // A third run finds everything done.
    const third = await run(journal, 'merge')
    expect(third.code, third.stderr).toBe(0)
    expect(summaryOf(third.stdout)).toMatchObject({ created: 0, merged: 0, failed: 0 })
    expect(emulator.contacts() - before).toBe(UNIQUE_PEOPLE)
  }, 120_000)

  // With onDuplicate 'create' a re-sent batch would visibly duplicate: only reconciliation with the
  // CRM (records with the row's keys that were not there before its intent) prevents it.
  it('create: the batch whose outcome was lost is adopted, not sent again', async () => {
    const journal = join(await mkdtemp(join(tmpdir(), 'crmkit-import-')), 'contacts.jsonl')
    const before = emulator.contacts()
    const killed = await run(journal, 'create')
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    const landed = emulator.contacts() - before
    expect(landed).toBe(120) // three batches of 40

    killOnCreate = Infinity
    const resumed = await run(journal, 'create')
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(summaryOf(resumed.stdout)).toMatchObject({ resumed: 120, created: VALID_ROWS - 120, failed: 0, invalid: 2 })
    expect(emulator.contacts() - before).toBe(VALID_ROWS)
    // Only the 80 outcomes that were journalled plus the 40 adopted: the third batch was not re-sent.
    expect(createRequests).toBe(3 + Math.ceil((VALID_ROWS - 120) / 40))
  }, 120_000)
})
