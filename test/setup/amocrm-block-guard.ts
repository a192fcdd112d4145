// Suite-wide guard (vitest setupFiles: runs around every test file): no test may drive an amoCRM
// emulator into its 403 account block, which on a real account only amoCRM support can lift.
// Tests of the block itself configure `rateLimit.blockAfter429` explicitly and are exempt.
import { afterAll } from 'vitest'
import { unexpectedAccountBlocks } from '../../adapters/amocrm/testing/block-registry.js'

afterAll(() => {
  const blocked = unexpectedAccountBlocks()
  if (blocked.length > 0) {
    throw new Error(
      `An amoCRM emulator reached its 403 account block (${blocked.map((b) => `${b.baseUrl} ×${b.blocks}`).join(', ')}): the client kept hitting the rate limit`,
    )
  }
})
