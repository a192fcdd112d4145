// The guard against amoCRM account blocks (amocrm-block-guard.ts) must itself work: an emulator
// driven into its 403 block is caught, a block the test asked for is not, and the guard is wired
// to run around every test file. Without this, a broken registry would let the suite pass silently.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { getResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createAmoCrmEmulator, unexpectedAccountBlocks, type AmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { accountBlockFailure } from './amocrm-block-guard.js'

/** Hammers the account's API far over its limit, all in one instant of the emulator clock. */
async function hammer(emulator: AmoCrmEmulator, times: number): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < times; i++) {
    const request = new Request(`${emulator.baseUrl}/api/v4/leads?limit=1`, { headers: { Authorization: `Bearer ${emulator.longLivedToken}` } })
    statuses.push((await getResponse(emulator.handlers, request))!.status)
  }
  return statuses
}

const T0 = Date.parse('2026-10-15T09:00:00Z')

describe('amoCRM account-block guard', () => {
  it('catches an emulator driven into the 403 block', async () => {
    const emulator = createAmoCrmEmulator({ subdomain: 'guard-unasked', now: () => T0, size: { deals: 3, contacts: 1, companies: 1 }, rateLimit: { perSecond: 1 } })
    expect(accountBlockFailure()).toBeNull()
    const statuses = await hammer(emulator, 25)
    // 1 accepted, then 429s until more than 20 of them in a minute block the account: 403 from then on.
    expect(statuses.slice(0, 22)).toEqual([200, ...Array<number>(21).fill(429)])
    expect(statuses.slice(22)).toEqual([403, 403, 403])
    expect(emulator.isBlocked).toBe(true)

    const record = unexpectedAccountBlocks().find((r) => r.baseUrl === emulator.baseUrl)
    try {
      expect(record).toMatchObject({ baseUrl: 'https://guard-unasked.amocrm.ru', blocks: 1, expected: false })
      expect(accountBlockFailure()?.message).toContain('https://guard-unasked.amocrm.ru ×1')
      // A block lifted by support and reached again counts again.
      emulator.unblock()
      await hammer(emulator, 25)
      expect(record!.blocks).toBe(2)
      expect(accountBlockFailure()?.message).toContain('https://guard-unasked.amocrm.ru ×2')
    } finally {
      // This block was the point of the test: acknowledged, so the guard passes this file.
      if (record) record.blocks = 0
    }
    expect(accountBlockFailure()).toBeNull()
  })

  it('lets through a block the test configured explicitly', async () => {
    const emulator = createAmoCrmEmulator({ subdomain: 'guard-asked', now: () => T0, size: { deals: 3, contacts: 1, companies: 1 }, rateLimit: { perSecond: 1, blockAfter429: 5 } })
    const statuses = await hammer(emulator, 8)
    expect(statuses.at(-1)).toBe(403)
    expect(emulator.isBlocked).toBe(true)
    expect(unexpectedAccountBlocks().some((r) => r.baseUrl === emulator.baseUrl)).toBe(false)
    expect(accountBlockFailure()).toBeNull()
  })

  it('is a setup file of the suite, so it runs around every test file', () => {
    const config = readFileSync(resolve(import.meta.dirname, '../../vitest.config.ts'), 'utf8')
    expect(config).toMatch(/setupFiles:\s*\[[^\]]*'test\/setup\/amocrm-block-guard\.ts'/)
  })
})
