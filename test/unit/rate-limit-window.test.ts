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
