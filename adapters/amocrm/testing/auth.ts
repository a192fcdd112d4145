// Who is calling: a bearer token (long-lived, or an OAuth access token with expiry) or the browser
// session of a widget running inside amoCRM (cookie, no token). Also the OAuth token endpoint.
//
// amoCRM's OAuth server behaves like league/oauth2-server (refresh tokens "def50200…", hints such as
// "Token has been revoked", 401 for bad refresh tokens, 400 for bad codes), so that library's rules
// fill the gaps the docs leave: a refresh rotates the refresh token AND revokes the old access token.
import type { Random } from '../../../sdk/testing/random.js'

export interface OAuthClientConfig { clientId: string; clientSecret: string; redirectUri: string }

export interface TokenPair { token_type: 'Bearer'; expires_in: number; access_token: string; refresh_token: string }

export type AuthKind = 'bearer' | 'session' | 'none'

export interface Caller { kind: 'bearer' | 'session'; userId: number }

export interface ProblemBody { title: string; type: string; status: number; detail: string; hint?: string }

export const SESSION_COOKIE = 'session_id'
const CODE_TTL_SEC = 20 * 60
const REFRESH_TTL_SEC = 90 * 86_400
const LONG_LIVED_TTL_SEC = 5 * 365 * 86_400
const OAUTH_PROBLEM = 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson'
const INVALID_REQUEST = 'В запросе отсутствует ряд параметров или параметры невалидны'

export interface AuthOptions {
  random: Random
  /** Emulator clock, ms. */
  now: () => number
  client: OAuthClientConfig
  accessTokenTtlSec: number
  accountId: number
  /** The user tokens and the session act as (the account admin). */
  userId: number
  baseDomain: string
  /** Issue time of the long-lived token, Unix seconds; fixed so the token is deterministic. */
  longLivedIssuedAt: number
  onRefresh: () => void
}

interface AccessToken { expiresAt: number | null; revoked: boolean; userId: number }
interface Grant { expiresAt: number; used: boolean; userId: number; accessToken?: string }

export type AuthResult = { ok: true; caller: Caller } | { ok: false; detail: string }
export type TokenEndpointResult = { status: number; body: TokenPair | ProblemBody }

function base64url(s: string): string {
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export class AuthService {
  readonly longLivedToken: string
  readonly sessionId: string
  private readonly accessTokens = new Map<string, AccessToken>()
  private readonly refreshTokens = new Map<string, Grant>()
  private readonly codes = new Map<string, Grant>()

  constructor(private readonly o: AuthOptions) {
    this.longLivedToken = this.jwt(o.longLivedIssuedAt, o.longLivedIssuedAt + LONG_LIVED_TTL_SEC)
    // Long-lived tokens expire in 1–5 years; the emulator clock is independent of the seed, so never.
    this.accessTokens.set(this.longLivedToken, { expiresAt: null, revoked: false, userId: o.userId })
    this.sessionId = o.random.string(32)
  }

  /** Resolves the caller from `Authorization: Bearer …`, else the session cookie. */
  authenticate(authorization: string | null, cookies: Record<string, string | undefined>): AuthResult {
    if (authorization !== null) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim())
      const token = m ? this.accessTokens.get(m[1] as string) : undefined
      if (!token) return { ok: false, detail: 'Неверный логин или пароль' }
      if (token.revoked) return { ok: false, detail: 'Токен отозван' }
      if (token.expiresAt !== null && this.o.now() >= token.expiresAt) return { ok: false, detail: 'Срок действия токена истёк' }
      return { ok: true, caller: { kind: 'bearer', userId: token.userId } }
    }
    if (cookies[SESSION_COOKIE] === this.sessionId) return { ok: true, caller: { kind: 'session', userId: this.o.userId } }
    return { ok: false, detail: 'Неверный логин или пароль' }
  }

  issueAuthorizationCode(): string {
    const code = `def50200${this.o.random.string(256)}`
    this.codes.set(code, { expiresAt: this.o.now() + CODE_TTL_SEC * 1000, used: false, userId: this.o.userId })
    return code
  }

  /** A fresh pair, as if the OAuth flow had just completed. */
  issueTokens(): TokenPair {
    return this.mint(this.o.userId)
  }

  /** Makes every OAuth access token expired (long-lived tokens are unaffected). */
  expireAccessTokens(): void {
    const past = this.o.now() - 1
    for (const token of this.accessTokens.values()) if (token.expiresAt !== null) token.expiresAt = past
  }

  /** `POST /oauth2/access_token`. */
  tokenEndpoint(body: unknown): TokenEndpointResult {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
    const { client } = this.o
    if (b.client_id !== client.clientId || b.client_secret !== client.clientSecret) {
      return oauthError(401, 'Client authentication failed', 'Ошибка аутентификации клиента')
    }
    const now = this.o.now()
    if (b.grant_type === 'authorization_code') {
      if (typeof b.code !== 'string' || b.code === '') return oauthError(400, 'Check the `code` parameter')
      const grant = this.codes.get(b.code)
      if (!grant) return oauthError(400, 'Cannot decrypt the authorization code')
      if (grant.used) return oauthError(400, 'Authorization code has been revoked')
      if (now >= grant.expiresAt) return oauthError(400, 'Authorization code has expired')
      if (b.redirect_uri !== client.redirectUri) return oauthError(401, 'Invalid redirect URI', 'Ошибка аутентификации клиента')
      grant.used = true
      return { status: 200, body: this.mint(grant.userId) }
    }
    if (b.grant_type === 'refresh_token') {
      if (typeof b.refresh_token !== 'string' || b.refresh_token === '') return oauthError(400, 'Check the `refresh_token` parameter')
      const grant = this.refreshTokens.get(b.refresh_token)
      if (!grant) return oauthError(401, 'Cannot decrypt the refresh token')
      if (grant.used) return oauthError(401, 'Token has been revoked')
      if (now >= grant.expiresAt) return oauthError(401, 'Token has expired')
      // Single use: rotate the refresh token and revoke the access token it was issued with.
      grant.used = true
      const old = grant.accessToken ? this.accessTokens.get(grant.accessToken) : undefined
      if (old) old.revoked = true
      this.o.onRefresh()
      return { status: 200, body: this.mint(grant.userId) }
    }
    return oauthError(400, 'Check the `grant_type` parameter')
  }

  private mint(userId: number): TokenPair {
    const nowSec = Math.floor(this.o.now() / 1000)
    const ttl = this.o.accessTokenTtlSec
    const access = this.jwt(nowSec, nowSec + ttl, userId)
    const refresh = `def50200${this.o.random.string(384)}`
    this.accessTokens.set(access, { expiresAt: (nowSec + ttl) * 1000, revoked: false, userId })
    this.refreshTokens.set(refresh, { expiresAt: (nowSec + REFRESH_TTL_SEC) * 1000, used: false, userId, accessToken: access })
    return { token_type: 'Bearer', expires_in: ttl, access_token: access, refresh_token: refresh }
  }

  /** Looks like amoCRM's RS256 JWT; verified by lookup, so the signature is just random bytes. */
  private jwt(iat: number, exp: number, userId = this.o.userId): string {
    const jti = this.o.random.string(40)
    const header = { typ: 'JWT', alg: 'RS256', jti }
    const payload = {
      aud: this.o.client.clientId, jti, iat, nbf: iat, exp, sub: String(userId), grant_type: '',
      account_id: this.o.accountId, base_domain: this.o.baseDomain, version: 2, scopes: ['crm', 'notifications'],
    }
    const sig = this.o.random.string(342, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
    return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${sig}`
  }
}

function oauthError(status: number, hint: string, detail = INVALID_REQUEST): TokenEndpointResult {
  return { status, body: { hint, title: 'Некорректный запрос', type: OAUTH_PROBLEM, status, detail } }
}
