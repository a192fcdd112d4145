// Suite-wide guard (vitest setupFiles: runs around every test file): no test may drive an amoCRM
// emulator into its 403 account block, which on a real account only amoCRM support can lift.
// Tests of the block itself configure `rateLimit.blockAfter429` explicitly and are exempt.
import { afterAll } from 'vitest'
import { unexpectedAccountBlocks, type AccountBlockRecord } from '../../adapters/amocrm/testing/block-registry.js'

/** The failure the guard raises for these blocks, or null when there are none (exported for its own test). */
export function accountBlockFailure(blocked: readonly AccountBlockRecord[] = unexpectedAccountBlocks()): Error | null {
  if (blocked.length === 0) return null
  return new Error(
    `An amoCRM emulator reached its 403 account block (${blocked.map((b) => `${b.baseUrl} ×${b.blocks}`).join(', ')}): the client kept hitting the rate limit`,
  )
}

afterAll(() => {
  const failure = accountBlockFailure()
  if (failure) throw failure
})
