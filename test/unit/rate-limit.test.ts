import { describe, expect, it } from 'vitest'
import { RateLimiter, WINDOW_MARGIN_MS } from '../../sdk/rate-limit.js'
import type { Scheduler } from '../../sdk/scheduler.js'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * What bottleneck does when its timers fire late: the successor's start was fixed when the job was
 * scheduled, so a late job and its successor go out together. Modelled as a scheduler that starts
 * every job at once, the worst case of any lateness.
 */
const bunching: Scheduler = {
  schedule: (job) => job(),
  updateSettings: () => {},
  stop: async () => {},
}

function maxInWindow(times: number[], windowMs: number): number {
  let most = 0
  for (let i = 0; i < times.length; i++) {
    let n = 0
    for (let j = i; j < times.length && times[j]! - times[i]! < windowMs; j++) n++
    most = Math.max(most, n)
  }
  return most
}

describe('RateLimiter window at send time', () => {
  it('never sends more than the rate in any window, even when its scheduler starts jobs bunched together', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 5, maxConcurrent: 20 }, 'amocrm', () => bunching)
    const sent: number[] = []
    await Promise.all(Array.from({ length: 12 }, () => limiter.run(async () => sent.push(performance.now()), sleep)))
    expect(sent).toHaveLength(12)
    // Timers may fire a little early relative to performance.now(); 5 ms of slack, far below a gap.
    expect(maxInWindow(sent, 1000 + WINDOW_MARGIN_MS - 5)).toBeLessThanOrEqual(5)
    // ...and it does not over-throttle: 12 sends at 5 per window take two windows plus a bit, not 12 gaps.
    expect(sent.at(-1)! - sent[0]!).toBeLessThan(2 * (1000 + WINDOW_MARGIN_MS) + 300)
    await limiter.stop()
  }, 10_000)

  it('follows the lowered rate after a 429', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 6, maxConcurrent: 20 }, 'amocrm', () => bunching)
    limiter.noteRateLimited(1, 1)
    expect(limiter.currentRate).toBe(3)
    await sleep(5)
    const sent: number[] = []
    await Promise.all(Array.from({ length: 7 }, () => limiter.run(async () => sent.push(performance.now()), sleep)))
    expect(maxInWindow(sent, 1000 + WINDOW_MARGIN_MS - 5)).toBeLessThanOrEqual(3)
    await limiter.stop()
  }, 10_000)
})

describe('RateLimiter after 429s (amoCRM blocks accounts that keep hitting the limit)', () => {

  it('doubles the account-wide pause on each consecutive 429, up to a minute, and honours a longer Retry-After', () => {
    const limiter = new RateLimiter({ requestsPerSecond: 7, maxConcurrent: 7 }, 'amocrm', () => bunching)
    const pauses = Array.from({ length: 9 }, () => limiter.noteRateLimited(null, 1000))
    expect(pauses).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
    expect(limiter.rateLimitStreak).toBe(9)
    limiter.noteSuccess()
    expect(limiter.rateLimitStreak).toBe(0)
    expect(limiter.noteRateLimited(null, 1000)).toBe(1000)
    expect(limiter.noteRateLimited(5000, 1000)).toBe(5000)
  })

  it('halves the rate on each 429 (never below 1/s) and wins it back one step per ~10 s of successes', () => {
    const settings: { minTime: number; maxConcurrent: number }[] = []
    const tracking: Scheduler = { ...bunching, updateSettings: (s) => settings.push(s) }
    const limiter = new RateLimiter({ requestsPerSecond: 8, maxConcurrent: 8 }, 'amocrm', () => tracking)
    limiter.noteRateLimited(null, 10)
    expect(limiter.currentRate).toBe(4)
    limiter.noteRateLimited(null, 10)
    limiter.noteRateLimited(null, 10)
    limiter.noteRateLimited(null, 10)
    expect(limiter.currentRate).toBe(1)
    expect(settings.at(-1)).toEqual({ maxConcurrent: 1, minTime: 1000 + WINDOW_MARGIN_MS })
    // 1/s → 2/s after 10 successes, 2 → 3 after 20 more, …: recovery is slow on purpose.
    for (let i = 0; i < 9; i++) limiter.noteSuccess()
    expect(limiter.currentRate).toBe(1)
    limiter.noteSuccess()
    expect(limiter.currentRate).toBe(2)
    for (let i = 0; i < 20; i++) limiter.noteSuccess()
    expect(limiter.currentRate).toBe(3)
    for (let i = 0; i < 1000; i++) limiter.noteSuccess()
    expect(limiter.currentRate).toBe(8) // never above what it was configured for
    expect(settings.at(-1)).toEqual({ maxConcurrent: 8, minTime: Math.ceil((1000 + WINDOW_MARGIN_MS) / 8) })
  })
})

describe('RateLimiter window at send time, fractional rates', () => {
  it("keeps a fractional rate's pace (Bitrix24 sends at 1.9/s): two sends per two spacings, not one per second", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1.9, maxConcurrent: 2 }, 'bitrix24', () => bunching)
    const sent: number[] = []
    for (let i = 0; i < 5; i++) await limiter.run(async () => sent.push(performance.now()), sleep)
    const spacing = Math.ceil((1000 + WINDOW_MARGIN_MS) / 1.9)
    // Sequential sends: the first two go at once (nothing before them), then one per spacing on average.
    expect(sent.at(-1)! - sent[0]!).toBeLessThan(2 * 2 * spacing + 100)
    expect(sent.at(-1)! - sent[0]!).toBeGreaterThanOrEqual(2 * 2 * spacing - 5)
    expect(maxInWindow(sent, 2 * spacing - 5)).toBeLessThanOrEqual(2)
    await limiter.stop()
  }, 10_000)
})
