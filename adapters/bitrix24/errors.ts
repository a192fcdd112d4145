import {
  AccountBlockedError,
  AuthError,
  CrmError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  UnsupportedError,
  ValidationError,
  type ClassifiedError,
  type HttpRequest,
  type HttpResponse,
} from '../../sdk/index.js'
import { classifyByStatus } from '../../sdk/classify.js'

const crm = 'bitrix24'

/** How long to pause after 429 OPERATION_TIME_LIMIT when the reset time is unknown (the official SDK waits ≥ 10 s). */
export const OPERATION_LIMIT_PAUSE_MS = 10_000

/**
 * One Bitrix24 error (`{ error, error_description }`), from an HTTP answer or a batch command's
 * `result_error`, as a typed CrmError (research §5.1). `notApplied` says the portal did nothing.
 */
export function bitrixError(status: number, code: string, description: string | null): ClassifiedError {
  const detail = description || null
  const init = { crm, status, code: code || 'error', detail }
  const text = (what: string) => `Bitrix24: ${what}${detail ? ` (${code ? `${code}: ` : ''}${detail})` : code ? ` (${code})` : ''}`
  switch (code) {
    case 'QUERY_LIMIT_EXCEEDED':
      return { error: new RateLimitError(text('too many requests, the portal\'s request bucket is full'), { ...init, code: 'rate_limited' }), notApplied: true }
    case 'OPERATION_TIME_LIMIT':
      return {
        error: new RateLimitError(text('the method used up its operating-time budget'), { ...init, code: 'operation_time_limit', retryAfterMs: OPERATION_LIMIT_PAUSE_MS }),
        notApplied: true,
      }
    case 'OVERLOAD_LIMIT':
      return { error: new AccountBlockedError(text('REST access is blocked by Bitrix24 support'), { ...init, reason: 'rate-limit-abuse' }), notApplied: true }
    case 'PAYMENT_REQUIRED':
      return { error: new AccountBlockedError(text('the app subscription has expired'), { ...init, reason: 'payment-required' }), notApplied: true }
    case 'PORTAL_DELETED':
      return { error: new AccountBlockedError(text('the portal was deleted'), { ...init, reason: 'other' }), notApplied: true }
    case 'expired_token':
    case 'invalid_token':
      return { error: new AuthError(text('the access token expired or is invalid'), init), notApplied: true }
    case 'NO_AUTH_FOUND':
      return { error: new AuthError(text('wrong authorization data (check the webhook URL or token)'), init), notApplied: true }
    case 'INVALID_CREDENTIALS':
    case 'insufficient_scope':
    case 'user_access_error':
    case 'WRONG_AUTH_TYPE':
    case 'allowed_only_intranet_user':
      return { error: new PermissionError(text('access denied'), init), notApplied: true }
    case 'ACCESS_DENIED':
      if (/commercial|тариф/i.test(detail ?? '')) {
        return { error: new AccountBlockedError(text('REST is available only on commercial plans'), { ...init, reason: 'payment-required' }), notApplied: true }
      }
      return { error: new PermissionError(text('access denied'), init), notApplied: true }
    case 'NOT_FOUND':
    case 'ERROR_ENTITY_NOT_FOUND':
      return { error: new NotFoundError(text('not found'), init), notApplied: true }
    case 'ERROR_METHOD_NOT_FOUND':
    case 'ERROR_BATCH_METHOD_NOT_ALLOWED':
      return { error: new UnsupportedError(text('method not available'), init), notApplied: true }
    case 'INTERNAL_SERVER_ERROR':
    case 'ERROR_UNEXPECTED_ANSWER':
      return { error: new ServerError(text('server error'), init), notApplied: false }
    case '':
      // Legacy crm.lead.* errors carry an empty code and the meaning in the text.
      if (/not found/i.test(detail ?? '')) return { error: new NotFoundError(text('not found'), { ...init, code: 'not_found' }), notApplied: true }
      if (/access denied/i.test(detail ?? '')) return { error: new PermissionError(text('access denied'), { ...init, code: 'forbidden' }), notApplied: true }
      break
    default:
  }
  if (status === 400 || status === 422 || /^(INVALID_|ERROR_)/.test(code)) {
    return { error: new ValidationError(text('rejected the request'), { ...init, issues: [{ path: [], message: detail ?? code, code: code || 'invalid' }] }), notApplied: true }
  }
  if (status >= 500) return { error: new ServerError(text(`server error (HTTP ${status})`), init), notApplied: false }
  return { error: new CrmError(text(`answered HTTP ${status}`), init), notApplied: false }
}

function errorBody(data: unknown): { code: string; description: string | null } | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null
  const e = data as { error?: unknown; error_description?: unknown }
  if (typeof e.error !== 'string') return null
  return { code: e.error, description: typeof e.error_description === 'string' ? e.error_description : null }
}

export function classifyBitrixError(res: HttpResponse, _req: HttpRequest): ClassifiedError {
  const body = errorBody(res.data)
  if (body) return bitrixError(res.status, body.code, body.description)
  if (res.status === 503) {
    // An HTML 503 from the edge: treat like the bucket overflow (nothing was done).
    return { error: new RateLimitError('Bitrix24 answered 503 (service unavailable)', { crm, status: 503 }), notApplied: true }
  }
  return classifyByStatus(res, crm, null)
}
