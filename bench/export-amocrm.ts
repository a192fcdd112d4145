/**
 * Full export of N deals from the emulated amoCRM account at its real limit (7 requests/s) with
 * realistic latency. Ceiling = 7 requests/s × 250 deals = 1,750 deals/s; target ≥ 90 % of it.
 */
import { createCrm } from 'crmkit'
import { amocrm } from 'crmkit/amocrm'
import { setupAmoCrmEmulator } from 'crmkit/amocrm/testing/node'

export interface ExportResult {
  deals: number
  seconds: number
  perSecond: number
  ceiling: number
  requests: number
  rateLimited: number
  peakRssMb: number
}

export async function benchExport(deals: number, latencyMs: number): Promise<ExportResult> {
  const { emulator, close } = setupAmoCrmEmulator({
    seed: 7,
    size: { deals, contacts: 1_000, companies: 100, users: 10 },
    latencyMs: { min: latencyMs * 0.8, max: latencyMs * 1.2 },
  })
  const crm = createCrm(amocrm({ baseUrl: emulator.baseUrl, currency: 'RUB', auth: { kind: 'long-lived-token', token: emulator.longLivedToken } }))
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200)
  const started = performance.now()
  let count = 0
  for await (const page of crm.deals.list().pages()) count += page.length
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const result: ExportResult = {
    deals: count,
    seconds,
    perSecond: count / seconds,
    ceiling: 7 * 250,
    requests: emulator.log.length,
    rateLimited: emulator.stats.rateLimited,
    peakRssMb: Math.round(peak / 2 ** 20),
  }
  if (count !== deals) throw new Error(`exported ${count} of ${deals} deals`)
  await crm.close()
  close()
  return result
}
