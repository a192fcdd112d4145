/**
 * One error hierarchy for every CRM, in the style of stripe-node: catch `CrmError` for everything,
 * or a subclass for one situation. Messages never contain tokens; `detail` is the CRM's own text.
 */
export type CrmName = 'amocrm' | 'bitrix24' | 'creatio' | (string & {})

export interface CrmErrorInit {
  crm: CrmName
  status?: number | null
  code?: string | null
  retryable?: boolean
  detail?: string | null
  requestId?: string | null
  cause?: unknown
}

export class CrmError extends Error {
  readonly crm: CrmName
  /** HTTP status, when the error came from an HTTP answer. */
  readonly status: number | null
  /** Stable machine-readable code: crmkit's own (`rate_limited`) or the CRM's (`NotSupportedChoice`). */
  readonly code: string
  /** True when repeating the same call later may succeed without any change. */
  readonly retryable: boolean
  readonly detail: string | null
  readonly requestId: string | null

  constructor(message: string, init: CrmErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = new.target.name
    this.crm = init.crm
    this.status = init.status ?? null
    this.code = init.code ?? 'crm_error'
    this.retryable = init.retryable ?? false
    this.detail = init.detail ?? null
    this.requestId = init.requestId ?? null
  }
}

/** Credentials missing, expired beyond refresh, revoked, or the refresh token was rejected. */
export class AuthError extends CrmError {
  constructor(message: string, init: CrmErrorInit) {
    super(message, { code: 'unauthorized', ...init })
  }
}

/** Authenticated, but this user/integration may not do this. */
export class PermissionError extends CrmError {
  constructor(message: string, init: CrmErrorInit) {
    super(message, { code: 'forbidden', ...init })
  }
}

export class NotFoundError extends CrmError {
  constructor(message: string, init: CrmErrorInit) {
    super(message, { code: 'not_found', ...init })
  }
}

export interface ValidationIssue {
  /** Path of the offending field, e.g. `['title']` or `['customFields', 'UTM_SOURCE']`. */
  path: (string | number)[]
  message: string
  code: string
  /** For batch writes: the index of the input the issue belongs to. */
  index?: number
}

/** Input the CRM (or crmkit, before sending) refused. Nothing was written. */
export class ValidationError extends CrmError {
  readonly issues: ValidationIssue[]
  constructor(message: string, init: CrmErrorInit & { issues: ValidationIssue[] }) {
    super(message, { code: 'validation_failed', ...init })
    this.issues = init.issues
  }
}

/** The CRM throttled us. `retryAfterMs` is set when the CRM said how long to wait. */
export class RateLimitError extends CrmError {
  readonly retryAfterMs: number | null
  constructor(message: string, init: CrmErrorInit & { retryAfterMs?: number | null }) {
    super(message, { code: 'rate_limited', retryable: true, ...init })
    this.retryAfterMs = init.retryAfterMs ?? null
  }
}

/**
 * The whole account is unusable through the API: blocked for rate-limit abuse (amoCRM answers
 * 403 to everything until support unblocks it) or the subscription is unpaid (402).
 */
export class AccountBlockedError extends CrmError {
  readonly reason: 'rate-limit-abuse' | 'payment-required' | 'other'
  constructor(message: string, init: CrmErrorInit & { reason: AccountBlockedError['reason'] }) {
    super(message, { code: init.reason === 'payment-required' ? 'payment_required' : 'account_blocked', ...init })
    this.reason = init.reason
  }
}

/** The request did not get an HTTP answer. `mayHaveApplied` tells whether a write could have landed. */
export class NetworkError extends CrmError {
  readonly mayHaveApplied: boolean
  constructor(message: string, init: CrmErrorInit & { mayHaveApplied: boolean }) {
    super(message, { code: 'network_error', retryable: true, ...init })
    this.mayHaveApplied = init.mayHaveApplied
  }
}

export class TimeoutError extends NetworkError {
  constructor(message: string, init: CrmErrorInit & { mayHaveApplied: boolean }) {
    super(message, { code: 'timeout', ...init })
  }
}

/** A 5xx or otherwise unexplained HTTP failure. */
export class ServerError extends CrmError {
  constructor(message: string, init: CrmErrorInit) {
    super(message, { code: 'server_error', retryable: true, ...init })
  }
}

/** The CRM answered with something that does not match its documented shape. */
export class UnexpectedResponseError extends CrmError {
  /** Where in the payload the mismatch is, e.g. `_embedded.leads.3.price`. */
  readonly path: string
  /** A short, token-free excerpt of the offending value. */
  readonly excerpt: string
  constructor(message: string, init: CrmErrorInit & { path: string; excerpt: string }) {
    super(message, { code: 'unexpected_response', ...init })
    this.path = init.path
    this.excerpt = init.excerpt
  }
}

/** The adapter or this CRM account cannot do what was asked; `crm.capabilities` tells in advance. */
export class UnsupportedError extends CrmError {
  constructor(message: string, init: CrmErrorInit) {
    super(message, { code: 'unsupported', ...init })
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends CrmError {
  constructor(init: CrmErrorInit) {
    super('The operation was aborted', { code: 'aborted', ...init })
  }
}

/**
 * A write whose fate is unknown (the connection broke after the request was sent). crmkit never
 * repeats such a write on its own; check the CRM before retrying.
 */
export class WriteOutcomeUnknownError extends CrmError {
  constructor(message: string, init: CrmErrorInit) {
    super(message, { code: 'write_outcome_unknown', ...init })
  }
}
