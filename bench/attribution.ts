/**
 * The attribution tab on a large account: first load (paging through amoCRM at 7 requests/s with
 * ~150 ms latency, stored in IndexedDB — fake-indexeddb in Node) and a cached reopen after a few
 * edits (only changed records are requested), through the same data layer the widget uses. The
 * rate-limit floor is the least time the CRM's limit allows for that many requests (N / 7 s).
 */
import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { createCrm, money } from 'crmkit'
import { amocrm } from 'crmkit/amocrm'
import { setupAmoCrmEmulator } from 'crmkit/amocrm/testing/node'
import { ATTRIBUTION_MODELS } from '../sdk/marketing/attribution/index.js'
import { touchPath } from '../widgets/attribution/touch-path.js'
import { attributionReport } from '../sdk/marketing/report.js'
import { loadAccountData, type LoadResult } from '../widgets/data/account-data.js'

const RPS = 7

export async function run(): Promise<void> {
  const deals = Number(process.env.BENCH_DEALS ?? 100_000)
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 150)
  const { emulator, close } = setupAmoCrmEmulator({
    seed: 11,
    size: { deals, contacts: Math.round(deals / 3), companies: 100, users: 10 },
    latencyMs: { min: latency * 0.8, max: latency * 1.2 },
  })
  const client = () => createCrm(amocrm({ baseUrl: emulator.baseUrl, currency: 'RUB', auth: { kind: 'long-lived-token', token: emulator.longLivedToken } }))
  const crm = client()
  await crm.setup() // campaign and spend lists, as an installed widget has them
  let idb: IDBFactory | null = new IDBFactory()
  // Each open is a fresh page with its own client; its requests include speculative page fetches past the end, counted once they land.
  const open = async (): Promise<{ result: LoadResult; seconds: number; requests: number; rateLimited: number }> => {
    await new Promise((r) => setTimeout(r, 1_100)) // a fresh rate-limit window, as after any real pause
    const tab = client()
    const before = emulator.log.length
    const limited = emulator.stats.rateLimited
    const started = performance.now()
    const result = await loadAccountData(tab, { account: 'bench', indexedDB: idb! })
    const seconds = (performance.now() - started) / 1000
    await tab.close()
    return { result, seconds, requests: emulator.log.length - before, rateLimited: emulator.stats.rateLimited - limited }
  }
  const row = (o: Awaited<ReturnType<typeof open>>) => ({
    'deals in memory': o.result.data.deals.length,
    'from cache': o.result.fromCache,
    downloaded: o.result.downloaded,
    requests: o.requests,
    '429 answers': o.rateLimited,
    seconds: o.seconds.toFixed(2),
    'rate-limit floor s': (o.requests / RPS).toFixed(2),
    'ratio to floor': (o.seconds / (o.requests / RPS)).toFixed(2),
  })

  console.log(`\nattribution tab: ${deals} emulated amoCRM deals, ${RPS} requests/s, ~${latency} ms latency, IndexedDB cache (fake-indexeddb)`)
  let first: Awaited<ReturnType<typeof open>> | null = await open()
  if (first.result.data.deals.length !== deals) throw new Error(`loaded ${first.result.data.deals.length} of ${deals} deals`)
  // A day of work in the account: 40 deals edited, 10 created.
  const some = first!.result.data.deals.slice(0, 40)
  await crm.deals.updateMany(some.map((d, i) => ({ id: d.id, patch: { amount: money(String(1000 + i), 'RUB') } })))
  await crm.deals.createMany(Array.from({ length: 10 }, (_, i) => ({ title: `bench ${i}`, source: { utm: { source: 'yandex', medium: 'cpc' } } })))
  const again = await open()
  if (again.result.data.deals.length !== deals + 10) throw new Error(`reopen has ${again.result.data.deals.length} deals, expected ${deals + 10}`)
  console.table({ 'first load': row(first), 'cached reopen': row(again) })
  console.log('(the seed stamps ~6 % of deals with the same last-modified second, which the 10-minute safety margin re-reads on reopen)')

  // Time the maths on its own: free the emulator, the first load's copy and the fake IndexedDB
  // (all in this process's heap), so garbage collection of those does not land in the timings.
  const data = again.result.data
  first = null
  idb = null
  await crm.close()
  close()
  ;(globalThis as { gc?: () => void }).gc?.()
  const from = new Date(Date.UTC(2025, 10, 1))
  const to = new Date(Date.UTC(2026, 10, 30))
  const timings: Record<string, { ms: string }> = {}
  for (const model of ATTRIBUTION_MODELS) {
    const started = performance.now()
    attributionReport({ ...data, model, groupBy: 'channel', from, to, currency: 'RUB' })
    timings[`report, ${model}`] = { ms: (performance.now() - started).toFixed(0) }
  }
  const won = data.deals.find((d) => d.outcome === 'won' && d.contactId)!
  for (const model of ['linear', 'markov'] as const) {
    const started = performance.now()
    touchPath({ leads: data.leads, deals: data.deals, entity: 'deal', id: won.id, model })
    timings[`card touch path, ${model}`] = { ms: (performance.now() - started).toFixed(0) }
  }
  console.log('attribution computation over the whole account (a year of deals, grouped by channel)')
  console.table(timings)
}
