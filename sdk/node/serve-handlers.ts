// Serves msw request handlers over real HTTP (node:http), CRM-agnostic. Used by `npm start` and by
// tests that need a real socket: each incoming request becomes a Fetch `Request` — with its origin
// rewritten to the one the handlers expect (e.g. https://acme.amocrm.ru) — answered by msw's
// `getResponse`, or 404 when no handler matches.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getResponse, type RequestHandler } from 'msw'

export interface ServeHandlersOptions {
  /** 0 picks a free port. */
  port?: number
  host?: string
  /**
   * Origin the handlers are written for, e.g. `https://acme.amocrm.ru`; default: the server's own.
   * A function picks it per request path, so one port can host several emulators.
   */
  rewriteOrigin?: string | ((path: string) => string)
  /** Runs first; return true when it answered the request itself (static pages in the sandbox). */
  before?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
}

export interface ServedHandlers {
  /** `http://host:port`, no trailing slash. */
  url: string
  close(): Promise<void>
}

// Hop-by-hop and framing headers belong to this socket, not to the emulated request/response.
const SKIP_REQUEST = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'upgrade'])
const SKIP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'set-cookie'])

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string
    if (!SKIP_REQUEST.has(name.toLowerCase())) headers.append(name, req.rawHeaders[i + 1] as string)
  }
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req)
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(body && body.length > 0 ? { body: new Uint8Array(body) } : {}),
  })
}

async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  res.statusCode = response.status
  if (response.statusText) res.statusMessage = response.statusText
  response.headers.forEach((value, name) => {
    if (!SKIP_RESPONSE.has(name)) res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  // 204/304 and HEAD carry no body, whatever the Response holds.
  const bodyless = response.status === 204 || response.status === 304 || method === 'HEAD'
  const bytes = bodyless || response.body === null ? undefined : new Uint8Array(await response.arrayBuffer())
  res.end(bytes)
}

export async function serveHandlers(handlers: readonly RequestHandler[], options: ServeHandlersOptions = {}): Promise<ServedHandlers> {
  const host = options.host ?? '127.0.0.1'
  const rewrite = options.rewriteOrigin
  let origin = typeof rewrite === 'string' ? rewrite.replace(/\/+$/, '') : undefined
  const originFor = (path: string) => (typeof rewrite === 'function' ? rewrite(path).replace(/\/+$/, '') : (origin as string))

  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (options.before && (await options.before(req, res))) return
        const request = await toRequest(req, originFor(req.url ?? '/'))
        const response = await getResponse([...handlers], request)
        // Response.error() is a network failure (chaos 'drop'): reset the connection, send nothing.
        if (response?.type === 'error') req.socket.destroy()
        else if (response) await writeResponse(res, response, request.method)
        else {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
          res.end(`No handler for ${request.method} ${request.url}\n`)
        }
      } catch (error) {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        res.end(`Handler failed: ${error instanceof Error ? error.message : String(error)}\n`)
      }
    })()
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  origin ??= url

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
