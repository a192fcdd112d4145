// A real crash: the importer runs in a child process and is killed with SIGKILL right after the
// emulated amoCRM (in this process, served over loopback HTTP) applied a create batch and before
// the child could journal its outcome. The second run must reconcile and finish, creating no one twice.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { getResponse, http } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAmoCrmEmulator, type AmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { serveHandlers } from '../../sdk/node/index.js'
import { UNIQUE_PEOPLE, VALID_ROWS } from './fixtures/rows.js'

const root = resolve(import.meta.dirname, '../..')

describe('import journal survives kill -9', () => {
  let emulator: AmoCrmEmulator
  let served: { url: string; close(): Promise<void> }
  let child: ChildProcess | null = null
  let createRequests = 0
  /** Kill the child as soon as this create request has been applied, before it sees the answer. */
  let killOnCreate = 3

  beforeEach(async () => {
    createRequests = 0
    killOnCreate = 3
    emulator = createAmoCrmEmulator({ seed: 5, size: { deals: 10, contacts: 30, companies: 5 }, latencyMs: 0, rateLimit: false })
    const killer = http.post(`${emulator.baseUrl}/api/v4/contacts`, async ({ request }) => {
      const response = await getResponse(emulator.handlers, request)
      if (++createRequests === killOnCreate && child) child.kill('SIGKILL')
      return response
    })
    served = await serveHandlers([killer, ...emulator.handlers], { rewriteOrigin: emulator.baseUrl })
  })
  afterEach(() => served?.close())

  const run = (journal: string, onDuplicate: 'merge' | 'create') =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done, fail) => {
      // node with tsx as a loader, not the tsx CLI: the CLI runs the script in a grandchild that
      // SIGKILL on the CLI would leave running.
      const p = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'test/import/fixtures/import-child.ts'], {
        cwd: root,
        env: { ...process.env, IMPORT_BASE_URL: served.url, IMPORT_TOKEN: emulator.longLivedToken, IMPORT_JOURNAL: journal, IMPORT_ON_DUPLICATE: onDuplicate },
      })
      child = p
      let stdout = '', stderr = ''
      p.stdout!.on('data', (d: Buffer) => (stdout += d))
      p.stderr!.on('data', (d: Buffer) => (stderr += d))
      p.on('error', fail)
      p.on('exit', (code, signal) => done({ code, signal, stdout, stderr }))
    })

  const phonesInCrm = () =>
    emulator.db.contacts.rows.flatMap((c) => (c.custom_fields_values ?? []).filter((f) => f.field_code === 'PHONE').flatMap((f) => f.values.map((v) => String(v.value))))

  it('merge: resumes without duplicates and imports every row', async () => {
    const journal = join(await mkdtemp(join(tmpdir(), 'crmkit-import-')), 'contacts.jsonl')
    const before = emulator.db.contacts.rows.length

    const killed = await run(journal, 'merge')
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    const afterKill = emulator.db.contacts.rows.length
    // Three batches of 40 rows (a few fold into earlier rows) reached the CRM; the third one's outcome never got journalled.
    expect(afterKill - before).toBeGreaterThan(80)
    expect(afterKill - before).toBeLessThan(UNIQUE_PEOPLE)
    const lines = (await readFile(journal, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { t: string })
    expect(lines.filter((e) => e.t === 'intent').length).toBeGreaterThan(lines.filter((e) => e.t === 'done').length)

    killOnCreate = Infinity
    const resumed = await run(journal, 'merge')
    expect(resumed.code, resumed.stderr).toBe(0)
    const summary = JSON.parse(/summary (.*)/.exec(resumed.stdout)![1]!) as Record<string, number>
    expect(summary.invalid).toBe(2)
    expect(summary.failed).toBe(0)
    expect(summary.resumed).toBeGreaterThan(80)
    expect(emulator.db.contacts.rows.length - before).toBe(UNIQUE_PEOPLE)

    // No phone of the import appears on two contacts.
    const imported = phonesInCrm().filter((p) => p.startsWith('+7921'))
    expect(imported).toHaveLength(UNIQUE_PEOPLE)
    expect(new Set(imported).size).toBe(imported.length)
    // Within-file repeats were merged into the earlier row's contact: its e-mail is there.
    const emails = emulator.db.contacts.rows.flatMap((c) => (c.custom_fields_values ?? []).filter((f) => f.field_code === 'EMAIL').flatMap((f) => f.values.map((v) => String(v.value))))
    expect(emails.filter((e) => /^client\d+@example\.com$/.test(e))).toHaveLength(30)

    // A third run finds everything done.
    const third = await run(journal, 'merge')
    expect(third.code, third.stderr).toBe(0)
    expect(JSON.parse(/summary (.*)/.exec(third.stdout)![1]!)).toMatchObject({ created: 0, merged: 0, failed: 0 })
    expect(emulator.db.contacts.rows.length - before).toBe(UNIQUE_PEOPLE)
  }, 120_000)

  // With onDuplicate 'create' a re-sent batch would visibly duplicate: only reconciliation with the
  // CRM (records with the row's keys that were not there before its intent) prevents it.
  it('create: the batch whose outcome was lost is adopted, not sent again', async () => {
    const journal = join(await mkdtemp(join(tmpdir(), 'crmkit-import-')), 'contacts.jsonl')
    const before = emulator.db.contacts.rows.length
    const killed = await run(journal, 'create')
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    const landed = emulator.db.contacts.rows.length - before
    expect(landed).toBe(120) // three batches of 40

    killOnCreate = Infinity
    const resumed = await run(journal, 'create')
    expect(resumed.code, resumed.stderr).toBe(0)
    const summary = JSON.parse(/summary (.*)/.exec(resumed.stdout)![1]!) as Record<string, number>
    expect(summary).toMatchObject({ resumed: 120, created: VALID_ROWS - 120, failed: 0, invalid: 2 })
    expect(emulator.db.contacts.rows.length - before).toBe(VALID_ROWS)
    // Only the 80 outcomes that were journalled plus the 40 adopted: the third batch was not re-sent.
    expect(createRequests).toBe(3 + Math.ceil((VALID_ROWS - 120) / 40))
  }, 120_000)
})
