import type Bottleneck from 'bottleneck'
import { CrmError, type CrmName } from './errors.js'
import { createScheduler } from './platform/index.js'
import { monotonicNow } from './clock.js'
import type { Scheduler, SchedulerSettings } from './scheduler.js'

export interface RateLimitOptions {
  /** Requests started per second, never exceeded in any one-second window. */
  requestsPerSecond: number
  /** Requests in flight at once. */
  maxConcurrent: number
  /**
   * Share this limit with other processes (bottleneck's clustering mode): every limiter with the
   * same `id` on the same Redis spaces its requests as one. Built by `redisRateLimit()` from
   * `crmkit/redis`; without it the limiter is in-process and needs no Redis.
   */
  cluster?: RateLimitCluster
}

export interface RateLimitCluster {
  /** One id per CRM account (or per integration, as the CRM counts). */
  id: string
  datastore: 'ioredis'
  connection: Bottleneck.IORedisConnection
  /** Idle ms after which Redis forgets this limiter's state. Default: bottleneck's (5 min). */
  timeout?: number
  /** Spacing margin, as WINDOW_MARGIN_MS. Default CLUSTER_WINDOW_MARGIN_MS. */
  marginMs?: number
}

/**
 * Spaces request starts (1000 + margin)/rps ms apart (bottleneck `minTime`) instead of refilling a
 * bucket each second: a refill lets a burst straddle a second boundary, and amoCRM counts any
 * one-second window of *arrivals*. The margin absorbs the jitter between our start and the
 * server's arrival (event-loop stalls, network), at ~7 % of throughput: 60 ms was once beaten by
 * 62 ms of in-process delay on a loaded 2-CPU machine.
 */
export const WINDOW_MARGIN_MS = 80
/**
 * The margin when processes share the limit through Redis: each start also crosses a Redis round
 * trip and another process's event loop before it reaches the CRM, so arrivals jitter more.
 */
export const CLUSTER_WINDOW_MARGIN_MS = 150

/** Builds the Scheduler under a RateLimiter: bottleneck in Node, SpacingScheduler in widget bundles. */
export type SchedulerFactory = (settings: SchedulerSettings, cluster?: RateLimitCluster) => Scheduler

export class RateLimiter {
  private readonly scheduler: Scheduler
  private closed = false
  /** Set after a 429: nothing is sent before this moment, by any caller of this account. */
  private cooldownUntil = 0
  private consecutiveRateLimits = 0
  /** The rate in force: halved on each 429, regained one step per ten seconds' worth of successes. */
  private rps: number
  private successesSinceChange = 0
  /** When the last requests were actually sent (monotonic ms), oldest first; see windowWait. */
  private readonly sent: number[] = []

  constructor(
    readonly options: RateLimitOptions,
    private readonly crm: CrmName = 'unknown',
    factory: SchedulerFactory = createScheduler,
  ) {
    this.rps = options.requestsPerSecond
    this.scheduler = factory(this.settings(), options.cluster)
  }

  private settings(): SchedulerSettings {
    return {
      maxConcurrent: Math.max(1, Math.min(this.options.maxConcurrent, Math.ceil(this.rps))),
      minTime: this.minTime(),
    }
  }

  /** The spacing between starts at the rate in force. */
  private minTime(): number {
    return Math.ceil(this.windowMs() / this.rps)
  }

  private windowMs(): number {
    return 1000 + (this.options.cluster ? (this.options.cluster.marginMs ?? CLUSTER_WINDOW_MARGIN_MS) : WINDOW_MARGIN_MS)
  }

  /**
   * How long a request that is about to be sent must still wait so that no k = ⌈rps⌉ sends fall
   * within k spacings (the spacing's own pace, also for fractional rates: Bitrix24's 1.9/s is
   * 2 sends per ~1.1 s); 0 means "send now", and books the send. bottleneck fixes each job's
   * successor's start when it schedules the job, so a timer that fires late (a page being mapped,
   * a GC pause) used to push one request towards the next and put rps + 1 arrivals in one second:
   * a 429, and a halved rate for the next ~40 s. This checks the actual send times instead; the
   * caller waits and asks again, as timers may fire late too.
   */
  private windowWait(): number {
    const k = Math.max(1, Math.ceil(this.rps))
    const now = monotonicNow()
    const oldest = this.sent.length >= k ? (this.sent[this.sent.length - k] as number) : -Infinity
    const wait = oldest + k * this.minTime() - now
    if (wait > 0) return wait
    this.sent.push(now)
    if (this.sent.length > k) this.sent.splice(0, this.sent.length - k)
    return 0
  }

  /** Requests per second currently allowed (below the configured rate after 429s). */
  get currentRate(): number {
    return this.rps
  }

  /**
   * Runs `send` in a limiter slot. When a cooldown is in force the slot is given back unused and
   * the caller waits, so queued requests cannot burst out together when the cooldown ends.
   */
  async run<T>(send: () => Promise<T>, wait: (ms: number) => Promise<void>): Promise<T> {
    for (;;) {
      this.throwIfClosed()
      const pause = this.cooldownUntil - monotonicNow()
      if (pause > 0) {
        await wait(pause)
        // Closed during the cooldown: this request was never sent, so it must not look like a lost write.
        this.throwIfClosed()
      }
      const result = await this.scheduler.schedule(async () => {
        if (this.cooldownUntil > monotonicNow()) return deferred
        for (let early = this.windowWait(); early > 0; early = this.windowWait()) {
          await wait(early)
          if (this.closed || this.cooldownUntil > monotonicNow()) return deferred
        }
        return { value: await send() }
      })
      if (result !== deferred) return result.value
    }
  }

  private throwIfClosed(): void {
    if (this.closed) throw new CrmError('the client was closed; it sends no more requests', { crm: this.crm, code: 'closed' })
  }

  /**
   * Records a rate-limit answer and returns how long the whole account should pause. Repeated 429s
   * double the pause (up to a minute), because amoCRM blocks accounts that keep hitting the limit.
   */
  noteRateLimited(retryAfterMs: number | null, baseMs: number): number {
    this.consecutiveRateLimits++
    // Multiplicative decrease: the CRM's real limit is lower than we were told (shared with other
    // integrations, or misconfigured), and every further 429 brings an account block closer.
    const lowered = Math.max(1, Math.floor(this.rps / 2))
    if (lowered < this.rps) {
      this.rps = lowered
      this.successesSinceChange = 0
      this.scheduler.updateSettings(this.settings())
    }
    const backoff = Math.min(60_000, baseMs * 2 ** (this.consecutiveRateLimits - 1))
    const pause = Math.max(retryAfterMs ?? 0, backoff)
    this.cooldownUntil = Math.max(this.cooldownUntil, monotonicNow() + pause)
    return pause
  }

  noteSuccess(): void {
    this.consecutiveRateLimits = 0
    if (this.rps >= this.options.requestsPerSecond) return
    // Additive increase, slowly: one request/s more after ~10 s without a 429.
    if (++this.successesSinceChange >= this.rps * 10) {
      this.rps = Math.min(this.options.requestsPerSecond, this.rps + 1)
      this.successesSinceChange = 0
      this.scheduler.updateSettings(this.settings())
    }
  }

  get rateLimitStreak(): number {
    return this.consecutiveRateLimits
  }

  async stop(): Promise<void> {
    this.closed = true
    await this.scheduler.stop()
    await this.scheduler.disconnect?.()
  }
}

const deferred = Symbol('deferred')
