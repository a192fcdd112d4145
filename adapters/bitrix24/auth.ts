import { AuthError, lazyAuth, type AuthStrategy, type RawPost, type TokenStore } from '../../sdk/index.js'
import { singleFlight } from '../../sdk/single-flight.js'
import type { Bitrix24Auth } from './options.js'

const crm = 'bitrix24'
const authQuery = (token: string) => `auth=${encodeURIComponent(token)}`

/**
 * Webhook and frame auth are built here; OAuth with the client secret (a server's) loads from
 * auth-server.ts on first use, so the app's browser bundle never carries it.
 */
export function createAuth(auth: Bitrix24Auth, restUrl: string, env: { tokenStore: TokenStore; rawPost: RawPost }): AuthStrategy {
  switch (auth.kind) {
    case 'webhook':
      // The code in the URL is the credential; a 401 means the hook was deleted or expired.
      return { authorize: async () => ({ headers: {} }) }
    case 'oauth':
      return lazyAuth(() => import(/* webpackChunkName: "bitrix24-oauth" */ './auth-server.js').then((m) => m.createOAuth(auth, restUrl, env)))
    case 'frame': {
      // Inside the placement the parent window owns the refresh token; no client secret here.
      let current = { authId: auth.authId, expiresAt: auth.expiresAt ?? null }
      const refresh = auth.refresh
      const refreshOnce = singleFlight(async () => {
        if (!refresh) throw new AuthError('Bitrix24 frame auth expired: reopen the application (no refresh callback was given)', { crm, code: 'expired_token' })
        const next = await refresh()
        current = { authId: next.authId, expiresAt: next.expiresAt ?? null }
      }, crm)
      return {
        async authorize() {
          if (current.expiresAt && current.expiresAt.getTime() - 30_000 <= Date.now() && refresh) await refreshOnce(undefined)
          return { headers: {}, query: authQuery(current.authId), credential: current.authId }
        },
        async handleUnauthorized(credential) {
          if (!refresh) return false
          if (credential === current.authId) await refreshOnce(undefined)
          return true
        },
      }
    }
  }
}

/**
 * Frame auth from what Bitrix24 POSTs to a placement or app page (AUTH_ID, AUTH_EXPIRES,
 * REFRESH_ID, member_id in the body; DOMAIN and PROTOCOL in the query string).
 */
export function frameAuthFromPlacement(
  body: Record<string, string> | URLSearchParams,
  query: Record<string, string> | URLSearchParams = {},
  now = Date.now(),
): Extract<Bitrix24Auth, { kind: 'frame' }> {
  const get = (src: Record<string, string> | URLSearchParams, k: string) => (src instanceof URLSearchParams ? src.get(k) ?? undefined : src[k])
  const pick = (k: string) => get(body, k) ?? get(query, k)
  const authId = pick('AUTH_ID')
  const domain = pick('DOMAIN')
  const memberId = pick('member_id')
  if (!authId || !domain || !memberId) throw new AuthError('Not a Bitrix24 placement request: AUTH_ID, DOMAIN and member_id are required', { crm })
  const expires = Number(pick('AUTH_EXPIRES') ?? 3600)
  const refreshId = pick('REFRESH_ID')
  return {
    kind: 'frame',
    authId,
    domain,
    memberId,
    ...(refreshId ? { refreshId } : {}),
    expiresAt: new Date(now + expires * 1000),
    protocol: pick('PROTOCOL') === '0' ? 'http' : 'https',
  }
}
