import { spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const tsx = join(root, 'node_modules/.bin/tsx')

function run(args: string[], env: Record<string, string> = {}, until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string; kill(): void }> {
  return new Promise((done, fail) => {
    const child = spawn(tsx, ['--conditions=source', ...args], { cwd: root, env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    const result = (code: number | null) => ({ code, stdout, stderr, kill: () => child.kill() })
    child.stdout.on('data', (d: Buffer) => {
      stdout += d
      if (until?.test(stdout)) done(result(null))
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', fail)
    child.on('exit', (code) => done(result(code)))
  })
}

/** `npm start` on a free port with a small seeded account and its own state file; its URL and amoCRM token. */
async function startSandbox() {
  const state = join(await mkdtemp(join(tmpdir(), 'crmkit-')), 'state.json')
  const r = await run(['scripts/start.ts', '--port', '0', '--deals', '300', '--latency', '0', '--skip-build', '--state', state], {}, /sandbox ready: (\S+)/)
  return { ...r, url: /sandbox ready: (\S+)/.exec(r.stdout)![1]!, token: /AMOCRM_TOKEN=(\S+)/.exec(r.stdout)![1]! }
}

describe('examples and npm start', () => {
  it('export-deals writes every deal of the emulated account as CSV', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'crmkit-')), 'deals.csv')
    const r = await run(['examples/export-deals.ts', '--format', 'csv', '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const lines = (await readFile(out, 'utf8')).trim().split('\n')
    expect(lines[0]).toMatch(/^id,title,amount,currency,outcome/)
    expect(lines.length - 1).toBe(2000) // examples/connect.ts seeds 2,000 deals by default
    expect(r.stderr).toMatch(/Exported 2000 deals/)
  }, 120_000)

  it('export-deals reads a running sandbox through AMOCRM_BASE_URL / AMOCRM_TOKEN, as JSON lines since a date', async () => {
    const sandbox = await startSandbox()
    try {
      const { token } = sandbox
      const baseUrl = /AMOCRM_BASE_URL=(\S+)/.exec(sandbox.stdout)?.[1] ?? sandbox.url
      const since = '2026-08-01'
      const r = await run(['examples/export-deals.ts', '--format', 'jsonl', '--since', since], { AMOCRM_BASE_URL: baseUrl, AMOCRM_TOKEN: token })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toContain(`Exporting from ${baseUrl}`)
      const rows = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; updated_at: string })
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.length).toBeLessThan(300) // the seeded year starts well before August
      for (const d of rows) expect(d.updated_at >= since).toBe(true)
      expect(new Set(rows.map((d) => d.id)).size).toBe(rows.length)
    } finally {
      sandbox.kill()
    }
  }, 120_000)

  it('create-campaign sets up the lists and stores a campaign with its spend', async () => {
    const r = await run(['examples/create-campaign.ts', '--budget', '1000.50'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/budget 1000\.50 RUB/)
    expect(r.stdout).toMatch(/total spend on the campaign: 62345\.67 RUB/)
  }, 120_000)

  it('npm start serves the seeded account over HTTP for curl and the SDK', async () => {
    const r = await startSandbox()
    try {
      const { url, token } = r
      const res = await fetch(`${url}/api/v4/leads?limit=5&with=contacts`, { headers: { Authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/hal\+json/)
      const body = (await res.json()) as { _embedded: { leads: unknown[] } }
      expect(body._embedded.leads).toHaveLength(5)
      const unauthorised = await fetch(`${url}/api/v4/leads`)
      expect(unauthorised.status).toBe(401)
    } finally {
      r.kill()
    }
  }, 120_000)
})
