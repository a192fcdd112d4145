import { CrmError, ValidationError, type CrmErrorInit, type ValidationIssue } from '../errors.js'

/** The marketing engine runs without a CRM; its errors name this pseudo-CRM. */
export const ENGINE = 'crmkit'

/** Throws a ValidationError whose issue names the offending field, so UIs can highlight it. */
export function invalid(path: (string | number)[], message: string, code = 'invalid'): never {
  const issue: ValidationIssue = { path, message, code }
  throw new ValidationError(`${path.join('.') || 'input'}: ${message}`, { crm: ENGINE, issues: [issue] })
}

/** An approval transition the state machine does not allow (e.g. approving a draft). */
export class IllegalTransitionError extends CrmError {
  readonly from: string
  readonly action: string
  constructor(message: string, init: Partial<CrmErrorInit> & { from: string; action: string }) {
    super(message, { crm: ENGINE, code: 'illegal_transition', ...init })
    this.from = init.from
    this.action = init.action
  }
}
