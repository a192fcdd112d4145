/**
 * `npm run bench:peers`: crmkit side by side with other ways of talking to each CRM, in one run,
 * against the same emulators and latency. Scenarios: full export of BENCH_ROWS deals (default
 * 100,000), incremental sync of BENCH_CHANGES changed deals (1,000), bulk create of BENCH_CREATES
 * contacts (5,000). Per run: rows/s, requests the emulator saw, rate-limit answers it gave,
 * duplicates created, and the client's peak RSS.
 *
 * Each (CRM, client, scenario) runs in a fresh child process, so peak RSS is the client's alone; the
 * emulator lives in this (parent) process and is served over loopback. The peers call fixed https
 * hosts (amocrm-js builds `https://{domain}`), so the child forwards those hosts to the loopback
 * port with msw — every client, crmkit included, takes the same path.
 *
 *   BENCH_ROWS=10000 BENCH_LATENCY_MS=50 npm run bench:peers
 */
import { spawn } from 'node:child_process'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { createCrm, type Crm } from '../sdk/index.js'
import { amocrm } from '../adapters/amocrm/index.js'
import { createAmoCrmEmulator } from '../adapters/amocrm/testing/index.js'
import { bitrix24 } from '../adapters/bitrix24/index.js'
import { createBitrix24Emulator, ENTITY } from '../adapters/bitrix24/testing/index.js'
import { creatio } from '../adapters/creatio/index.js'
import { createCreatioEmulator } from '../adapters/creatio/testing/index.js'
import { serveHandlers } from '../sdk/node/index.js'

type CrmName = 'amocrm' | 'bitrix24' | 'creatio'
type Scenario = 'export' | 'incremental' | 'create'
const SCENARIOS: Scenario[] = ['export', 'incremental', 'create']
const CLIENTS: Record<CrmName, string[]> = {
  amocrm: ['crmkit', 'amocrm-js', 'axios loop'],
  bitrix24: ['crmkit', '@bitrix24/b24jssdk', '@2bad/bitrix'],
  creatio: ['crmkit', 'fetch loop'],
}

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1_000)
const CREATES = Number(process.env.BENCH_CREATES ?? 5_000)
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 50)
/** Incremental sync runs on a smaller account: what matters is the 1,000 changed records. */
const SYNC_BASE = Math.min(ROWS, 20_000)
/** A run still going after this is stopped and reported with its rows/s so far. */
const TIMEOUT_S = Number(process.env.BENCH_PEER_TIMEOUT_S ?? 240)

/** What the child gets to reach the emulator. */
interface Target {
  origin: string
  served: string
  token?: string
  webhookUrl?: string
  user?: string
  password?: string
  root?: string
}

interface ChildResult {
  rows: number
  seconds: number
  peakRssMb: number
  note?: string
}

// ---------------------------------------------------------------------------------------------
// Parent: emulators, one child per run, the table.

interface Emulated {
  handlers: Parameters<typeof serveHandlers>[0]
  target: Omit<Target, 'served'>
  requests(): number
  limited(): number
  /** Contacts named `bench-…`, and how many distinct names they have. */
  benchContacts(): { total: number; distinct: number }
  /** A crmkit client for the parent's own setup work, over the served URL. */
  client(served: string): Crm
}

function emulate(crm: CrmName, deals: number): Emulated {
  const latencyMs = { min: LATENCY * 0.8, max: LATENCY * 1.2 }
  const count = (names: string[]) => {
    const bench = names.filter((n) => n.startsWith('bench-'))
    return { total: bench.length, distinct: new Set(bench).size }
  }
  if (crm === 'amocrm') {
    const e = createAmoCrmEmulator({ seed: 1, size: { deals, contacts: 200, companies: 20 }, latencyMs })
    return {
      handlers: e.handlers,
      target: { origin: e.baseUrl, token: e.longLivedToken },
      requests: () => e.log.length,
      limited: () => e.stats.rateLimited,
      benchContacts: () => count(e.db.contacts.rows.map((c) => c.name)),
      client: (served) => createCrm(amocrm({ baseUrl: served, auth: { kind: 'long-lived-token', token: e.longLivedToken } })),
    }
  }
  if (crm === 'bitrix24') {
    const e = createBitrix24Emulator({ seed: 1, size: { deals, leads: 20, contacts: 200, companies: 20 }, latencyMs })
    return {
      handlers: e.handlers,
      target: { origin: e.baseUrl, webhookUrl: e.webhookUrl },
      requests: () => e.stats.requests,
      limited: () => e.stats.rateLimited + e.stats.operatingLimited,
      benchContacts: () => count([...e.db.table(ENTITY.contact).values()].map((c) => `${c.name ?? ''}`)),
      client: (served) => createCrm(bitrix24({ auth: { kind: 'webhook', url: e.webhookUrl.replace(e.baseUrl, served) } })),
    }
  }
  const e = createCreatioEmulator({ seed: 1, size: { deals, leads: 20, contacts: 200, accounts: 20 }, latencyMs })
  return {
    handlers: e.handlers,
    target: { origin: e.siteUrl, user: e.credentials.userName, password: e.credentials.password, root: e.root },
    requests: () => e.log.length,
    limited: () => e.stats.rateLimited,
    benchContacts: () => count(e.db.rows('Contact').map((r) => String(r['Name'] ?? ''))),
    client: (served) => createCrm(creatio({ siteUrl: served, auth: { kind: 'cookie', ...e.credentials } })),
  }
}

function runChild(crm: CrmName, client: string, scenario: Scenario, target: Target, extra: Record<string, string>): Promise<ChildResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', resolve(import.meta.dirname, 'peers.ts'), '--child'], {
      env: { ...process.env, ...extra, PEER_CRM: crm, PEER_CLIENT: client, PEER_SCENARIO: scenario, PEER_TARGET: JSON.stringify(target) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    const t0 = performance.now()
    let last = { rows: 0, seconds: 0 }
    child.stdout.on('data', (d: Buffer) => {
      out += d
      const m = /PROGRESS (\d+) ([\d.]+)\n(?![\s\S]*PROGRESS)/.exec(out)
      if (m) last = { rows: Number(m[1]), seconds: Number(m[2]) }
    })
    child.stderr.on('data', (d: Buffer) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_S * 1000)
    child.on('exit', (_, signal) => {
      clearTimeout(timer)
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (line) done(JSON.parse(line.slice(7)) as ChildResult)
      else if (signal === 'SIGKILL') done({ ...last, peakRssMb: 0, note: `stopped after ${Math.round((performance.now() - t0) / 1000)} s with ${last.rows} rows` })
      else done({ rows: 0, seconds: 0, peakRssMb: 0, note: `failed: ${(err.trim().split('\n').find((l) => /Error/.test(l)) ?? err.trim().split('\n').pop() ?? 'no output').slice(0, 120)}` })
    })
  })
}

interface TableRow {
  crm: string
  scenario: string
  client: string
  rows: string
  'rows/s': string
  requests: string
  'rate-limited': string
  duplicates: string
  'peak RSS MB': string
}

async function parent(): Promise<void> {
  const only = process.env.BENCH_CRMS?.split(',') as CrmName[] | undefined
  const table: TableRow[] = []
  console.log(`peers: ${ROWS} rows export, ${CHANGES} changes sync (on ${SYNC_BASE}), ${CREATES} creates; latency ~${LATENCY} ms; node ${process.versions.node}; ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`)
  for (const crm of (['amocrm', 'bitrix24', 'creatio'] as CrmName[]).filter((c) => !only || only.includes(c))) {
    for (const scenario of SCENARIOS) {
      for (const client of CLIENTS[crm]) {
        const emu = emulate(crm, scenario === 'export' ? ROWS : scenario === 'incremental' ? SYNC_BASE : 50)
        const served = await serveHandlers(emu.handlers, { rewriteOrigin: emu.target.origin })
        const extra: Record<string, string> = {}
        try {
          if (scenario === 'incremental') {
            // The changes: CHANGES deals updated through the API after `since`.
            const setup = emu.client(served.url)
            const ids: string[] = []
            for await (const page of setup.deals.list({ pageSize: crm === 'amocrm' ? 250 : undefined }).pages()) {
              ids.push(...page.map((d) => d.id))
              if (ids.length >= CHANGES * 3) break
            }
            await new Promise((r) => setTimeout(r, 1_100)) // amoCRM timestamps have 1 s resolution
            extra.PEER_SINCE = new Date().toISOString()
            await new Promise((r) => setTimeout(r, 1_100))
            const picked = ids.filter((_, i) => i % 3 === 0).slice(0, CHANGES)
            const outcomes = await setup.deals.updateMany(picked.map((id) => ({ id, patch: { title: `changed ${id}` } })))
            if (outcomes.some((o) => !o.ok)) throw new Error('could not prepare the changes')
            await setup.close()
          }
          extra.PEER_N = String(scenario === 'export' ? ROWS : scenario === 'incremental' ? CHANGES : CREATES)
          const [requests0, limited0] = [emu.requests(), emu.limited()]
          process.stderr.write(`${crm} ${scenario} ${client} … `)
          const r = await runChild(crm, client, scenario, { ...emu.target, served: served.url }, extra)
          process.stderr.write(`${r.note ?? `${r.rows} rows in ${r.seconds.toFixed(1)} s`}\n`)
          const expected = Number(extra.PEER_N)
          if (!r.note && r.rows !== expected) r.note = `${r.rows} of ${expected}`
          const dup = emu.benchContacts()
          // A create run that failed part-way still wrote what it wrote.
          if (scenario === 'create' && r.note?.startsWith('failed')) r.note = `${dup.total} created, then ${r.note}`
          table.push({
            crm,
            scenario,
            client,
            rows: r.note ?? String(r.rows),
            'rows/s': r.seconds ? String(Math.round(r.rows / r.seconds)) : 'n/a',
            requests: String(emu.requests() - requests0),
            'rate-limited': String(emu.limited() - limited0),
            duplicates: scenario === 'create' ? String(dup.total - dup.distinct) : '–',
            'peak RSS MB': r.peakRssMb ? r.peakRssMb.toFixed(0) : 'n/a',
          })
          console.log(`ROW ${JSON.stringify(table[table.length - 1])}`) // usable even if the run is cut short
        } finally {
          await served.close()
        }
      }
    }
  }
  console.table(table)
  console.log('\nMarkdown:\n')
  const cols = Object.keys(table[0] ?? {}) as (keyof TableRow)[]
  console.log(`| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|`)
  for (const row of table) console.log(`| ${cols.map((c) => row[c].replace(/\|/g, '/')).join(' | ')} |`)
}

// ---------------------------------------------------------------------------------------------
// Child: one client, one scenario.

let progressT0 = 0
let progressAt = 0
/** Lets the parent report rows/s so far if it has to stop a slow run. */
function progress(rows: number): void {
  const now = performance.now()
  if (now - progressAt < 1_000) return
  progressAt = now
  console.log(`PROGRESS ${rows} ${((now - progressT0) / 1000).toFixed(2)}`)
}

async function child(): Promise<void> {
  const crm = process.env.PEER_CRM as CrmName
  const client = process.env.PEER_CLIENT!
  const scenario = process.env.PEER_SCENARIO as Scenario
  const target = JSON.parse(process.env.PEER_TARGET!) as Target
  const n = Number(process.env.PEER_N)
  const since = process.env.PEER_SINCE ? new Date(process.env.PEER_SINCE) : null

  // Forward the CRM's https host to the parent's loopback server, for every client alike.
  const { http, passthrough } = await import('msw')
  const { setupServer } = await import('msw/node')
  const forward = http.all(`${target.origin}/*`, async ({ request }) => {
    const url = new URL(request.url)
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
    // Framing headers belong to the original socket; fetch sets its own.
    const headers = new Headers(request.headers)
    for (const h of ['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']) headers.delete(h)
    const res = await fetch(`${target.served}${url.pathname}${url.search}`, { method: request.method, headers, body, redirect: 'manual' })
    return new Response(res.status === 204 ? null : await res.arrayBuffer(), { status: res.status, headers: res.headers })
  })
  const server = setupServer(forward, http.all('*', () => passthrough()))
  server.listen({ onUnhandledRequest: 'bypass' })

  const names = Array.from({ length: n }, (_, i) => `bench-${i}`)
  const t0 = performance.now()
  progressT0 = t0
  let rows = 0
  let note: string | undefined
  try {
    rows = await runClient(crm, client, scenario, target, { n, since, names })
  } catch (e) {
    // One line: the note is a table cell (a peer's message may span lines, e.g. @2bad/bitrix's batch errors).
    note = `failed: ${(e as Error).message.replace(/\s+/g, ' ').trim().slice(0, 100)}`
  }
  const seconds = (performance.now() - t0) / 1000
  server.close()
  // ru_maxrss: the process's peak resident set, in KB on Linux.
  console.log(`RESULT ${JSON.stringify({ rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, ...(note ? { note } : {}) })}`)
  process.exit(0)
}

const NA = (why: string) => {
  throw new Error(`n/a (${why})`)
}

async function runClient(crm: CrmName, client: string, scenario: Scenario, t: Target, o: { n: number; since: Date | null; names: string[] }): Promise<number> {
  if (client === 'crmkit') {
    const c =
      crm === 'amocrm'
        ? createCrm(amocrm({ baseUrl: t.origin, auth: { kind: 'long-lived-token', token: t.token! } }))
        : crm === 'bitrix24'
          ? createCrm(bitrix24({ auth: { kind: 'webhook', url: t.webhookUrl! } }))
          : createCrm(creatio({ siteUrl: t.origin, auth: { kind: 'cookie', userName: t.user!, password: t.password! } }))
    try {
      if (scenario === 'create') {
        // The de-duplicating import: safe to re-run after a crash, never creates twice.
        const r = await c.contacts.import(o.names.map((name) => ({ name })), { match: ['name'], onDuplicate: 'skip', onProgress: (p) => p.phase === 'write' && progress(p.done) })
        return r.summary.created
      }
      let rows = 0
      for await (const page of c.deals.list(o.since ? { updatedSince: o.since } : {}).pages()) progress((rows += page.length))
      return rows
    } finally {
      await c.close()
    }
  }
  if (client === 'amocrm-js') {
    const { Client } = await import('amocrm-js')
    const amo = new Client({ domain: new URL(t.origin).host, auth: { client_id: 'x', client_secret: 'x', redirect_uri: 'https://example.com', bearer: t.token! } })
    if (scenario === 'create') {
      let created = 0
      for (let i = 0; i < o.names.length; i += 250) {
        const res = await amo.request.post<{ _embedded?: { contacts?: unknown[] } }>('/api/v4/contacts', o.names.slice(i, i + 250).map((name) => ({ name })))
        progress((created += res.data?._embedded?.contacts?.length ?? 0))
      }
      return created
    }
    let rows = 0
    for (let page = 1; ; page++) {
      const q: Record<string, unknown> = { page, limit: 250 }
      if (o.since) q.filter = { updated_at: { from: Math.floor(o.since.getTime() / 1000) } }
      const res = await amo.request.get<{ _embedded?: { leads?: unknown[] }; _links?: { next?: unknown } }>('/api/v4/leads', q)
      const got = res.data?._embedded?.leads?.length ?? 0
      progress((rows += got))
      if (!got || !res.data?._links?.next) return rows
    }
  }
  if (client === 'axios loop') {
    // What a script written by hand typically does: sequential pages, a pause on 429, no limiter.
    const axios = (await import('axios')).default
    const api = axios.create({ baseURL: `${t.origin}/api/v4`, headers: { Authorization: `Bearer ${t.token}` }, validateStatus: () => true })
    const call = async (f: () => Promise<{ status: number; data: unknown }>) => {
      for (;;) {
        const res = await f()
        if (res.status === 429) await new Promise((r) => setTimeout(r, 1_000))
        else if (res.status >= 400) throw new Error(`HTTP ${res.status}`)
        else return res
      }
    }
    if (scenario === 'create') {
      let created = 0
      for (let i = 0; i < o.names.length; i += 250) {
        const res = await call(() => api.post('/contacts', o.names.slice(i, i + 250).map((name) => ({ name }))))
        progress((created += (res.data as { _embedded: { contacts: unknown[] } })._embedded.contacts.length))
      }
      return created
    }
    let rows = 0
    for (let page = 1; ; page++) {
      const params: Record<string, unknown> = { page, limit: 250 }
      if (o.since) params['filter[updated_at][from]'] = Math.floor(o.since.getTime() / 1000)
      const res = await call(() => api.get('/leads', { params }))
      if (res.status === 204) return rows
      const got = (res.data as { _embedded: { leads: unknown[] } })._embedded.leads.length
      progress((rows += got))
      if (got < 250) return rows
    }
  }
  if (client === '@bitrix24/b24jssdk') {
    const sdk = await import('@bitrix24/b24jssdk')
    const b24 = sdk.B24Hook.fromWebhookUrl(t.webhookUrl!)
    if (scenario === 'create') {
      const res = await b24.actions.v2.batchByChunk.make({ calls: o.names.map((name) => ['crm.item.add', { entityTypeId: 3, fields: { name } }]), options: { isHaltOnError: false } })
      return (res.getData() as unknown[]).length
    }
    let rows = 0
    const gen = b24.actions.v2.fetchList.make<{ id: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: 2, select: ['*', 'UF_*'], ...(o.since ? { filter: { '>=updatedTime': o.since.toISOString() } } : {}) },
      idKey: 'id',
      customKeyForResult: 'items',
    })
    for await (const chunk of gen) progress((rows += chunk.length))
    return rows
  }
  if (client === '@2bad/bitrix') {
    const { Bitrix } = await import('@2bad/bitrix')
    const bx = Bitrix(t.webhookUrl!.replace(/\/$/, ''))
    if (scenario === 'create') {
      const cmds = Object.fromEntries(o.names.map((name, i) => [`c${i}`, { method: 'crm.item.add', params: { entityTypeId: 3, fields: { name } } }]))
      const res = await bx.batch(cmds as never)
      const ok = (res as unknown as { result: { result: Record<string, unknown> | unknown[] } }).result.result
      return Object.keys(ok ?? {}).length
    }
    const res = await bx.deals.list({ select: ['*'], ...(o.since ? { filter: { '>=DATE_MODIFY': o.since.toISOString() } } : {}) } as never)
    return (res as unknown as { result: unknown[] }).result.length
  }
  if (client === 'fetch loop') {
    // Forms login, then OData pages with $top/$skip and one POST per created record.
    const login = await fetch(`${t.origin}/ServiceModel/AuthService.svc/Login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ UserName: t.user, UserPassword: t.password }) })
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const csrf = /BPMCSRF=([^;]+)/.exec(cookies)?.[1] ?? ''
    const headers = { Cookie: cookies, BPMCSRF: csrf, Accept: 'application/json', 'Content-Type': 'application/json', ForceUseSession: 'true' }
    if (scenario === 'create') {
      let created = 0
      for (const name of o.names) {
        const res = await fetch(`${t.origin}${t.root}/Contact`, { method: 'POST', headers, body: JSON.stringify({ Name: name }) })
        if (res.status === 201) progress(++created)
        else await res.arrayBuffer()
      }
      return created
    }
    let rows = 0
    const filter = o.since ? `&$filter=ModifiedOn ge ${o.since.toISOString()}` : ''
    for (let skip = 0; ; skip += 1000) {
      const res = await fetch(`${t.origin}${t.root}/Opportunity?$top=1000&$skip=${skip}&$orderby=Id${filter}`, { headers })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      const got = ((await res.json()) as { value: unknown[] }).value.length
      progress((rows += got))
      if (got < 1000) return rows
    }
  }
  return NA(`no ${client} for ${crm}`)
}

if (process.argv.includes('--child')) await child()
else await parent()
