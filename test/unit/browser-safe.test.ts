import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))

/** Follows relative imports from an entry and returns every bare module it reaches. */
function externalImports(entry: string): Map<string, string> {
  const seen = new Set<string>()
  const external = new Map<string, string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const src = readFileSync(file, 'utf8')
    for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1]!
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')))
      else external.set(spec, file)
    }
  }
  visit(join(root, entry))
  return external
}

/**
 * Every module specifier reachable from `entry` through relative imports, with the file naming it.
 * Wider than externalImports: side-effect imports, dynamic `import()` (lazily loaded modules still
 * ship with and load from the entry), `require()` and type-only imports (a declaration file that
 * names a package needs that package's types) all count.
 */
function reachableSpecifiers(entry: string): Map<string, string> {
  const seen = new Set<string>()
  const found = new Map<string, string>()
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g,
    /(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"]+)['"]\s*\)/g,
  ]
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const src = readFileSync(file, 'utf8')
    for (const re of patterns) {
      for (const m of src.matchAll(re)) {
        const spec = m[1]!
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')))
        else if (!found.has(spec)) found.set(spec, file)
      }
    }
  }
  visit(join(root, entry))
  return found
}

const isIoredis = (spec: string) => spec === 'ioredis' || spec.startsWith('ioredis/')

describe('in-process defaults stay free of Redis', () => {
  // Only `crmkit/redis` (sdk/node/redis) may load ioredis: it is an optional peer, absent from
  // most installs, so an import from either main entry would break them.
  for (const entry of ['sdk/index.ts', 'sdk/node/index.ts']) {
    it(`${entry} never imports ioredis`, () => {
      const reached = reachableSpecifiers(entry)
      expect([...reached].filter(([spec]) => isIoredis(spec))).toEqual([])
      expect(reached.size).toBeGreaterThan(0)
    })
  }

  it('the check sees ioredis where it is imported (crmkit/redis)', () => {
    const reached = reachableSpecifiers('sdk/node/redis/index.ts')
    expect([...reached.keys()].filter(isIoredis)).toEqual(['ioredis'])
  })
})

describe('browser entry points', () => {
  for (const entry of ['sdk/index.ts', 'adapters/amocrm/index.ts', 'adapters/amocrm/testing/index.ts', 'sdk/marketing/index.ts', 'adapters/bitrix24/index.ts', 'adapters/bitrix24/testing/index.ts', 'adapters/creatio/index.ts', 'adapters/creatio/testing/index.ts']) {
    it(`${entry} reaches no Node built-in module`, () => {
      const ext = externalImports(entry)
      const offenders = [...ext].filter(([spec]) => builtins.has(spec) || spec.startsWith('node:'))
      expect(offenders).toEqual([])
      expect(ext.size).toBeGreaterThan(0)
    })
  }

  it('the Node-only entry is where file and server helpers live', () => {
    const ext = externalImports('sdk/node/index.ts')
    expect([...ext.keys()].some((s) => s.startsWith('node:'))).toBe(true)
  })
})
