import {
  AccountBlockedError,
  AuthError,
  ValidationError,
  type ClassifiedError,
  type HttpRequest,
  type HttpResponse,
  type ValidationIssue,
} from '../../sdk/index.js'
import { classifyByStatus } from '../../sdk/classify.js'
import { WireValidationProblem } from './wire.js'

const crm = 'amocrm'

/**
 * amoCRM error bodies: problem+json for application errors, `validation-errors` per request_id
 * for rejected batches, and nginx HTML (no Retry-After) for 429 and the 403 account block.
 */
export function classifyAmoError(res: HttpResponse, _req: HttpRequest): ClassifiedError {
  const problem = WireValidationProblem.safeParse(res.data)
  const body = problem.success ? problem.data : null
  const detail = body ? ([body.detail, body.hint].filter(Boolean).join(' — ') || null) : null

  if (res.status === 400 && body?.['validation-errors']?.length) {
    const issues: ValidationIssue[] = []
    for (const item of body['validation-errors']) {
      const index = item.request_id === undefined ? undefined : Number(item.request_id)
      for (const e of item.errors) {
        issues.push({
          path: e.path ? e.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [],
          message: e.detail ?? e.code,
          code: e.code,
          ...(index === undefined || Number.isNaN(index) ? {} : { index }),
        })
      }
    }
    const first = issues[0]
    return {
      error: new ValidationError(
        `amoCRM rejected the request: ${first ? `${first.path.join('.')} ${first.code} (${first.message})` : detail}`,
        { crm, status: 400, code: 'validation_failed', detail, issues },
      ),
      notApplied: true, // amoCRM applies none of a batch that failed validation
    }
  }
  if (res.status === 401 && body?.hint === 'Token has been revoked') {
    return {
      error: new AuthError('amoCRM revoked the token: re-authorise the integration', { crm, status: 401, code: 'token_revoked', detail }),
      notApplied: true,
    }
  }
  if (res.status === 403 && !problem.success) {
    // The nginx page, not a JSON permission error: the account is blocked for exceeding limits.
    return {
      error: new AccountBlockedError(
        'amoCRM blocked API access for this account (HTTP 403 after repeated rate-limit violations); only amoCRM support can unblock it',
        { crm, status: 403, reason: 'rate-limit-abuse' },
      ),
      notApplied: true,
    }
  }
  return classifyByStatus(res, crm, detail)
}
