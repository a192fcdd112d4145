import { benchExport } from './export-amocrm.js'
import { benchMapping } from './mapping-cost.js'
import { benchSeed } from './seed-amocrm.js'

export async function run(): Promise<void> {
  const deals = Number(process.env.BENCH_DEALS ?? 100_000)
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 150)

  const seeded = benchSeed()
  console.log('\namoCRM emulator: seeding a large account')
  console.table({
    deals: seeded.deals,
    contacts: seeded.contacts,
    'ms (target < 3000)': Math.round(seeded.ms),
    verdict: seeded.ms < 3000 ? 'meets target' : 'MISSES target',
  })

  const mapping = await benchMapping()
  console.log('\namoCRM: validation + mapping cost vs JSON.parse (one 250-deal page)')
  console.table({
    'JSON.parse µs/deal': mapping.parseUsPerEntity.toFixed(2),
    'zod + mapping µs/deal': mapping.mapUsPerEntity.toFixed(2),
    'ratio (target ≤ 3)': mapping.ratio.toFixed(2),
    verdict: mapping.ratio <= 3 ? 'meets target' : 'MISSES target',
  })

  console.log(`\namoCRM: full export of ${deals} deals at 7 requests/s, ~${latency} ms latency`)
  const exp = await benchExport(deals, latency)
  console.table({
    'deals/s': Math.round(exp.perSecond),
    'ceiling (7 × 250)': exp.ceiling,
    'share of ceiling (target ≥ 90 %)': `${((exp.perSecond / exp.ceiling) * 100).toFixed(1)} %`,
    seconds: exp.seconds.toFixed(1),
    requests: exp.requests,
    '429 answers': exp.rateLimited,
    'peak RSS MB': exp.peakRssMb,
    verdict: exp.perSecond / exp.ceiling >= 0.9 ? 'meets target' : 'MISSES target',
  })
}
