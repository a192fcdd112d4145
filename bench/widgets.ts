/**
 * Widget bundle sizes, per host: what the browser downloads (gzip, each file compressed on its
 * own as it is served) for the calendar's first view (entry + the calendar tab's chunks; target
 * ≤ 60 KB), for all three tabs (≤ 90 KB; the tabs load lazily), every chunk, and each dependency's
 * share of the calendar's first load. Shares come from the source maps (minified bytes per source
 * file), so they are what ships, not the size of the sources before minification.
 */
import { readFile, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js'
import webpack, { type Configuration, type StatsCompilation } from 'webpack'
import { widgetConfigs } from '../webpack.config.js'

const root = resolve(import.meta.dirname, '..')
const CALENDAR_TARGET_KB = 60
const ALL_TABS_TARGET_KB = 90
const CALENDAR = 'tab-calendar'
const TABS = ['tab-calendar', 'tab-budgets', 'tab-attribution']

function compile(config: Configuration): Promise<StatsCompilation> {
  return new Promise((done, fail) =>
    webpack(config, (err, s) => {
      if (err || !s || s.hasErrors()) return fail(err ?? new Error(s?.toString({ all: false, errors: true })))
      done(s.toJson({ all: false, chunkGroups: true, entrypoints: true, outputPath: true }))
    }),
  )
}

/** JS files of an entry point or a named chunk group (webpack's dynamic import() targets). */
function groupFiles(stats: StatsCompilation, name: string, entry = false): string[] {
  const group = (entry ? stats.entrypoints : stats.namedChunkGroups)?.[name]
  return (group?.assets ?? []).map((a) => a.name).filter((f) => f.endsWith('.js'))
}

/** `node_modules/zod/…` → `zod`; our own code by its top two folders (`crmkit:widgets/calendar`). */
function owner(source: string): string {
  const path = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^\.\//, '')
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1]
  if (pkg) return pkg
  if (path.startsWith('webpack/')) return '(webpack runtime)'
  return `crmkit:${path.split('/').slice(0, 2).join('/')}`
}

/** Minified bytes of a file attributed to the source files they came from. */
async function bytesBySource(file: string): Promise<Map<string, number>> {
  const code = (await readFile(file, 'utf8')).split('\n')
  const map = new SourceMapConsumer(JSON.parse(await readFile(`${file}.map`, 'utf8')) as RawSourceMap)
  const by = new Map<string, number>()
  const add = (k: string, n: number) => by.set(k, (by.get(k) ?? 0) + n)
  let prev: { line: number; column: number; source: string | null } | null = null
  let mapped = 0
  const close = (line: number, column: number) => {
    if (!prev) return
    const end = line === prev.line ? column : (code[prev.line - 1]?.length ?? prev.column)
    const n = Math.max(0, end - prev.column)
    mapped += n
    add(prev.source ? owner(prev.source) : '(unmapped)', n)
  }
  map.eachMapping((m) => {
    close(m.generatedLine, m.generatedColumn)
    prev = { line: m.generatedLine, column: m.generatedColumn, source: m.source }
  })
  close(Number.POSITIVE_INFINITY, 0)
  const total = code.reduce((a, l) => a + l.length, 0)
  if (total > mapped) add('(unmapped)', total - mapped)
  return by
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1)
const verdict = (gz: number, target: number) => (gz <= target * 1024 ? 'meets target' : 'MISSES target')

export async function run(): Promise<void> {
  for (const config of widgetConfigs as Configuration[]) {
    const stats = await compile(config)
    const out = stats.outputPath!
    const entryName = Object.keys(config.entry as object)[0]!
    const entry = groupFiles(stats, entryName, true)
    const sizes = new Map<string, { bytes: number; gzip: number }>()
    for (const name of await readdir(out)) {
      if (!name.endsWith('.js')) continue
      const data = await readFile(join(out, name))
      sizes.set(name, { bytes: data.length, gzip: gzipSync(data, { level: 9 }).length })
    }
    const total = (files: Iterable<string>) => [...new Set(files)].reduce((s, f) => s + (sizes.get(f)?.gzip ?? 0), 0)
    const calendarFiles = [...new Set([...entry, ...groupFiles(stats, CALENDAR)])]
    const allTabFiles = [...new Set([...entry, ...TABS.flatMap((t) => groupFiles(stats, t))])]
    const calendarGz = total(calendarFiles)
    const allGz = total(allTabFiles)

    console.log(`\nwidget host "${config.name}" (${out.replace(`${root}/`, '')})`)
    console.log(`  calendar first load (entry + calendar tab): ${kb(calendarGz)} KB gzip (target ≤ ${CALENDAR_TARGET_KB}) — ${verdict(calendarGz, CALENDAR_TARGET_KB)}`)
    console.log(`  all three tabs (entry + calendar, budgets, attribution): ${kb(allGz)} KB gzip (target ≤ ${ALL_TABS_TARGET_KB}) — ${verdict(allGz, ALL_TABS_TARGET_KB)}`)
    if (!groupFiles(stats, CALENDAR).length) console.log('  (no lazy "tab-calendar" chunk: the tabs are bundled eagerly)')

    // Which chunk group (tab, exporter) each file belongs to, for the chunk table.
    const groupsOf = new Map<string, string[]>()
    for (const [name, g] of Object.entries(stats.namedChunkGroups ?? {})) {
      for (const a of g.assets ?? []) groupsOf.set(a.name, [...(groupsOf.get(a.name) ?? []), name])
    }
    console.table(
      [...sizes.entries()]
        .sort((a, b) => b[1].gzip - a[1].gzip)
        .map(([file, s]) => ({
          chunk: file,
          'loaded by': entry.includes(file) ? 'entry' : (groupsOf.get(file) ?? ['(an unnamed lazy import)']).join(', '),
          KB: kb(s.bytes),
          'gzip KB': kb(s.gzip),
        })),
    )

    const by = new Map<string, number>()
    for (const file of calendarFiles) for (const [k, n] of await bytesBySource(join(out, file))) by.set(k, (by.get(k) ?? 0) + n)
    const minified = [...by.values()].reduce((a, b) => a + b, 0)
    console.log('  dependencies in the calendar first load (share of minified bytes; gzip KB estimated pro rata):')
    console.table(
      [...by.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 14)
        .map(([name, n]) => ({ dependency: name, share: `${((n / minified) * 100).toFixed(1)} %`, 'min KB': kb(n), '≈ gzip KB': kb((n / minified) * calendarGz) })),
    )
  }
}
