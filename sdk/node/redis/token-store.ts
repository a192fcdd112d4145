// OAuth tokens shared by every worker of an account through Redis. `withLock` makes the refresh
// single-flight across processes: OAuthSession re-reads the store once it holds the lock, so the
// workers that queued behind the one that refreshed pick up its new pair instead of refreshing
// again (amoCRM and Bitrix24 refresh tokens are single-use: a second refresh would fail).
import type { Redis } from 'ioredis'
import type { TokenSet, TokenStore } from '../../token-store.js'
import { RedisLock, type RedisLockOptions } from './lock.js'

interface Stored {
  accessToken: string
  refreshToken: string | null
  expiresAt: string | null
}

export interface RedisTokenStoreOptions {
  /** Prefix of every key this store writes. Default `crmkit:tokens:`. */
  prefix?: string
  lock?: RedisLockOptions
}

export class RedisTokenStore implements TokenStore {
  private readonly prefix: string
  private readonly lock: RedisLock

  constructor(
    private readonly redis: Redis,
    options: RedisTokenStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'crmkit:tokens:'
    this.lock = new RedisLock(redis, options.lock)
  }

  async get(key: string): Promise<TokenSet | null> {
    const raw = await this.redis.get(this.prefix + key)
    if (raw === null) return null
    const t = JSON.parse(raw) as Stored
    return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt ? new Date(t.expiresAt) : null }
  }

  async set(key: string, tokens: TokenSet): Promise<void> {
    const stored: Stored = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt?.toISOString() ?? null }
    await this.redis.set(this.prefix + key, JSON.stringify(stored))
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.withLock(`${this.prefix}${key}:lock`, fn)
  }
}
