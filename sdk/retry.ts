import { AbortError, type CrmName } from './errors.js'

export interface RetryOptions {
  /** Extra attempts after the first one. */
  retries: number
  baseDelayMs: number
  maxDelayMs: number
}

export const defaultRetry: RetryOptions = { retries: 4, baseDelayMs: 500, maxDelayMs: 30_000 }

/**
 * Exponential backoff with equal jitter (AWS architecture blog): half the ceiling fixed, half random,
 * so retries of many clients spread out yet none comes back almost at once.
 */
export function backoffDelay(attempt: number, opts: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt)
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Retry-After is either delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | null {
  if (!value) return null
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

export function throwIfAborted(signal: AbortSignal | undefined, crm: CrmName): void {
  if (signal?.aborted) throw new AbortError({ crm, cause: signal.reason })
}

/** setTimeout that an AbortSignal can cut short (rejecting with AbortError). */
export function sleep(ms: number, signal: AbortSignal | undefined, crm: CrmName): Promise<void> {
  throwIfAborted(signal, crm)
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortError({ crm, cause: signal?.reason }))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
