// Server-side Creatio logins (forms login with cookies, OAuth client credentials): loaded by
// auth.ts on first use, so widget bundles, which use the page's own session, never carry them.
import { AuthError, defaultTransport, parseJsonOrText, parseResponse, type AuthStrategy, type Authorization, type TransportRequest, type TransportResponse } from '../../sdk/index.js'
import { singleFlight } from '../../sdk/single-flight.js'
import type { CreatioAuth } from './options.js'
import { WireLoginResult, WireOpenIdConfiguration, WireTokenResponse } from './wire.js'

const crm = 'creatio'
/** Login and token endpoints: outside the limiter, one attempt, the answer read whatever its status. */
const plain = (req: Omit<TransportRequest, 'timeoutMs'>) => defaultTransport({ timeoutMs: 30_000, ...req })

const json = (res: TransportResponse): unknown => parseJsonOrText(res.text) ?? null
const isHtml = (res: TransportResponse) => /text\/html/i.test(res.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(res.text)

export interface CookieSession {
  cookies: Record<string, string>
  /** Changes on every login, so a rejected request can tell whether someone already re-logged in. */
  generation: string
}

/** Name → value of each `Set-Cookie` (attributes dropped). */
export function parseSetCookie(header: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of Array.isArray(header) ? header : header ? [header] : []) {
    const pair = line.split(';', 1)[0]!
    const eq = pair.indexOf('=')
    if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
  }
  return out
}

/**
 * `POST {site}/ServiceModel/AuthService.svc/Login` (never under `/0`). HTTP 200 is not success:
 * `Code` must be 0 (research §2.1). Returns the cookies to send, `BPMCSRF` among them.
 */
export async function login(
  siteUrl: string,
  a: { userName: string; password: string; workspace?: string },
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const res = await plain({
    method: 'POST',
    url: `${siteUrl}/ServiceModel/AuthService.svc/Login`,
    body: JSON.stringify({ UserName: a.userName, UserPassword: a.password, ...(a.workspace ? { WorkspaceName: a.workspace } : {}) }),
    headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', ForceUseSession: 'true' },
    ...(signal ? { signal } : {}),
  })
  if (res.status !== 200 || isHtml(res)) {
    throw new AuthError(`Creatio login failed with HTTP ${res.status}${isHtml(res) ? ' (an HTML page: check the site URL)' : ''}`, {
      crm,
      status: res.status,
      code: 'login_failed',
    })
  }
  const body = parseResponse(WireLoginResult, json(res), crm, 'POST /ServiceModel/AuthService.svc/Login')
  if (body.Code !== 0) {
    throw new AuthError(`Creatio rejected the login (Code ${body.Code})${body.Message ? `: ${body.Message}` : ''}`, {
      crm,
      status: 200,
      code: 'login_failed',
      detail: body.Message ?? null,
    })
  }
  const cookies = parseSetCookie(res.setCookies)
  if (!cookies['.ASPXAUTH'] && !cookies['BPMCSRF']) {
    throw new AuthError('Creatio accepted the login but set no session cookies', { crm, status: 200, code: 'login_failed' })
  }
  return cookies
}

/** `{identity}/.well-known/openid-configuration` → `token_endpoint` (research §2.2). */
export async function discoverTokenUrl(identityBase: string, signal?: AbortSignal): Promise<string> {
  const url = `${identityBase.replace(/\/+$/, '')}/.well-known/openid-configuration`
  const res = await plain({ method: 'GET', url, headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) })
  if (res.status !== 200 || isHtml(res)) {
    throw new AuthError(
      `Creatio OpenID discovery failed (HTTP ${res.status}${isHtml(res) ? ', an HTML page' : ''}): is the Identity Service connected? Pass auth.tokenUrl to skip discovery`,
      { crm, status: res.status, code: 'discovery_failed' },
    )
  }
  return parseResponse(WireOpenIdConfiguration, json(res), crm, `GET ${url}`).token_endpoint
}

export async function clientCredentialsToken(
  tokenUrl: string,
  a: { clientId: string; clientSecret: string },
  signal?: AbortSignal,
): Promise<{ token: string; expiresAt: number }> {
  const res = await plain({
    method: 'POST',
    url: tokenUrl,
    body: new URLSearchParams({ client_id: a.clientId, client_secret: a.clientSecret, grant_type: 'client_credentials' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    ...(signal ? { signal } : {}),
  })
  if (res.status !== 200 || isHtml(res)) {
    const err = (json(res) as { error?: string } | null)?.error
    throw new AuthError(`Creatio token endpoint answered HTTP ${res.status}${err ? ` (${err})` : ''}: check the client id and secret`, {
      crm,
      status: res.status,
      code: 'token_failed',
      detail: typeof err === 'string' ? err : null,
    })
  }
  const t = parseResponse(WireTokenResponse, json(res), crm, 'POST connect/token')
  return { token: t.access_token, expiresAt: Date.now() + t.expires_in * 1000 }
}

const SKEW_MS = 60_000

export function createServerAuth(auth: Exclude<CreatioAuth, { kind: 'browser-session' }>, siteUrl: string): AuthStrategy {
  switch (auth.kind) {
    case 'cookie': {
      let session: CookieSession | null = null
      let generation = 0
      // One login for everyone waiting; a caller that gives up does not cancel it for the others.
      const relogin = singleFlight(async () => {
        const cookies = await login(siteUrl, auth)
        session = { cookies, generation: String(++generation) }
        return session
      }, crm)
      const headersOf = (s: CookieSession): Authorization => ({
        headers: {
          Cookie: Object.entries(s.cookies)
            .map(([k, v]) => `${k}=${v}`)
            .join('; '),
          ForceUseSession: 'true',
          ...(s.cookies['BPMCSRF'] ? { BPMCSRF: s.cookies['BPMCSRF'] } : {}),
        },
        credential: s.generation,
      })
      return {
        async prepare(signal) {
          if (!session) await relogin(signal)
        },
        async authorize(signal) {
          return headersOf(session ?? (await relogin(signal)))
        },
        // The login page (or a 401) means the session expired: log in again once for everyone.
        async handleUnauthorized(credential, signal) {
          const current = session as CookieSession | null
          if (current && current.generation !== credential) return true
          session = null
          await relogin(signal)
          return true
        },
      }
    }
    case 'oauth-client-credentials': {
      let token: { token: string; expiresAt: number } | null = null
      const identity = auth.identityUrl ?? `${siteUrl}/0`
      let tokenUrl: Promise<string> | null = null
      const resolveTokenUrl = () =>
        auth.tokenUrl
          ? Promise.resolve(auth.tokenUrl)
          : (tokenUrl ??= discoverTokenUrl(identity).catch((e: unknown) => {
              tokenUrl = null
              throw e
            }))
      const fetchToken = singleFlight(async () => {
        token = await clientCredentialsToken(await resolveTokenUrl(), auth)
        return token
      }, crm)
      const fresh = () => (token && token.expiresAt - SKEW_MS > Date.now() ? token : null)
      return {
        async prepare(signal) {
          if (!fresh()) await fetchToken(signal)
        },
        async authorize(signal) {
          const t = fresh() ?? (await fetchToken(signal))
          return { headers: { Authorization: `Bearer ${t.token}` }, credential: t.token }
        },
        // Client credentials have no refresh token: a 401 means fetch a new access token, once.
        async handleUnauthorized(credential, signal) {
          const current = token as { token: string } | null
          if (current && current.token !== credential) return true
          token = null
          await fetchToken(signal)
          return true
        },
      }
    }
  }
}
