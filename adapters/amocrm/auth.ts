import {
  AuthError,
  createRawPost,
  defaultTransport,
  OAuthSession,
  parseResponse,
  type AuthStrategy,
  type RawPost,
  type TokenSet,
  type TokenStore,
} from '../../sdk/index.js'
import type { AmoCrmAuth } from './options.js'
import { WireTokenResponse } from './wire.js'

const crm = 'amocrm'

export function createAuth(
  auth: AmoCrmAuth,
  baseUrl: string,
  env: { tokenStore: TokenStore; rawPost: RawPost },
): AuthStrategy {
  switch (auth.kind) {
    case 'long-lived-token':
      if (!auth.token) throw new TypeError('amocrm auth.token is empty')
      // A 401 on a long-lived token means revoked or expired; there is nothing to refresh.
      return { authorize: async () => ({ headers: { Authorization: `Bearer ${auth.token}` }, credential: auth.token }) }
    case 'browser-session':
      return { authorize: async () => ({ headers: { 'X-Requested-With': 'XMLHttpRequest' } }), withCredentials: true }
    case 'oauth': {
      const session = new OAuthSession({
        crm,
        store: env.tokenStore,
        key: `amocrm:${baseUrl}`,
        ...(auth.tokens ? { initial: auth.tokens } : {}),
        refresh: (current, signal) =>
          requestTokens((url, body) => env.rawPost(url, body, signal ? { signal } : {}), baseUrl, auth, {
            grant_type: 'refresh_token',
            refresh_token: current.refreshToken,
          }),
      })
      return {
        async authorize(signal) {
          const token = await session.accessToken(signal)
          return { headers: { Authorization: `Bearer ${token}` }, credential: token }
        },
        async handleUnauthorized(credential, signal) {
          if (!credential) return false
          await session.refreshAfterReject(credential, signal)
          return true
        },
      }
    }
  }
}

type OAuthClient = { clientId: string; clientSecret: string; redirectUri: string }
type Post = (url: string, body: unknown) => Promise<{ status: number; data: unknown }>

/** Both grants go to the account's own `/oauth2/access_token` with the client's credentials. */
async function requestTokens(post: Post, baseUrl: string, client: OAuthClient, grant: Record<string, unknown>): Promise<TokenSet> {
  const res = await post(`${baseUrl}/oauth2/access_token`, {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uri: client.redirectUri,
    ...grant,
  })
  return toTokenSet(res.status, res.data)
}

function toTokenSet(status: number, data: unknown, now = Date.now()): TokenSet {
  if (status !== 200) {
    const hint = (data as { hint?: string } | null)?.hint
    throw new AuthError(
      hint === 'Token has been revoked'
        ? 'amoCRM rejected the refresh token (already used or revoked): re-authorise the integration'
        : `amoCRM token endpoint answered HTTP ${status}: re-authorise the integration`,
      { crm, status, code: 'refresh_failed', detail: hint ?? null },
    )
  }
  const t = parseResponse(WireTokenResponse, data, crm, 'POST /oauth2/access_token')
  return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: new Date(now + t.expires_in * 1000) }
}

/** The URL that sends an admin to grant access (the redirect comes back with `code` and `referer`). */
export function authorizeUrl(o: { clientId: string; state: string; mode?: 'post_message' | 'popup'; domain?: string }): string {
  const q = new URLSearchParams({ client_id: o.clientId, state: o.state, mode: o.mode ?? 'post_message' })
  return `https://www.${o.domain ?? 'amocrm.ru'}/oauth?${q}`
}

/**
 * Trades the 20-minute, single-use authorization code for the first token pair. Save the result
 * (or pass `store`) before using it: the refresh token rotates on every refresh.
 */
export async function exchangeCode(o: {
  baseUrl: string
  clientId: string
  clientSecret: string
  redirectUri: string
  code: string
  store?: TokenStore
}): Promise<TokenSet> {
  const base = o.baseUrl.replace(/\/+$/, '')
  const post = createRawPost(defaultTransport)
  const tokens = await requestTokens(post, base, o, { grant_type: 'authorization_code', code: o.code })
  if (o.store) await o.store.set(`amocrm:${base}`, tokens)
  return tokens
}
