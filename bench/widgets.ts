/**
 * Widget bundle sizes: gzip of everything a host loads for the calendar, and each dependency's
 * share (minified module sizes from webpack's stats). Target: ≤ 60 KB gzip per host.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import webpack, { type Configuration, type StatsModule } from 'webpack'
import { widgetConfigs } from '../webpack.config.js'

const root = resolve(import.meta.dirname, '..')
const TARGET_KB = 60

function stats(config: Configuration): Promise<StatsModule[]> {
  return new Promise((done, fail) =>
    webpack(config, (err, s) => {
      if (err || !s || s.hasErrors()) return fail(err ?? new Error(s?.toString({ all: false, errors: true })))
      done(s.toJson({ modules: true, nestedModules: true }).modules ?? [])
    }),
  )
}

function shares(modules: StatsModule[]): Map<string, number> {
  const by = new Map<string, number>()
  const walk = (list: StatsModule[]) => {
    for (const m of list) {
      if (m.modules?.length) walk(m.modules)
      else {
        const name = m.name ?? ''
        const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name)?.[1] ?? `crmkit:${name.replace(/^\.\//, '').split('/').slice(0, 2).join('/')}`
        by.set(pkg, (by.get(pkg) ?? 0) + (m.size ?? 0))
      }
    }
  }
  walk(modules)
  return by
}

export async function run(): Promise<void> {
  for (const config of widgetConfigs) {
    const modules = await stats(config)
    const out = resolve(root, config.output!.path!, `${Object.keys(config.entry as object)[0]}.js`)
    const code = await readFile(out)
    const gz = gzipSync(code, { level: 9 }).length / 1024
    const by = shares(modules)
    const total = [...by.values()].reduce((a, b) => a + b, 0)
    console.log(`\nwidget bundle "${config.name}": ${(code.length / 1024).toFixed(1)} KB, ${gz.toFixed(1)} KB gzip (target ≤ ${TARGET_KB}) — ${gz <= TARGET_KB ? 'meets target' : 'MISSES target'}`)
    console.table(
      [...by.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([name, size]) => ({ module: name, 'share of source': `${((size / total) * 100).toFixed(1)} %` })),
    )
  }
}
