export interface TokenSet {
  accessToken: string
  /** Null for credentials that cannot be refreshed (long-lived tokens). */
  refreshToken: string | null
  expiresAt: Date | null
}

/**
 * Where OAuth tokens live between runs. amoCRM and Bitrix24 rotate the refresh token on every
 * refresh, so the new pair must be saved before it is used: a crash in between locks the
 * integration out. `withLock` lets a shared store (Redis) serialise refreshes across processes.
 */
export interface TokenStore {
  get(key: string): Promise<TokenSet | null>
  set(key: string, tokens: TokenSet): Promise<void>
  withLock?<T>(key: string, fn: () => Promise<T>): Promise<T>
}

export class MemoryTokenStore implements TokenStore {
  private readonly map = new Map<string, TokenSet>()
  async get(key: string): Promise<TokenSet | null> {
    return this.map.get(key) ?? null
  }
  async set(key: string, tokens: TokenSet): Promise<void> {
    this.map.set(key, tokens)
  }
}
