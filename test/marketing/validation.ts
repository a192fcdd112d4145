import { expect } from 'vitest'
import { ValidationError } from '../../sdk/index.js'

/** The ValidationError `f` throws; the test fails if it throws anything else, or nothing. */
export function caughtValidation(f: () => unknown): ValidationError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError)
    return e as ValidationError
  }
  return expect.unreachable('expected a ValidationError')
}

/** The path of the first issue of the ValidationError `f` throws. */
export const issuePath = (f: () => unknown) => caughtValidation(f).issues[0]!.path
