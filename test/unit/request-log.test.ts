import { describe, expect, it } from 'vitest'
import { appendToLog } from '../../sdk/testing/request-log.js'

describe('emulator request log', () => {
  it('without a limit keeps every entry', () => {
    const log: number[] = []
    for (let i = 0; i < 1_000; i++) appendToLog(log, i, undefined)
    expect(log).toHaveLength(1_000)
  })

  it('with a limit stays under twice the limit and always holds the newest entries, in order', () => {
    const log: number[] = []
    let longest = 0
    for (let i = 0; i < 1_000; i++) {
      appendToLog(log, i, 10)
      longest = Math.max(longest, log.length)
      expect(log.at(-1)).toBe(i)
      expect(log.length).toBeGreaterThanOrEqual(Math.min(i + 1, 10))
    }
    expect(longest).toBeLessThan(20)
    expect(log.slice(-10)).toEqual(Array.from({ length: 10 }, (_, k) => 990 + k))
  })
})
