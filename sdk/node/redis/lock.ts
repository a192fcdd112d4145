// A Redis mutex for work that must happen once across processes (the OAuth refresh): SET NX PX to
// take it, a Lua compare-and-delete to give it back, so a holder whose lease expired can never
// release somebody else's lock.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

export interface RedisLockOptions {
  /** Lease: the lock frees itself this long after a holder crashed. Default 30,000 ms (a refresh takes < 1 s). */
  leaseMs?: number
  /** Give up waiting after this long. Default 60,000 ms. */
  waitMs?: number
  /** First pause between attempts, doubled up to 500 ms, with jitter. Default 25 ms. */
  retryMs?: number
}

/** Another process held the lock for longer than `waitMs` (it may have crashed mid-refresh). */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError'
}

export class RedisLock {
  private readonly leaseMs: number
  private readonly waitMs: number
  private readonly retryMs: number

  constructor(
    private readonly redis: Redis,
    options: RedisLockOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000
    this.waitMs = options.waitMs ?? 60_000
    this.retryMs = options.retryMs ?? 25
  }

  /** Runs `fn` while holding `key`; waits (with backoff) while another process holds it. */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const token = randomUUID()
    const deadline = Date.now() + this.waitMs
    for (let pause = this.retryMs; ; pause = Math.min(500, pause * 2)) {
      if ((await this.redis.set(key, token, 'PX', this.leaseMs, 'NX')) === 'OK') break
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(`Timed out after ${this.waitMs} ms waiting for the Redis lock "${key}"`)
      }
      await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * (pause / 2)))
    }
    try {
      return await fn()
    } finally {
      await this.redis.eval(RELEASE, 1, key, token)
    }
  }
}
