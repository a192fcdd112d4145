import {
  ATTRIBUTION_MODELS,
  attribute,
  buildJourneys,
  countTransitions,
  markovAttribution,
  solveMarkov,
  type AttributionModel,
  type Conversion,
  type Journeys,
  type Touchpoint,
} from '../sdk/marketing/index.js'

/**
 * Attribution over 1,000,000 touchpoints in 200,000 journeys with 20 channels, every model,
 * against a plain single pass that only reads the input (the floor for any one-pass model).
 * Targets: rule-based ≤ 1 s, Markov ≤ 2 s. BENCH_TOUCHES / BENCH_PATHS scale it. Then Markov at
 * twice the journeys: its counting pass should double and its solve stay flat.
 */
const BASE_RUNS = 5
const MODEL_RUNS = 3

function syntheticJourneys(paths: number, touches: number, channels: number, seed = 42): Journeys {
  let s = seed >>> 0
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pathStart = new Int32Array(paths + 1)
  const touchKey = new Int32Array(touches)
  const touchTime = new Float64Array(touches)
  const conversions = new Float64Array(paths)
  const nulls = new Float64Array(paths)
  const value = new Float64Array(paths)
  const convTime = new Float64Array(paths)
  const leadTouch = new Int32Array(paths)
  const dealTouch = new Int32Array(paths)
  // Path lengths 1…9 around the mean touches/paths, adjusted so the total is exact.
  let t = 0
  const base = Date.UTC(2026, 0, 1)
  for (let p = 0; p < paths; p++) {
    pathStart[p] = t
    const remainingPaths = paths - p
    const mean = (touches - t) / remainingPaths
    let n = p === paths - 1 ? touches - t : Math.max(1, Math.min(touches - t - (remainingPaths - 1), Math.round(mean + (rand() - 0.5) * 8)))
    n = Math.max(1, n)
    let time = base + Math.floor(rand() * 180) * 86_400_000
    for (let i = 0; i < n; i++) {
      // Skewed channel popularity, so credits differ.
      touchKey[t + i] = Math.floor(channels * rand() * rand())
      time += Math.floor(rand() * 5 * 86_400_000)
      touchTime[t + i] = time
    }
    const converts = rand() < 0.3 + 0.02 * touchKey[t + n - 1]!
    conversions[p] = converts ? 1 : 0
    nulls[p] = converts ? 0 : 1
    value[p] = converts ? Math.floor(rand() * 10_000_000) : 0
    convTime[p] = converts ? time + 3_600_000 : Number.NaN
    leadTouch[p] = n >= 2 ? t + 1 : -1
    dealTouch[p] = n >= 4 ? t + 3 : -1
    t += n
  }
  pathStart[paths] = t
  return {
    keys: Array.from({ length: channels }, (_, i) => `channel-${i}`),
    pathStart,
    touchKey,
    touchTime,
    touchRef: new Int32Array(touches).fill(-1),
    conversions,
    nulls,
    value,
    convTime,
    leadTouch,
    dealTouch,
    currency: 'RUB',
    unattributed: 0,
  }
}

/** Reads every touch once: the cheapest possible pass over the same input. */
function plainPass(j: Journeys): number {
  let acc = 0
  for (let p = 0; p < j.conversions.length; p++) {
    const c = j.conversions[p]!
    for (let t = j.pathStart[p]!; t < j.pathStart[p + 1]!; t++) acc += j.touchKey[t]! * c
  }
  return acc
}

function best(runs: number, f: () => unknown): number {
  let min = Infinity
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    f()
    min = Math.min(min, performance.now() - t0)
  }
  return min
}

export async function run(): Promise<void> {
  const touches = Number(process.env.BENCH_TOUCHES ?? 1_000_000)
  const paths = Number(process.env.BENCH_PATHS ?? 200_000)
  const channels = 20
  const j = syntheticJourneys(paths, touches, channels)
  const baseMs = best(BASE_RUNS, () => plainPass(j))
  console.log(`\nmarketing: attribution over ${touches} touchpoints in ${paths} journeys, ${channels} channels (best of ${MODEL_RUNS}; plain pass best of ${BASE_RUNS})`)
  const table: Record<string, Record<string, string | number>> = {}
  table['plain pass (reads input)'] = { ms: baseMs.toFixed(1), 'ratio to plain pass': '1.0', target: '—', verdict: '—' }
  for (const model of ATTRIBUTION_MODELS as AttributionModel[]) {
    const ms = best(MODEL_RUNS, () => attribute(j, model))
    const targetMs = model === 'markov' ? 2000 : model === 'shapley' ? null : 1000
    table[model] = {
      ms: ms.toFixed(1),
      'ratio to plain pass': (ms / baseMs).toFixed(1),
      target: targetMs === null ? '— (no target)' : `≤ ${targetMs} ms`,
      verdict: targetMs === null ? '—' : ms <= targetMs ? 'meets target' : 'MISSES target',
    }
  }
  console.table(table)

  // Markov at 1× and 2× the journeys (same mean length, so 2× the touches). Only the counting
  // pass may grow, about 2× like the plain pass; the O(K³) solve must stay the same.
  const steps = {
    'plain pass (reads input)': (jj: Journeys) => () => plainPass(jj),
    'markov (count + solve)': (jj: Journeys) => () => markovAttribution(jj),
    'markov: counting pass': (jj: Journeys) => () => countTransitions(jj),
    'markov: solve': (jj: Journeys) => {
      const counts = countTransitions(jj)
      return () => solveMarkov(counts)
    },
  }
  const j2 = syntheticJourneys(paths * 2, touches * 2, channels)
  const scaling: Record<string, Record<string, string>> = {}
  const timed: Record<string, [number, number]> = {}
  for (const [name, make] of Object.entries(steps)) {
    const runs = name.startsWith('plain') ? BASE_RUNS : MODEL_RUNS
    const [a, b] = (timed[name] = [best(runs, make(j)), best(runs, make(j2))])
    const digits = name.endsWith('solve') ? 3 : 1
    scaling[name] = { [`${paths} journeys, ms`]: a.toFixed(digits), [`${paths * 2} journeys, ms`]: b.toFixed(digits), 'ratio 2× / 1×': (b / a).toFixed(2) }
  }
  const ratio = (name: string) => timed[name]![1] / timed[name]![0]
  console.log(
    `\nmarketing: Markov at ${paths} and ${paths * 2} journeys (best of ${MODEL_RUNS}): it grows ${(ratio('markov (count + solve)') / ratio('plain pass (reads input)')).toFixed(2)}× as fast as the plain pass (1.00 = one pass, the solve adds nothing per journey)`,
  )
  console.table(scaling)

  // Informational: the one-off cost of turning model objects into columnar journeys.
  const { touchpoints, conversions } = toObjects(j)
  const t0 = performance.now()
  const built = buildJourneys(touchpoints, conversions, { kind: 'won' })
  const buildMs = performance.now() - t0
  console.log(`\nmarketing: buildJourneys from ${touchpoints.length} touch objects + ${conversions.length} conversions (once, no target)`)
  console.table({ ms: buildMs.toFixed(0), 'ratio to plain pass': (buildMs / baseMs).toFixed(0), journeys: built.conversions.length })
}

/** The same data as Touchpoint/Conversion objects (one contact per journey). */
function toObjects(j: Journeys): { touchpoints: Touchpoint[]; conversions: Conversion[] } {
  const touchpoints: Touchpoint[] = []
  const conversions: Conversion[] = []
  for (let p = 0; p < j.conversions.length; p++) {
    const contactId = `c${p}`
    for (let t = j.pathStart[p]!; t < j.pathStart[p + 1]!; t++) {
      touchpoints.push({ contactId, at: new Date(j.touchTime[t]!), channel: j.keys[j.touchKey[t]!]! })
    }
    if (j.conversions[p]! > 0) conversions.push({ contactId, at: new Date(j.convTime[p]!), kind: 'won', value: { minor: j.value[p]!, currency: 'RUB' } })
  }
  return { touchpoints, conversions }
}
