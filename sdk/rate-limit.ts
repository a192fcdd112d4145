import Bottleneck from 'bottleneck'

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
 * server's arrival (event-loop stalls, network), at ~5 % of throughput.
 */
export const WINDOW_MARGIN_MS = 60
/**
 * The margin when processes share the limit through Redis: each start also crosses a Redis round
 * trip and another process's event loop before it reaches the CRM, so arrivals jitter more.
 */
export const CLUSTER_WINDOW_MARGIN_MS = 150

export class RateLimiter {
  private readonly bottleneck: Bottleneck
  /** Set after a 429: nothing is sent before this moment, by any caller of this account. */
  private cooldownUntil = 0
  private consecutiveRateLimits = 0
  /** The rate in force: halved on each 429, regained one step per ten seconds' worth of successes. */
  private rps: number
  private successesSinceChange = 0

  constructor(readonly options: RateLimitOptions) {
    this.rps = options.requestsPerSecond
    const cluster = options.cluster
    this.bottleneck = new Bottleneck({
      ...this.settings(),
      ...(cluster
        ? { id: cluster.id, datastore: cluster.datastore, connection: cluster.connection, clearDatastore: false, ...(cluster.timeout ? { timeout: cluster.timeout } : {}) }
        : {}),
    })
  }

  private settings() {
    return {
      maxConcurrent: Math.max(1, Math.min(this.options.maxConcurrent, Math.ceil(this.rps))),
      minTime: Math.ceil((1000 + (this.options.cluster ? (this.options.cluster.marginMs ?? CLUSTER_WINDOW_MARGIN_MS) : WINDOW_MARGIN_MS)) / this.rps),
    }
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
      const pause = this.cooldownUntil - Date.now()
      if (pause > 0) await wait(pause)
      const result = await this.bottleneck.schedule(async () => {
        if (this.cooldownUntil > Date.now()) return deferred
        return { value: await send() }
      })
      if (result !== deferred) return result.value
    }
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
      this.bottleneck.updateSettings(this.settings())
    }
    const backoff = Math.min(60_000, baseMs * 2 ** (this.consecutiveRateLimits - 1))
    const pause = Math.max(retryAfterMs ?? 0, backoff)
    this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + pause)
    return pause
  }

  noteSuccess(): void {
    this.consecutiveRateLimits = 0
    if (this.rps >= this.options.requestsPerSecond) return
    // Additive increase, slowly: one request/s more after ~10 s without a 429.
    if (++this.successesSinceChange >= this.rps * 10) {
      this.rps = Math.min(this.options.requestsPerSecond, this.rps + 1)
      this.successesSinceChange = 0
      this.bottleneck.updateSettings(this.settings())
    }
  }

  get rateLimitStreak(): number {
    return this.consecutiveRateLimits
  }

  async stop(): Promise<void> {
    await this.bottleneck.stop({ dropWaitingJobs: false })
    // A clustered limiter holds Redis subscriptions; the shared connection stays open (its owner closes it).
    if (this.options.cluster) await this.bottleneck.disconnect(false)
  }
}

const deferred = Symbol('deferred')
