import {
  AuthError,
  PermissionError,
  ValidationError,
  type ClassifiedError,
  type HttpRequest,
  type HttpResponse,
} from '../../sdk/index.js'
import { classifyByStatus } from '../../sdk/classify.js'
import { isUnparseable } from '../../sdk/http.js'
import { WireError, type WireInnerError } from './wire.js'

const crm = 'creatio'

/**
 * The most useful text of Creatio's error envelope: `error.message` is often the generic "An error
 * has occurred."; the cause sits in `innererror.message` and, deeper, `internalexception.message`
 * (research §3.6). Returns the messages joined outermost first, generic ones dropped.
 */
export function errorText(data: unknown): string | null {
  const parsed = WireError.safeParse(data)
  if (!parsed.success) return null
  const parts: string[] = []
  const push = (m: string | undefined) => {
    const t = m?.trim()
    if (t && !parts.includes(t)) parts.push(t)
  }
  push(parsed.data.error.message)
  let inner: WireInnerError | null | undefined = parsed.data.error.innererror
  for (let depth = 0; inner && depth < 10; depth++) {
    push(inner.message)
    inner = inner.internalexception
  }
  const specific = parts.filter((p) => p !== 'An error has occurred.')
  return (specific.length ? specific : parts).join(' — ') || null
}

/** SQL Server constraint messages Creatio passes through: the row was rejected, nothing written. */
const CONSTRAINT = /FOREIGN KEY constraint|REFERENCE constraint|PRIMARY KEY constraint|duplicate key|Cannot insert the value NULL/i
/**
 * The record's own key is taken: a create repeated after a lost answer meets the row it wrote, so
 * it was applied. Only the primary key (`Id`) counts; a unique index on other columns ("Cannot
 * insert duplicate key row … with unique index 'IUContactEmail'") is a real refusal. SQL Server
 * names the PRIMARY KEY constraint; PostgreSQL names the pk constraint (`PK…`, `…_pkey`) or the `Id` key.
 */
export const DUPLICATE_KEY = /Violation of PRIMARY KEY constraint|unique constraint "(pk[^"]*|[^"]*_pkey)"|Key \("?Id"?\)=\(/i

export function isHtml(res: HttpResponse): boolean {
  return /text\/html/i.test(res.headers['content-type'] ?? '') || (typeof res.data === 'string' && /^\s*<(!doctype|html)/i.test(res.data))
}

/**
 * Creatio's answers: the JSON error envelope (nested `innererror`), HTML login pages for expired
 * sessions (as 200, or as a redirect), 403 for a missing `BPMCSRF`, and SQL constraint failures
 * surfacing as 500 (a write Creatio refused; it applied nothing).
 */
export function classifyCreatioError(res: HttpResponse, _req: HttpRequest): ClassifiedError {
  const detail = errorText(res.data)
  const s = res.status
  if ((s >= 300 && s < 400 && /login/i.test(res.headers['location'] ?? '')) || (s === 401 && isHtml(res))) {
    return { error: sessionExpired(s), notApplied: true }
  }
  if (s === 403) {
    const html = isHtml(res)
    return {
      error: new PermissionError(
        html
          ? 'Creatio refused access (HTTP 403, HTML page): the user may lack the "Access to OData" (CanUseODataService) operation, or a firewall blocked the request'
          : `Creatio refused access (HTTP 403)${detail ? `: ${detail}` : ''}; with cookie auth this also means a missing or invalid BPMCSRF header`,
        { crm, status: 403, detail },
      ),
      notApplied: true,
    }
  }
  if (detail && CONSTRAINT.test(detail) && s >= 400) {
    return {
      error: new ValidationError(`Creatio rejected the record: ${detail}`, {
        crm,
        status: s,
        code: DUPLICATE_KEY.test(detail) ? 'duplicate_key' : 'constraint_violation',
        detail,
        issues: [{ path: [], message: detail, code: 'constraint_violation' }],
      }),
      notApplied: true,
    }
  }
  if (s === 400 && detail) {
    return {
      error: new ValidationError(`Creatio rejected the request (HTTP 400): ${detail}`, {
        crm,
        status: 400,
        detail,
        issues: [{ path: [], message: detail, code: 'bad_request' }],
      }),
      notApplied: true,
    }
  }
  return classifyByStatus(res, crm, detail ?? (isUnparseable(res.data) ? null : null))
}

/** A `200 text/html` where JSON was expected is Creatio's login page: the session expired. */
export function classifyCreatioSuccess(res: HttpResponse, _req: HttpRequest): ClassifiedError | null {
  if (res.status === 204 || !isHtml(res)) return null
  return { error: sessionExpired(res.status), notApplied: true }
}

function sessionExpired(status: number): AuthError {
  return new AuthError('Creatio answered with its login page: the session expired or was never established', {
    crm,
    status,
    code: 'session_expired',
  })
}
