/**
 * The few REST calls the app itself makes inside the frame (the install step). Everything else goes
 * through the crmkit client. The token is the frame's AUTH_ID; a 401 expired/invalid token means the
 * portal did not run the method, so it is repeated once after `refreshAuth`.
 */
import type { Bitrix24Frame } from './frame.js'

export class RestCallError extends Error {
  constructor(
    readonly method: string,
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(`Bitrix24 ${method} failed: ${code}${description ? ` (${description})` : ''}`)
    this.name = 'RestCallError'
  }
}

export async function callRest<T = unknown>(frame: Bitrix24Frame, method: string, params: Record<string, unknown> = {}, fetchImpl: typeof fetch = fetch): Promise<T> {
  const attempt = async (token: string) => {
    const res = await fetchImpl(`${frame.restUrl}${method}.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...params, auth: token }),
    })
    const body = (await res.json().catch(() => null)) as { result?: T; error?: string; error_description?: string } | null
    return { status: res.status, body }
  }
  const token = frame.getAuth()?.accessToken ?? (await frame.refreshAuth()).accessToken
  let r = await attempt(token)
  if (r.status === 401 && (r.body?.error === 'expired_token' || r.body?.error === 'invalid_token') && !frame.detached) {
    r = await attempt((await frame.refreshAuth()).accessToken)
  }
  if (r.status >= 200 && r.status < 300 && r.body && 'result' in r.body) return r.body.result as T
  throw new RestCallError(method, r.status, r.body?.error ?? `HTTP_${r.status}`, r.body?.error_description ?? '')
}
