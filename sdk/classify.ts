import {
  AccountBlockedError,
  AuthError,
  CrmError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  ValidationError,
  type CrmName,
} from './errors.js'
import type { ClassifiedError, HttpResponse } from './http.js'
import { parseRetryAfter } from './retry.js'

/**
 * Status-based classification every adapter starts from; adapters refine it with what their CRM
 * puts in error bodies. `notApplied` is true only where the status itself proves nothing was done.
 */
export function classifyByStatus(res: HttpResponse, crm: CrmName, detail: string | null): ClassifiedError {
  const s = res.status
  const suffix = detail ? `: ${detail}` : ''
  const init = { crm, status: s, detail }
  switch (true) {
    case s === 400 || s === 422:
      return { error: new ValidationError(`${crm} rejected the request (HTTP ${s})${suffix}`, { ...init, issues: [] }), notApplied: true }
    case s === 401:
      return { error: new AuthError(`${crm} rejected the credentials (HTTP 401)${suffix}`, init), notApplied: true }
    case s === 402:
      return {
        error: new AccountBlockedError(`${crm} account needs payment (HTTP 402)${suffix}`, { ...init, reason: 'payment-required' }),
        notApplied: true,
      }
    case s === 403:
      return { error: new PermissionError(`${crm} refused access (HTTP 403)${suffix}`, init), notApplied: true }
    case s === 404:
      return { error: new NotFoundError(`${crm}: not found (HTTP 404)${suffix}`, init), notApplied: true }
    case s === 429:
      return {
        error: new RateLimitError(`${crm} rate limit exceeded (HTTP 429)${suffix}`, {
          ...init,
          retryAfterMs: parseRetryAfter(res.headers['retry-after']),
        }),
        notApplied: true,
      }
    case s >= 500:
      return { error: new ServerError(`${crm} server error (HTTP ${s})${suffix}`, init), notApplied: false }
    default:
      return { error: new CrmError(`${crm} answered HTTP ${s}${suffix}`, init), notApplied: false }
  }
}
