import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { createCrm } from '../sdk/index.js'
import { creatio } from '../adapters/creatio/index.js'
import { mapConcurrent } from '../sdk/batch.js'
import type { BenchRequest } from './creatio-site.js'

/**
 * Export of N leads from the emulated site (~150 ms latency) through the SDK, against a plain
 * `fetch` loop replaying exactly the same requests (same methods, URLs and bodies, same concurrency,
 * same session) in the same run, one page at a time and 4 in flight. The site runs in its own
 * process over loopback HTTP (bench/creatio-site.ts), as a real one is remote, so only the clients'
 * own work is compared. The politeness default (10 requests/s) is lifted to 1000/s (no pacing, like
 * the loop) so the comparison measures the SDK's own overhead (limiter, validation, mapping), not
 * the pacing.
 */
export async function run(): Promise<void> {
  const leads = Number(process.env.BENCH_LEADS ?? process.env.BENCH_DEALS ?? 100_000)
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 150)
  const pageSize = Number(process.env.BENCH_PAGE_SIZE ?? 1000)
  const modes = (process.env.BENCH_CONCURRENCY ?? '1,4').split(',').map(Number)

  const t0 = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', new URL('./creatio-site.ts', import.meta.url).pathname], {
    env: { ...process.env, BENCH_LEADS: String(leads), BENCH_LATENCY_MS: String(latency) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  const site = JSON.parse(line) as { url: string; credentials: { userName: string; password: string } }
  console.log(`\nCreatio emulator (own process): seeded ${leads} leads in ${Math.round(performance.now() - t0)} ms`)
  const served = async (from: number) => (await (await fetch(`${site.url}/__bench/log?from=${from}`)).json()) as { length: number; requests: BenchRequest[] }

  try {
    // The plain loop's session, logged in once (outside the timing).
    const login = await fetch(`${site.url}/ServiceModel/AuthService.svc/Login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ UserName: site.credentials.userName, UserPassword: site.credentials.password }),
    })
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!)
    const headers = { Cookie: cookies.join('; '), BPMCSRF: cookies.find((c) => c.startsWith('BPMCSRF='))!.slice(8), Accept: 'application/json', ForceUseSession: 'true' }

    const sdkRun = async (concurrency: number) => {
      const crm = createCrm(creatio({ siteUrl: site.url, auth: { kind: 'cookie', ...site.credentials } }), {
        pageSize,
        rateLimit: { requestsPerSecond: 1000, maxConcurrent: concurrency },
      })
      const from = (await served(0)).length
      const start = performance.now()
      let rows = 0
      for await (const page of crm.leads.list().pages()) rows += page.length
      const ms = performance.now() - start
      await crm.close()
      const requests = (await served(from)).requests
      return { rows, ms, requests }
    }
    const fetchRun = async (requests: BenchRequest[], concurrency: number) => {
      const start = performance.now()
      let rows = 0
      // Same requests (method, body, Prefer/Content-Type: the dictionary `$batch` is a POST), same
      // concurrency: the metadata first, then the rest.
      const send = async (r: BenchRequest) => {
        const res = await fetch(`${site.url}${r.path}`, { method: r.method, headers: { ...headers, ...r.headers }, ...(r.body !== null ? { body: r.body } : {}) })
        if (!res.ok) throw new Error(`replayed ${r.method} ${r.path} answered ${res.status}`)
        return res
      }
      const [meta, ...rest] = requests
      await (await send(meta!)).text()
      await mapConcurrent(rest, concurrency, async (r) => {
        const body = (await (await send(r)).json()) as { value?: unknown[] }
        if (r.method === 'GET' && r.path.includes('/Lead?')) rows += body.value?.length ?? 0
      })
      return { rows, ms: performance.now() - start }
    }

    const table: Record<string, Record<string, string | number>> = {}
    for (const concurrency of modes) {
      const sdk1 = await sdkRun(concurrency)
      const plain1 = await fetchRun(sdk1.requests, concurrency)
      const sdk2 = await sdkRun(concurrency)
      const plain2 = await fetchRun(sdk2.requests, concurrency)
      const sdk = sdk1.ms <= sdk2.ms ? sdk1 : sdk2
      const plain = plain1.ms <= plain2.ms ? plain1 : plain2
      if (sdk.rows !== leads || plain.rows !== leads) throw new Error(`exported ${sdk.rows} / ${plain.rows} of ${leads} leads`)
      const overhead = sdk.ms / plain.ms - 1
      table[`${concurrency} in flight`] = {
        'SDK rows/s': Math.round(sdk.rows / (sdk.ms / 1000)),
        'fetch rows/s': Math.round(plain.rows / (plain.ms / 1000)),
        'SDK s': (sdk.ms / 1000).toFixed(2),
        'fetch s': (plain.ms / 1000).toFixed(2),
        requests: sdk.requests.length,
        'overhead (target ≤ 10 %)': `${(overhead * 100).toFixed(1)} %`,
        verdict: overhead <= 0.1 ? 'meets target' : 'MISSES target',
      }
    }
    console.log(`Creatio: export of ${leads} leads, ${pageSize}-row pages, ~${latency} ms latency, SDK vs plain fetch replaying the same requests (best of 2)`)
    console.table(table)
  } finally {
    child.kill('SIGTERM')
  }
}
