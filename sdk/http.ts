import {
  AbortError,
  AuthError,
  CrmError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  UnexpectedResponseError,
  WriteOutcomeUnknownError,
  type CrmName,
} from './errors.js'
import { defaultTransport } from './platform/index.js'
import type { RateLimiter } from './rate-limit.js'
import { backoffDelay, parseRetryAfter, sleep, throwIfAborted, type RetryOptions } from './retry.js'
import { joinUrl, TransportFailure, type Transport, type TransportResponse } from './transport.js'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
export type QueryValue = string | number | boolean | null | undefined | (string | number)[]

export interface HttpRequest {
  method: HttpMethod
  /** Relative to the adapter's base URL, or absolute. */
  path: string
  /** Appended as-is (already encoded); adapters build CRM-specific syntax such as `filter[id][]=`. */
  query?: string
  body?: unknown
  /** Reads are retried freely; writes only when the CRM provably did not apply them. */
  kind: 'read' | 'write'
  /**
   * A write the CRM cannot apply twice (e.g. a create carrying a client-generated id): retried
   * like a read, never reported as outcome-unknown. The adapter handles "already exists".
   */
  idempotent?: boolean
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  headers: Record<string, string>
  /** Parsed JSON when the body was JSON, the text otherwise, undefined when empty. */
  data: unknown
  /** The body as text, for HTML error pages and excerpts. */
  text: string
}

export interface Authorization {
  headers: Record<string, string>
  /** The credential used, so a 401 can tell whether someone already refreshed it. */
  credential?: string
  /**
   * Credentials a CRM takes as query parameters instead of headers (e.g. `auth=TOKEN`), already
   * encoded; appended to the URL at send time. Never part of error messages, which name the path.
   */
  query?: string
}

/** How an adapter authenticates; the core calls it for every attempt. */
export interface AuthStrategy {
  authorize(signal?: AbortSignal): Promise<Authorization>
  /** After a 401: refresh if possible and return true to retry the request once. */
  handleUnauthorized?(credential: string | undefined, signal?: AbortSignal): Promise<boolean>
  /** Send the browser's cookies (same-origin session inside the CRM page). */
  withCredentials?: boolean
  /**
   * Optional: obtains credentials (a login, a token) before the request takes a rate-limiter
   * slot, so a slow login does not delay a send inside its slot and compress the spacing.
   */
  prepare?(signal?: AbortSignal): Promise<void>
}

/**
 * The adapter's reading of a non-2xx answer. `notApplied` is the adapter's promise that the CRM
 * did nothing with the request (a gateway 429, a 400 validation failure), which is what makes
 * retrying a write safe.
 */
export interface ClassifiedError {
  error: CrmError
  notApplied: boolean
}
export type ErrorClassifier = (response: HttpResponse, request: HttpRequest) => ClassifiedError
/** Returns null for a genuine success, or the error a disguised failure stands for. */
export type SuccessClassifier = (response: HttpResponse, request: HttpRequest) => ClassifiedError | null

export interface HttpClientOptions {
  crm: CrmName
  baseURL: string
  auth: AuthStrategy
  limiter: RateLimiter
  classify: ErrorClassifier
  /**
   * Optional: reads a 2xx answer and returns an error when it is a failure in disguise (a login
   * page served with 200 instead of JSON). Such answers then take the error path: auth refresh,
   * retries, classification.
   */
  classifySuccess?: SuccessClassifier
  retry: RetryOptions
  /** First pause after a 429 when the CRM sends no Retry-After (amoCRM never does). */
  rateLimitBackoffMs: number
  timeoutMs: number
  logger?: Logger
  /** How requests travel; defaults to the platform's (axios in Node, fetch in widget bundles). */
  transport?: Transport
}

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void
  warn(message: string, meta?: Record<string, unknown>): void
}

/**
 * The one place requests are sent: rate limiting, authentication, retries with backoff, error
 * classification and cancellation live here, so adapters only describe their CRM.
 */
export class HttpClient {
  private readonly transport: Transport
  readonly crm: CrmName

  constructor(private readonly options: HttpClientOptions) {
    this.crm = options.crm
    this.transport = options.transport ?? defaultTransport
  }

  /** Sends with retries; resolves with any 2xx answer, rejects with a typed CrmError otherwise. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const { retry, limiter, crm } = this.options
    let refreshed = false
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(req.signal, crm)
      let auth: Authorization = { headers: {} }
      let response: HttpResponse
      try {
        await this.options.auth.prepare?.(req.signal)
        response = await limiter.run(
          async () => {
            // Credentials are taken at send time, so requests queued behind a refresh use the new token.
            auth = await this.options.auth.authorize(req.signal)
            return this.send(req, auth)
          },
          (ms) => sleep(ms, req.signal, crm),
        )
      } catch (err) {
        const failure = this.networkFailure(err, req)
        if (failure.retryable && attempt < retry.retries) {
          await sleep(backoffDelay(attempt, retry), req.signal, crm)
          continue
        }
        throw failure
      }

      const disguised =
        response.status >= 200 && response.status < 300
          ? (truncatedSuccess(response, req, crm) ?? this.options.classifySuccess?.(response, req) ?? null)
          : null
      if (response.status >= 200 && response.status < 300 && !disguised) {
        limiter.noteSuccess()
        return response
      }

      const { error, notApplied } = disguised ?? this.options.classify(response, req)
      if (error instanceof AuthError && !refreshed && this.options.auth.handleUnauthorized) {
        // One refresh and one retry; a second 401 means re-authorisation is needed.
        refreshed = true
        if (await this.options.auth.handleUnauthorized(auth.credential, req.signal)) {
          attempt--
          continue
        }
      }
      const safe = req.kind === 'read' || req.idempotent === true
      const mayRetry = error.retryable && (safe || notApplied) && attempt < retry.retries
      let delay = backoffDelay(attempt, retry)
      if (error instanceof RateLimitError) {
        delay = limiter.noteRateLimited(error.retryAfterMs, this.options.rateLimitBackoffMs)
        this.options.logger?.warn('rate limited; pausing the account queue', { crm, pauseMs: delay })
        // The limiter itself holds every request back for `delay`; this request re-queues behind it.
        delay = 0
      } else if (error.retryable) {
        const hinted = parseRetryAfter(response.headers['retry-after'])
        if (hinted !== null) delay = Math.max(delay, hinted)
      }
      if (!mayRetry) {
        if (!safe && !notApplied && error.retryable) {
          throw new WriteOutcomeUnknownError(
            `${req.method} ${req.path} failed with HTTP ${response.status}; the CRM may have applied it, so it was not repeated`,
            { crm, status: response.status, cause: error },
          )
        }
        throw error
      }
      this.options.logger?.debug('retrying', { crm, status: response.status, attempt, delay })
      await sleep(delay, req.signal, crm)
    }
  }

  private async send(req: HttpRequest, auth: Authorization): Promise<HttpResponse> {
    throwIfAborted(req.signal, this.crm)
    const query = [req.query, auth.query].filter(Boolean).join('&')
    const url = query ? `${req.path}${req.path.includes('?') ? '&' : '?'}${query}` : req.path
    const headers: Record<string, string> = { Accept: 'application/json', ...auth.headers, ...req.headers }
    if (req.body !== undefined) headers['Content-Type'] ??= 'application/json'
    const res = await this.transport({
      method: req.method,
      url: joinUrl(this.options.baseURL, url),
      headers,
      ...(req.body === undefined ? {} : { body: typeof req.body === 'string' ? req.body : JSON.stringify(req.body) }),
      ...(req.signal ? { signal: req.signal } : {}),
      timeoutMs: this.options.timeoutMs,
      withCredentials: this.options.auth.withCredentials ?? false,
    })
    return toHttpResponse(res)
  }

  private networkFailure(err: unknown, req: HttpRequest): CrmError {
    const { crm } = this.options
    if (err instanceof CrmError) return err
    const failure = err instanceof TransportFailure ? err : null
    if (req.signal?.aborted || failure?.kind === 'aborted') return new AbortError({ crm, cause: err })
    const code = failure?.code ?? (err as { code?: string }).code ?? ''
    const notSent = failure?.kind === 'not-sent'
    const timedOut = failure?.kind === 'timeout'
    const where = `${req.method} ${req.path}`
    if (req.kind === 'write' && !req.idempotent && !notSent) {
      return new WriteOutcomeUnknownError(
        `${where}: the connection failed after the request was sent (${code || 'network error'}); the CRM may have applied it, so it was not repeated`,
        { crm, cause: err, retryable: false },
      )
    }
    const init = { crm, cause: err, mayHaveApplied: !notSent, code: timedOut ? 'timeout' : 'network_error' }
    return timedOut
      ? new TimeoutError(`${where} timed out after ${this.options.timeoutMs} ms`, init)
      : new NetworkError(`${where} failed: ${code || (err as Error).message}`, init)
  }
}

/**
 * A 2xx whose JSON body does not parse was cut off in transit: the CRM did the work but the answer
 * is lost. Reads are retried; a write becomes WriteOutcomeUnknownError (never a blind repeat).
 */
function truncatedSuccess(response: HttpResponse, req: HttpRequest, crm: CrmName): ClassifiedError | null {
  if (!isUnparseable(response.data)) return null
  return {
    error: new UnexpectedResponseError(`${req.method} ${req.path}: HTTP ${response.status} with a truncated JSON body`, {
      crm,
      status: response.status,
      path: '',
      // No body text: a cut-off answer can hold anything, credentials included.
      excerpt: '',
      retryable: true,
    }),
    notApplied: false,
  }
}

function toHttpResponse(res: TransportResponse): HttpResponse {
  return { status: res.status, headers: res.headers, text: res.text, data: parseBody(res.text, res.headers['content-type']) }
}

const TRUNCATED = Symbol('unparseable-json')
export type Unparseable = typeof TRUNCATED

/** JSON when it is JSON; a marker when it claims to be JSON but does not parse (a truncated body). */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text)
  if (!looksJson) return text
  try {
    return JSON.parse(text)
  } catch {
    return TRUNCATED
  }
}

export function isUnparseable(data: unknown): data is Unparseable {
  return data === TRUNCATED
}
