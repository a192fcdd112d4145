import { ValidationError } from '../../../sdk/index.js'

export function invalid(path: (string | number)[], message: string): never {
  throw new ValidationError(`${path.join('.')} ${message}`, {
    crm: 'amocrm',
    issues: [{ path, message, code: 'invalid_value' }],
  })
}

/** amoCRM ids are integers; a model id that is not one is the caller's mistake, caught before sending. */
export function numericId(path: (string | number)[], id: string): number {
  if (!/^\d+$/.test(id)) invalid(path, 'must be a numeric amoCRM id')
  return Number(id)
}

export const optId = (n: number | null | undefined): string | null => (n ? String(n) : null)
