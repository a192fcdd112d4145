import { AbortError, type CrmName } from './errors.js'

/**
 * One in-flight run of `fn` shared by every caller until it settles (a token refresh, a login),
 * started with the first caller's arguments. The shared run gets no caller's signal: one caller
 * cancelling must not fail the others, nor abandon a call the CRM may already have answered (a
 * single-use refresh token spent, the new pair never saved). A cancelled caller stops waiting with
 * an AbortError of its own; an already-cancelled one starts nothing.
 */
export function singleFlight<A extends unknown[], T>(fn: (...args: A) => Promise<T>, crm: CrmName): (signal: AbortSignal | undefined, ...args: A) => Promise<T> {
  let inflight: Promise<T> | null = null
  return (signal, ...args) => {
    if (signal?.aborted) return Promise.reject(new AbortError({ crm, cause: signal.reason }))
    inflight ??= fn(...args).finally(() => {
      inflight = null
    })
    return signal ? abandonOnAbort(inflight, signal, crm) : inflight
  }
}

/** `shared`, unless `signal` aborts first: then an AbortError for this caller alone. */
function abandonOnAbort<T>(shared: Promise<T>, signal: AbortSignal, crm: CrmName): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError({ crm, cause: signal.reason }))
    signal.addEventListener('abort', onAbort, { once: true })
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
