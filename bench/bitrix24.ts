// Bitrix24: full export at the standard plan's limits (2 requests/s drained from a bucket of 50,
// 480 s operating budget per method per 10 min) with ~150 ms latency, against the emulator; and
// the same export with the official @bitrix24/b24jssdk (its fetchList helper, as its docs
// recommend) reading the same kind of portal, side by side on BENCH_PEER_DEALS (default 10,000) deals.
import { createCrm } from '../sdk/index.js'
import { bitrix24 } from '../adapters/bitrix24/index.js'
import { setupBitrix24Emulator } from '../adapters/bitrix24/testing/node.js'

const ROWS_PER_REQUEST = 50 * 50
const REQUEST_CEILING = 2 * ROWS_PER_REQUEST // 5,000 rows/s
/** Emulated cost of one 50-row `start=-1` page (the docs measured 0.097 s on 2.4 M rows). */
const PAGE_COST_SEC = 0.005 + 0.002 * 50
/** Sustained operating ceiling of one method: 480 s per 600 s, 50 rows per page. */
const OPERATING_CEILING = (480 / 600 / PAGE_COST_SEC) * 50
/** Rows one method can export inside a fresh 10-minute window before the budget binds. */
const OPERATING_WINDOW_ROWS = Math.floor(480 / PAGE_COST_SEC) * 50

/**
 * The operating-time ceiling of an export of `rows` from a fresh window, rows/s: unbounded while
 * the window's budget lasts, then the sustained rate for the rest (null: it does not bind).
 */
function operatingCeiling(rows: number): number | null {
  if (rows <= OPERATING_WINDOW_ROWS) return null
  return rows / ((rows - OPERATING_WINDOW_ROWS) / OPERATING_CEILING)
}
const bindingCeiling = (rows: number) => Math.min(REQUEST_CEILING, operatingCeiling(rows) ?? Infinity)
const pct = (x: number) => `${(x * 100).toFixed(1)} %`

interface Run {
  rows: number
  seconds: number
  requests: number
  limited503: number
  limited429: number
  operatingSec: number
}

function portal(deals: number, latency: number) {
  return setupBitrix24Emulator({ seed: 3, size: { deals, leads: 50, contacts: 300, companies: 30 }, latencyMs: { min: latency * 0.8, max: latency * 1.2 } })
}

async function crmkitExport(deals: number, latency: number): Promise<Run> {
  const { emulator, close } = portal(deals, latency)
  const crm = createCrm(bitrix24({ auth: { kind: 'webhook', url: emulator.webhookUrl } }))
  try {
    const t0 = performance.now()
    let rows = 0
    for await (const page of crm.deals.list().pages()) rows += page.length
    const seconds = (performance.now() - t0) / 1000
    if (rows !== deals) throw new Error(`crmkit exported ${rows} of ${deals} deals`)
    return { rows, seconds, requests: emulator.log.length, limited503: emulator.stats.rateLimited, limited429: emulator.stats.operatingLimited, operatingSec: emulator.operatingUsed('crm.item.list') }
  } finally {
    await crm.close()
    close()
  }
}

async function peerExport(deals: number, latency: number): Promise<Run | string> {
  let sdk: typeof import('@bitrix24/b24jssdk')
  try {
    sdk = await import('@bitrix24/b24jssdk')
  } catch (e) {
    return `@bitrix24/b24jssdk is not installed (${(e as Error).message})`
  }
  const { emulator, close } = portal(deals, latency)
  try {
    const b24 = sdk.B24Hook.fromWebhookUrl(emulator.webhookUrl)
    const t0 = performance.now()
    let rows = 0
    const generator = b24.actions.v2.fetchList.make<{ id: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: 2, select: ['*', 'UF_*'] },
      idKey: 'id',
      customKeyForResult: 'items',
    })
    for await (const chunk of generator) rows += chunk.length
    const seconds = (performance.now() - t0) / 1000
    if (rows !== deals) return `b24jssdk exported ${rows} of ${deals} deals`
    return { rows, seconds, requests: emulator.log.length, limited503: emulator.stats.rateLimited, limited429: emulator.stats.operatingLimited, operatingSec: emulator.operatingUsed('crm.item.list') }
  } catch (e) {
    return `b24jssdk failed against the emulator: ${(e as Error).message}`
  } finally {
    close()
  }
}

const row = (name: string, r: Run) => {
  const rate = r.rows / r.seconds
  const operating = operatingCeiling(r.rows)
  return {
    client: name,
    'deals exported': r.rows,
    'rows/s': Math.round(rate),
    'vs request ceiling 5,000/s': pct(rate / REQUEST_CEILING),
    // Below the window's worth of rows the budget never binds; the share of it used says how close.
    'vs operating ceiling': operating === null ? `not binding (${pct(r.operatingSec / 480)} of 480 s used)` : `${pct(rate / operating)} of ${Math.round(operating)}/s`,
    'vs binding ceiling': pct(rate / bindingCeiling(r.rows)),
    seconds: r.seconds.toFixed(1),
  requests: r.requests,
  '503s': r.limited503,
  '429s': r.limited429,
    'operating s used': r.operatingSec.toFixed(1),
  }
}

export async function run(): Promise<void> {
  const deals = Number(process.env.BENCH_DEALS ?? 100_000)
  const peerDeals = Number(process.env.BENCH_PEER_DEALS ?? 10_000)
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 150)

  console.log(`\nBitrix24: full export at standard limits (2 req/s, burst 50, 480 s operating/10 min), ~${latency} ms latency`)
  console.log(
    `ceilings: request rate ${REQUEST_CEILING} rows/s (2 req/s × 50 commands × 50 rows); operating ${Math.round(OPERATING_CEILING)} rows/s sustained per method,` +
      ` i.e. ${OPERATING_WINDOW_ROWS} rows per fresh 10-minute window, so for ≤ ${OPERATING_WINDOW_ROWS} rows the request rate binds`,
  )
  // The official SDK reads 50 rows per request (≤ 100 rows/s at 2 req/s), so it gets the smaller portal.
  console.log(
    `side by side: @bitrix24/b24jssdk and crmkit both export ${peerDeals} deals (BENCH_PEER_DEALS, default 10,000), not ${deals}:` +
      ` at 50 rows per request the SDK would need ≥ ${Math.ceil(deals / 100 / 60)} min for ${deals}`,
  )
  const big = await crmkitExport(deals, latency)
  const small = await crmkitExport(peerDeals, latency)
  const peer = await peerExport(peerDeals, latency)
  const rows = [row(`crmkit, ${deals} deals (BENCH_DEALS)`, big), row(`crmkit, ${peerDeals} deals (BENCH_PEER_DEALS)`, small)]
  if (typeof peer !== 'string') rows.push(row(`b24jssdk fetchList, ${peerDeals} deals (BENCH_PEER_DEALS)`, peer))
  console.table(rows)
  const share = big.rows / big.seconds / bindingCeiling(big.rows)
  const binds = operatingCeiling(big.rows) !== null && operatingCeiling(big.rows)! < REQUEST_CEILING ? 'operating time' : 'request rate'
  console.log(`crmkit, ${deals} deals: ${pct(share)} of the binding ceiling (${binds}; target ≥ 80 %): ${share >= 0.8 ? 'meets target' : 'MISSES target'}`)
  if (typeof peer === 'string') console.log(`side by side: ${peer}`)
  else {
    const ratio = small.rows / small.seconds / (peer.rows / peer.seconds)
    console.log(`crmkit vs b24jssdk, both on ${peerDeals} deals (BENCH_PEER_DEALS): ${ratio.toFixed(1)}× the rows/s (target ≥ 5×): ${ratio >= 5 ? 'meets target' : 'MISSES target'}`)
  }
}
