/**
 * `npm run bench`: performance targets, measured (never asserted by timed tests).
 *   BENCH_DEALS=20000 npm run bench       # a quicker export
 *   BENCH_ONLY=amocrm npm run bench       # one section
 * Each section is a module exporting `run()`; add new ones to `sections`.
 */
const sections: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  amocrm: () => import('./amocrm.js'),
  bitrix24: () => import('./bitrix24.js'),
  creatio: () => import('./creatio.js'),
  marketing: () => import('./marketing.js'),
  widgets: () => import('./widgets.js'),
  attribution: () => import('./attribution.js'),
}

const only = process.env.BENCH_ONLY?.split(',')
for (const [name, load] of Object.entries(sections)) {
  if (only && !only.includes(name)) continue
  await (await load()).run()
}
