import { AuthError, type CrmName } from './errors.js'
import { singleFlight } from './single-flight.js'

// The token types and the in-memory store live in token-store.ts, apart from OAuthSession, so a
// bundle that only needs the default store (every widget) does not carry the refresh logic.
import type { TokenSet, TokenStore } from './token-store.js'

/** What an adapter supplies: the CRM-specific call that trades a refresh token for a new pair. */
export type RefreshTokens = (current: TokenSet, signal?: AbortSignal) => Promise<TokenSet>

export interface OAuthSessionOptions {
  crm: CrmName
  store: TokenStore
  /** Key of this account's tokens in the store (e.g. `amocrm:acme`). */
  key: string
  refresh: RefreshTokens
  /** Tokens to seed the store with when it has none (first run after the code exchange). */
  initial?: TokenSet
  /** Refresh this long before `expiresAt`, so requests in flight don't race the expiry. */
  skewMs?: number
  now?: () => number
}

/**
 * Hands out access tokens and refreshes them **once** however many requests hit the expiry
 * together (single-flight): concurrent callers share one refresh promise.
 */
export class OAuthSession {
  private seeded: Promise<void> | null = null
  private readonly skewMs: number
  private readonly now: () => number

  /** Single-flight (see singleFlight: no caller's signal reaches the refresh itself). */
  private readonly refreshOnce: (signal: AbortSignal | undefined, stale: string) => Promise<TokenSet>

  constructor(private readonly options: OAuthSessionOptions) {
    this.skewMs = options.skewMs ?? 60_000
    this.now = options.now ?? Date.now
    this.refreshOnce = singleFlight((stale: string) => this.doRefresh(stale), options.crm)
  }

  /** A usable access token, refreshing first if it is (about to be) expired. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const tokens = await this.current()
    if (tokens.expiresAt && tokens.expiresAt.getTime() - this.skewMs <= this.now()) {
      return (await this.refreshOnce(signal, tokens.accessToken)).accessToken
    }
    return tokens.accessToken
  }

  /**
   * The CRM rejected `rejected`. Refreshes unless someone already did (the store then holds a
   * different token), and resolves to the token to retry with.
   */
  async refreshAfterReject(rejected: string, signal?: AbortSignal): Promise<string> {
    return (await this.refreshOnce(signal, rejected)).accessToken
  }

  private async current(): Promise<TokenSet> {
    const { store, key, initial, crm } = this.options
    if (initial && !this.seeded) {
      this.seeded = store.get(key).then(async (existing) => {
        if (!existing) await store.set(key, initial)
      })
    }
    await this.seeded
    const tokens = await store.get(key)
    if (!tokens) throw new AuthError(`No tokens stored under "${key}": authorise the integration first`, { crm })
    return tokens
  }

  private async doRefresh(stale: string): Promise<TokenSet> {
    const { store, key, crm } = this.options
    const run = async () => {
      const tokens = await this.current()
      // Another process (or an earlier refresh) already replaced the token we saw fail.
      const fresh = !tokens.expiresAt || tokens.expiresAt.getTime() - this.skewMs > this.now()
      if (tokens.accessToken !== stale && fresh) return tokens
      if (!tokens.refreshToken) {
        throw new AuthError('The access token expired or was revoked and cannot be refreshed', { crm })
      }
      const next = await this.options.refresh(tokens)
      await store.set(key, next) // persist before anyone uses the new pair
      return next
    }
    return store.withLock ? store.withLock(key, run) : run()
  }
}
