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
import type { Bitrix24Auth } from './options.js'
import { WireTokenResponse } from './wire.js'

const crm = 'bitrix24'
export const DEFAULT_SERVER_ENDPOINT = 'https://oauth.bitrix.info/rest/'

/** `https://oauth.bitrix.info/rest/` → `https://oauth.bitrix.info/oauth/token/`. */
export function tokenUrl(serverEndpoint: string): string {
  const u = new URL(serverEndpoint)
  return `${u.origin}/oauth/token/`
}

const authQuery = (token: string) => `auth=${encodeURIComponent(token)}`

export function createAuth(auth: Bitrix24Auth, restUrl: string, env: { tokenStore: TokenStore; rawPost: RawPost }): AuthStrategy {
  switch (auth.kind) {
    case 'webhook':
      // The code in the URL is the credential; a 401 means the hook was deleted or expired.
      return { authorize: async () => ({ headers: {} }) }
    case 'oauth': {
      // The auth server can change with a refresh answer (server_endpoint); follow it.
      let server = auth.serverEndpoint ?? DEFAULT_SERVER_ENDPOINT
      const session = new OAuthSession({
        crm,
        store: env.tokenStore,
        key: `bitrix24:${auth.memberId ?? restUrl}`,
        ...(auth.tokens ? { initial: auth.tokens } : {}),
        refresh: async (current, signal) => {
          const res = await env.rawPost(
            tokenUrl(server),
            { grant_type: 'refresh_token', client_id: auth.clientId, client_secret: auth.clientSecret, refresh_token: current.refreshToken ?? '' },
            { form: true, ...(signal ? { signal } : {}) },
          )
          const { tokens, serverEndpoint } = toTokenSet(res.status, res.data)
          if (serverEndpoint) server = serverEndpoint
          return tokens
        },
      })
      return {
        async authorize(signal) {
          const token = await session.accessToken(signal)
          return { headers: {}, query: authQuery(token), credential: token }
        },
        async handleUnauthorized(credential, signal) {
          if (!credential) return false
          await session.refreshAfterReject(credential, signal)
          return true
        },
      }
    }
    case 'frame': {
      // Inside the placement the parent window owns the refresh token; no client secret here.
      let current = { authId: auth.authId, expiresAt: auth.expiresAt ?? null }
      let inflight: Promise<void> | null = null
      const refresh = auth.refresh
      const refreshOnce = () =>
        (inflight ??= (async () => {
          if (!refresh) throw new AuthError('Bitrix24 frame auth expired: reopen the application (no refresh callback was given)', { crm, code: 'expired_token' })
          const next = await refresh()
          current = { authId: next.authId, expiresAt: next.expiresAt ?? null }
        })().finally(() => {
          inflight = null
        }))
      return {
        async authorize() {
          if (current.expiresAt && current.expiresAt.getTime() - 30_000 <= Date.now() && refresh) await refreshOnce()
          return { headers: {}, query: authQuery(current.authId), credential: current.authId }
        },
        async handleUnauthorized(credential) {
          if (!refresh) return false
          if (credential === current.authId) await refreshOnce()
          return true
        },
      }
    }
  }
}

/** Reads an auth-server answer; `invalid_grant` means the refresh token is dead. */
export function toTokenSet(status: number, data: unknown, now = Date.now()): { tokens: TokenSet; serverEndpoint: string | null; clientEndpoint: string | null; memberId: string | null } {
  const error = data && typeof data === 'object' ? (data as { error?: unknown; error_description?: unknown }) : null
  if (status !== 200 || typeof error?.error === 'string') {
    const code = typeof error?.error === 'string' ? error.error : `http_${status}`
    const detail = typeof error?.error_description === 'string' ? error.error_description : null
    throw new AuthError(
      code === 'invalid_grant'
        ? 'Bitrix24 rejected the refresh token (invalid_grant): the application must be re-authorised or reinstalled on the portal'
        : code === 'invalid_client'
          ? 'Bitrix24 rejected the application credentials (invalid_client): check client_id and client_secret'
          : `Bitrix24 auth server answered ${code}: re-authorise the application`,
      { crm, status, code: code === 'invalid_grant' ? 'refresh_failed' : code, detail },
    )
  }
  const t = parseResponse(WireTokenResponse, data, crm, 'oauth/token')
  return {
    tokens: { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: new Date(now + Number(t.expires_in) * 1000) },
    serverEndpoint: t.server_endpoint ?? null,
    clientEndpoint: t.client_endpoint ?? null,
    memberId: t.member_id ?? null,
  }
}

/** Where to send a portal admin to install/authorise the app (Bitrix24 redirects back with `code`). */
export function authorizeUrl(o: { portal: string; clientId: string; state: string }): string {
  const q = new URLSearchParams({ client_id: o.clientId, state: o.state })
  return `https://${o.portal.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/oauth/authorize/?${q}`
}

/**
 * Trades the 30-second authorization code for the first token pair at the auth server named by
 * the redirect's `server_domain` (default oauth.bitrix.info). Save the result (or pass `store`):
 * the refresh token rotates.
 */
export async function exchangeCode(o: {
  clientId: string
  clientSecret: string
  code: string
  serverEndpoint?: string
  store?: TokenStore
}): Promise<{ tokens: TokenSet; clientEndpoint: string | null; serverEndpoint: string | null; memberId: string | null }> {
  const res = await createRawPost(defaultTransport)(
    tokenUrl(o.serverEndpoint ?? DEFAULT_SERVER_ENDPOINT),
    { grant_type: 'authorization_code', client_id: o.clientId, client_secret: o.clientSecret, code: o.code },
    { form: true },
  )
  const out = toTokenSet(res.status, res.data)
  if (o.store) await o.store.set(`bitrix24:${out.memberId ?? out.clientEndpoint ?? ''}`, out.tokens)
  return out
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
