// The account's rate limit shared by every process through Redis (bottleneck's clustering mode):
// pass the result as `createCrm(adapter, { rateLimit: { cluster } })` in each worker.
import Bottleneck from 'bottleneck'
import { Redis } from 'ioredis'
import type { RateLimitCluster } from '../../rate-limit.js'

export interface RedisRateLimitOptions {
  /** The account (or integration) whose limit is shared, e.g. `amocrm:acme`. */
  id: string
  /** Idle ms after which Redis forgets the limiter's state. Default 5 minutes. */
  timeout?: number
  /** Extra spacing per second against cross-process jitter. Default CLUSTER_WINDOW_MARGIN_MS (150). */
  marginMs?: number
}

/**
 * Builds the `cluster` setting of a limiter: a bottleneck connection over `redis` (bottleneck
 * duplicates it for its pub/sub channel). One connection can serve many accounts; close it with
 * `cluster.connection.disconnect()` after the clients using it are closed.
 */
export function redisRateLimit(redis: Redis, options: RedisRateLimitOptions): RateLimitCluster {
  const connection = new Bottleneck.IORedisConnection({ client: redis, Redis } as Bottleneck.IORedisConnectionOptions)
  return {
    id: `crmkit:limit:${options.id}`,
    datastore: 'ioredis',
    connection,
    ...(options.timeout ? { timeout: options.timeout } : {}),
    ...(options.marginMs !== undefined ? { marginMs: options.marginMs } : {}),
  }
}
