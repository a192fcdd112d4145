import axios, { type AxiosResponse } from 'axios'
import { NOT_SENT_CODES, TransportFailure, type Transport } from '../transport.js'

// One instance for every client: nothing per-account lives in it.
const instance = axios.create({
  // We read every status and parse bodies ourselves: CRMs send HTML and truncated JSON too.
  validateStatus: () => true,
  responseType: 'text',
  transformResponse: [(data: unknown) => data],
  // A redirect is an answer to classify (a login page), not something to follow blindly.
  maxRedirects: 0,
})

/** The Node transport (the stack's axios). */
export const axiosTransport: Transport = async (req) => {
  let res: AxiosResponse<string>
  try {
    res = await instance.request({
      method: req.method,
      url: req.url,
      headers: req.headers,
      data: req.body,
      signal: req.signal,
      timeout: req.timeoutMs,
      withCredentials: req.withCredentials ?? false,
    })
  } catch (err) {
    throw toFailure(err, req.signal)
  }
  const headers: Record<string, string> = {}
  let setCookies: string[] = []
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    if (v == null) continue
    const name = k.toLowerCase()
    if (name === 'set-cookie') setCookies = Array.isArray(v) ? v.map(String) : [String(v)]
    headers[name] = Array.isArray(v) ? v.join(', ') : String(v)
  }
  const text = typeof res.data === 'string' ? res.data : res.data == null ? '' : JSON.stringify(res.data)
  return { status: res.status, headers, setCookies, text }
}

function toFailure(err: unknown, signal: AbortSignal | undefined): TransportFailure {
  const code = (err as { code?: string }).code ?? ''
  const message = (err as Error).message ?? String(err)
  if (signal?.aborted || axios.isCancel(err)) return new TransportFailure('aborted', code, 'aborted', { cause: err })
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new TransportFailure('timeout', code, message, { cause: err })
  return new TransportFailure(NOT_SENT_CODES.has(code) ? 'not-sent' : 'network', code, message, { cause: err })
}
