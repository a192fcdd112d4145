// The emulated Creatio site for bench/creatio.ts, in its own process and reached over loopback
// HTTP, as a real site is on another machine: its CPU work (filtering, serialising pages) is then not
// charged to the client being measured. Prints one JSON line with the URL and credentials, and
// answers `GET /__bench/log?from=N` with the OData requests it received since N — method, path,
// body and the headers that change their meaning — so the plain loop can replay them exactly.
import { http } from 'msw'
import { createCreatioEmulator } from '../adapters/creatio/testing/index.js'
import { serveHandlers } from '../sdk/node/serve-handlers.js'

export interface BenchRequest {
  method: string
  path: string
  body: string | null
  headers: Record<string, string>
}

const leads = Number(process.env.BENCH_LEADS ?? 100_000)
const latency = Number(process.env.BENCH_LATENCY_MS ?? 150)
const emulator = createCreatioEmulator({ seed: 1, size: { leads, deals: 10, contacts: 50, accounts: 10 }, latencyMs: { min: latency * 0.8, max: latency * 1.2 } })
const log: BenchRequest[] = []
// Records and falls through (no response) to the emulator's own handlers. The emulator's log has
// paths only, and the SDK's dictionary `$batch` is a POST whose work is in its body.
const recorder = http.all(`${emulator.siteUrl}${emulator.root}/*`, async ({ request }) => {
  const u = new URL(request.url)
  const headers: Record<string, string> = {}
  for (const name of ['content-type', 'prefer', 'accept']) {
    const v = request.headers.get(name)
    if (v !== null) headers[name] = v
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.clone().text()
  log.push({ method: request.method, path: `${u.pathname}${u.search}`, body, headers })
})
const served = await serveHandlers([recorder, ...emulator.handlers], {
  rewriteOrigin: emulator.siteUrl,
  before: async (req, res) => {
    if (!req.url?.startsWith('/__bench/log')) return false
    const from = Number(new URL(req.url, 'http://x').searchParams.get('from') ?? 0)
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ length: log.length, requests: log.slice(from) }))
    return true
  },
})
process.stdout.write(`${JSON.stringify({ url: served.url, credentials: emulator.credentials })}\n`)
process.on('SIGTERM', () => void served.close().then(() => process.exit(0)))
