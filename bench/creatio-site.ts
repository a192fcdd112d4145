// The emulated Creatio site for bench/creatio.ts, in its own process and reached over loopback
// HTTP, as a real site is on another machine: its CPU work (filtering, serialising pages) is then not
// charged to the client being measured. Prints one JSON line with the URL and credentials, and
// answers `GET /__bench/log?from=N` with the paths it served since N (to replay them exactly).
import { createCreatioEmulator } from '../adapters/creatio/testing/index.js'
import { serveHandlers } from '../sdk/node/serve-handlers.js'

const leads = Number(process.env.BENCH_LEADS ?? 100_000)
const latency = Number(process.env.BENCH_LATENCY_MS ?? 150)
const emulator = createCreatioEmulator({ seed: 1, size: { leads, deals: 10, contacts: 50, accounts: 10 }, latencyMs: { min: latency * 0.8, max: latency * 1.2 } })
const served = await serveHandlers(emulator.handlers, {
  rewriteOrigin: emulator.siteUrl,
  before: async (req, res) => {
    if (!req.url?.startsWith('/__bench/log')) return false
    const from = Number(new URL(req.url, 'http://x').searchParams.get('from') ?? 0)
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ length: emulator.log.length, paths: emulator.log.slice(from).map((r) => r.path) }))
    return true
  },
})
process.stdout.write(`${JSON.stringify({ url: served.url, credentials: emulator.credentials })}\n`)
process.on('SIGTERM', () => void served.close().then(() => process.exit(0)))
