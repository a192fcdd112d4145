// Client-side view of Bitrix24's per-method operating-time budget (research §5.2): every answer's
// `time.operating` (and each batch command's `result_time[*].operating`) says how many seconds the
// method used in the rolling 10-minute window. Before a call crmkit waits when a method it is about
// to use is near the budget, so the portal never has to answer 429 OPERATION_TIME_LIMIT.
import type { WireTime } from './wire.js'

export interface OperatingTrackerOptions {
  /** Budget per method per window, seconds (cloud 480). */
  budgetSec: number
  /** Start waiting when a method has used this share of the budget. Default 0.9. */
  threshold?: number
  now?: () => number
}

export class OperatingTracker {
  private readonly used = new Map<string, { operating: number; resetAt: number }>()
  private readonly threshold: number
  private readonly now: () => number

  constructor(readonly options: OperatingTrackerOptions) {
    this.threshold = options.threshold ?? 0.9
    this.now = options.now ?? Date.now
  }

  /** Records a `time` object of `method`; the reset moment is taken relative to the server's own clock. */
  observe(method: string, time: WireTime | undefined): void {
    if (!time || typeof time.operating !== 'number') return
    const serverNow = time.finish ?? time.start
    const resetIn = typeof time.operating_reset_at === 'number' && typeof serverNow === 'number' ? Math.max(0, time.operating_reset_at - serverNow) * 1000 : 60_000
    this.used.set(method, { operating: time.operating, resetAt: this.now() + resetIn })
  }

  /** Seconds `method` has used, as last reported (0 once its oldest bucket has expired). */
  usage(method: string): number {
    const u = this.used.get(method)
    if (!u) return 0
    if (u.resetAt <= this.now()) {
      this.used.delete(method)
      return 0
    }
    return u.operating
  }

  /** How long to wait before calling these methods (0 when all are comfortably within budget). */
  delayFor(methods: Iterable<string>): number {
    let wait = 0
    for (const m of methods) {
      const u = this.used.get(m)
      if (!u) continue
      if (this.usage(m) >= this.options.budgetSec * this.threshold) wait = Math.max(wait, u.resetAt - this.now())
    }
    return wait
  }

  /** A 429 OPERATION_TIME_LIMIT: the method is exhausted until its reset (or a minute when unknown). */
  exhausted(method: string, fallbackMs: number): void {
    const u = this.used.get(method)
    const known = u && u.resetAt > this.now() ? u.resetAt : null
    this.used.set(method, { operating: this.options.budgetSec, resetAt: known ?? this.now() + fallbackMs })
  }
}
