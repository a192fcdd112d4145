import type { RawPost } from './adapter.js'
import type { HttpMethod } from './http.js'

/**
 * The wire under the HTTP client: one request out, one answer back, any status. Everything above it
 * (limits, auth, retries, classification) is shared; what sits here differs by platform: axios in
 * Node, `fetch` in the widget bundles (see sdk/platform/ and the README's "Transport" section).
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

export interface TransportRequest {
  method: HttpMethod
  /** Absolute, or relative to the page in a browser. */
  url: string
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
  /** 0: no timeout. */
  timeoutMs: number
  /** Send cookies cross-origin too (a session of the CRM page the widget runs in). */
  withCredentials?: boolean
}

export interface TransportResponse {
  status: number
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>
  /** Each `Set-Cookie` on its own (they cannot be joined safely). Empty where the platform hides them. */
  setCookies: string[]
  text: string
}

/**
 * Why no answer came. `not-sent` is a promise that the request never left this machine (a refused
 * connection, an unknown host), which is what makes repeating a write safe; `network` promises
 * nothing.
 */
export type TransportFailureKind = 'aborted' | 'timeout' | 'not-sent' | 'network'

export class TransportFailure extends Error {
  override readonly name = 'TransportFailure'
  constructor(
    readonly kind: TransportFailureKind,
    /** The platform's code when it gives one (ECONNREFUSED, ETIMEDOUT…), for messages and logs. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Network failures where the request provably never left this machine. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'EHOSTUNREACH'])

/** `base` + `path` the way axios joins them; an absolute `path` stands alone. */
export function joinUrl(base: string, path: string): string {
  if (!base || /^([a-z][a-z\d+\-.]*:)?\/\//i.test(path)) return path
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

/** JSON when the text is JSON, the text otherwise, undefined when empty (OAuth and login answers). */
export function parseJsonOrText(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * A RawPost over a transport: OAuth token and login endpoints, reached outside the limiter and the
 * retry loop. JSON bodies by default, a form when asked.
 */
export function createRawPost(transport: Transport, timeoutMs = 30_000): RawPost {
  return async (url, body, o = {}) => {
    const res = await transport({
      method: 'POST',
      url,
      headers: { Accept: 'application/json', 'Content-Type': o.form ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: o.form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
      ...(o.signal ? { signal: o.signal } : {}),
      timeoutMs,
    })
    return { status: res.status, data: parseJsonOrText(res.text) }
  }
}
