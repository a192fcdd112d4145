// Server-side Bitrix24 OAuth (refresh with the client secret, the code exchange): loaded by auth.ts
// on first use, so the app's browser bundle, which runs on frame auth, never carries it.
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

export function createOAuth(auth: Extract<Bitrix24Auth, { kind: 'oauth' }>, restUrl: string, env: { tokenStore: TokenStore; rawPost: RawPost }): AuthStrategy {
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

