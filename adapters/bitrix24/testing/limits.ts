// Bitrix24's two limits (research §5.2): a leaky bucket per portal (503 QUERY_LIMIT_EXCEEDED) and
// the per-method operating-time budget per app or webhook (429 OPERATION_TIME_LIMIT).

export interface LeakyBucketOptions {
  /** Capacity X: requests the bucket holds before it overflows. Default 50 (Enterprise 250). */
  burst: number
  /** Leak rate Y per second. Default 2 (Enterprise 5). */
  drainPerSecond: number
}

export class LeakyBucket {
  private level = 0
  private last = 0
  constructor(readonly options: LeakyBucketOptions) {}

  /** Adds one request; false (and nothing added) when the bucket would overflow. */
  take(now: number): boolean {
    this.drain(now)
    if (this.level + 1 > this.options.burst) return false
    this.level += 1
    return true
  }

  current(now: number): number {
    this.drain(now)
    return this.level
  }

  private drain(now: number) {
    if (this.last) this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.options.drainPerSecond)
    this.last = now
  }
}

export interface OperatingOptions {
  /** Budget per method within the window, seconds. Default 480 (cloud). */
  limitSec: number
  /** Rolling window, seconds, kept as one-minute buckets. Default 600. */
  windowSec: number
}

/** Accumulated execution time per (credential, method) in one-minute buckets. */
export class OperatingBudget {
  private readonly buckets = new Map<string, Map<number, number>>()
  constructor(readonly options: OperatingOptions) {}

  private window(key: string, now: number): Map<number, number> {
    let m = this.buckets.get(key)
    if (!m) {
      m = new Map()
      this.buckets.set(key, m)
    }
    const oldest = Math.floor(now / 60_000) - Math.ceil(this.options.windowSec / 60) + 1
    for (const minute of m.keys()) if (minute < oldest) m.delete(minute)
    return m
  }

  used(key: string, now: number): number {
    let sum = 0
    for (const v of this.window(key, now).values()) sum += v
    return sum
  }

  /** Checked before a call: the call that crosses the limit completes, the next one is refused. */
  exhausted(key: string, now: number): boolean {
    return this.used(key, now) >= this.options.limitSec
  }

  add(key: string, seconds: number, now: number): void {
    const m = this.window(key, now)
    const minute = Math.floor(now / 60_000)
    m.set(minute, (m.get(minute) ?? 0) + seconds)
  }

  /** Unix seconds when the oldest bucket holding time expires. */
  resetAt(key: string, now: number): number {
    const m = this.window(key, now)
    const minutes = [...m.keys()]
    const oldest = minutes.length ? Math.min(...minutes) : Math.floor(now / 60_000)
    return (oldest + Math.ceil(this.options.windowSec / 60)) * 60
  }

  reset(): void {
    this.buckets.clear()
  }
}
