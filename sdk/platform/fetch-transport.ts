import { NOT_SENT_CODES, TransportFailure, type Transport } from '../transport.js'

/**
 * The browser transport: the platform's own `fetch`, so widget bundles carry no HTTP library.
 * Redirects are followed (a page cannot see them anyway); a login page at the end is classified by
 * the adapter like any other answer.
 */
export const fetchTransport: Transport = async (req) => {
  const controller = new AbortController()
  let timedOut = false
  // 0 means no timeout, as in axios (setTimeout would fire at once).
  const timer =
    req.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true
          controller.abort()
        }, req.timeoutMs)
      : undefined
  const onAbort = () => controller.abort()
  if (req.signal?.aborted) controller.abort()
  req.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: controller.signal,
      credentials: req.withCredentials ? 'include' : 'same-origin',
    })
    // The body can fail mid-way too: that is the same "no answer" as a failed connection.
    const text = await res.text()
    const headers: Record<string, string> = {}
    res.headers.forEach((value, name) => {
      // Headers combines repeats itself except Set-Cookie, which it yields once per cookie.
      const key = name.toLowerCase()
      headers[key] = Object.prototype.hasOwnProperty.call(headers, key) ? `${headers[key]}, ${value}` : value
    })
    return { status: res.status, headers, setCookies: res.headers.getSetCookie?.() ?? [], text }
  } catch (err) {
    if (req.signal?.aborted) throw new TransportFailure('aborted', 'ERR_CANCELED', 'aborted', { cause: err })
    if (timedOut) throw new TransportFailure('timeout', 'ETIMEDOUT', `timed out after ${req.timeoutMs} ms`, { cause: err })
    // Browsers say only "Failed to fetch"; Node's fetch names the socket error in `cause.code`.
    const code = String((err as { cause?: { code?: unknown } }).cause?.code ?? '')
    throw new TransportFailure(NOT_SENT_CODES.has(code) ? 'not-sent' : 'network', code, (err as Error).message ?? String(err), { cause: err })
  } finally {
    clearTimeout(timer)
    req.signal?.removeEventListener('abort', onAbort)
  }
}
