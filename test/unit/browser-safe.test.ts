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
