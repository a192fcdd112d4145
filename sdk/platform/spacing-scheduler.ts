import { monotonicNow } from '../clock.js'
import type { Scheduler, SchedulerSettings } from '../scheduler.js'

/**
 * An in-page Scheduler for widget bundles: the part of bottleneck a browser tab uses (concurrency
 * and start spacing) in a few hundred bytes instead of ~8 KB gzip. No clustering: a page cannot
 * reach Redis.
 */
export class SpacingScheduler implements Scheduler {
  private readonly queue: (() => void)[] = []
  private running = 0
  private nextStart = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private stopped = false
  private idle: (() => void)[] = []

  constructor(private settings: SchedulerSettings) {}

  schedule<T>(job: () => Promise<T>): Promise<T> {
    // Same refusal as bottleneck's; RateLimiter turns it into a typed error before it gets here.
    if (this.stopped) return Promise.reject(new Error('This limiter has been stopped.'))
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        Promise.resolve()
          .then(job)
          .then(resolve, reject)
          .finally(() => {
            this.running--
            this.drain()
          })
      })
      this.drain()
    })
  }

  updateSettings(settings: SchedulerSettings): void {
    this.settings = settings
    this.drain()
  }

  stop(): Promise<void> {
    this.stopped = true
    if (!this.queue.length && !this.running) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  private drain(): void {
    if (this.timer) return
    while (this.queue.length && this.running < this.settings.maxConcurrent) {
      const wait = this.nextStart - monotonicNow()
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null
          this.drain()
        }, wait)
        return
      }
      this.running++
      this.nextStart = monotonicNow() + this.settings.minTime
      this.queue.shift()!()
    }
    if (!this.queue.length && !this.running) for (const done of this.idle.splice(0)) done()
  }
}
