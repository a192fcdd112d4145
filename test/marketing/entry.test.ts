import { describe, expect, it } from 'vitest'
import * as viaPackage from 'crmkit/marketing'
import * as viaPath from '../../sdk/marketing/index.js'

describe('crmkit/marketing entry', () => {
  it('the package export resolves to sdk/marketing/index.ts', () => {
    expect(viaPackage.markovAttribution).toBe(viaPath.markovAttribution)
    expect(Object.keys(viaPackage).sort()).toEqual(Object.keys(viaPath).sort())
    expect(viaPackage.ATTRIBUTION_MODELS).toContain('shapley')
  })
})
