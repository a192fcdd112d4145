// `crmkit/redis`: scale-out across processes. Node-only, and the only place ioredis is imported:
// the in-process defaults (MemoryTokenStore, the in-process limiter) need no Redis.
export { RedisTokenStore, type RedisTokenStoreOptions } from './token-store.js'
export { LockTimeoutError, RedisLock, type RedisLockOptions } from './lock.js'
export { redisRateLimit, type RedisRateLimitOptions } from './rate-limit.js'
