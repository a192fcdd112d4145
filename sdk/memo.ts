export interface Memo<T> {
  get(): Promise<T>
  reset(): void
  /** Whether a lookup is cached or in flight. */
  started(): boolean
  /** Seeds the cache with a value already on its way (e.g. a dictionary read in the same batch). */
  set(value: Promise<T>): void
}

/**
 * Memoises an async lookup (dictionaries, account settings) but forgets failures, so a later call
 * can succeed, e.g. after `crm.setup()` created what was missing.
 */
export function memo<T>(fn: () => Promise<T>): Memo<T> {
  let p: Promise<T> | null = null
  const settle = (x: Promise<T>) =>
    x.catch((e: unknown) => {
      p = null
      throw e
    })
  return {
    get: () => (p ??= settle(fn())),
    reset: () => {
      p = null
    },
    started: () => p !== null,
    set: (value) => {
      p = settle(value)
    },
  }
}
