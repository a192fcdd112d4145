/**
 * Node handler that serves the built Bitrix24 app (dist/bitrix24/) the way Bitrix24 needs it:
 * pages answer POST as well as GET (Bitrix24 POSTs AUTH_ID, REFRESH_ID, member_id, PLACEMENT,
 * PLACEMENT_OPTIONS to the handler URL), and the POSTed fields are echoed into the page as a JSON
 * block the app reads (`posted.ts`). Only the known field names are echoed, and `<` is escaped, so
 * a crafted POST cannot inject markup. Mount it in any node:http server:
 *   const app = bitrix24AppHandler({ dir: 'dist/bitrix24', basePath: '/b24/' })
 *   createServer(async (req, res) => { if (!(await app(req, res))) res.writeHead(404).end() })
 */
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'
import { POSTED_ELEMENT_ID, POSTED_FIELDS } from './posted.js'

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.css': 'text/css' }
const MAX_BODY = 64 * 1024

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  // Bitrix24 posts application/x-www-form-urlencoded; a JSON body (tests, proxies) is read too.
  if (/^\s*\{/.test(text)) {
    const data = JSON.parse(text) as Record<string, unknown>
    return new URLSearchParams(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
  }
  return new URLSearchParams(text)
}

/** `<script type="application/json">` content that cannot close the script element. */
export function postedJson(fields: Record<string, string>): string {
  return JSON.stringify(fields).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

export function bitrix24AppHandler(o: { dir: string; basePath: string }): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const dir = resolve(o.dir)
  const base = o.basePath.endsWith('/') ? o.basePath : `${o.basePath}/`
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app')
    if (!url.pathname.startsWith(base) && url.pathname !== base.slice(0, -1)) return false
    const rel = url.pathname.slice(base.length) || 'index.html'
    const file = normalize(join(dir, rel))
    if (!file.startsWith(dir)) {
      res.writeHead(403).end()
      return true
    }
    const isPage = extname(file) === '.html'
    if (req.method !== 'GET' && req.method !== 'HEAD' && !(req.method === 'POST' && isPage)) {
      res.writeHead(405, { Allow: isPage ? 'GET, POST' : 'GET' }).end()
      return true
    }
    let body: Buffer | string
    try {
      body = await readFile(file)
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not built: ${rel}. Run npm run build:widgets.`)
      return true
    }
    if (isPage) {
      const form = req.method === 'POST' ? await readForm(req).catch(() => new URLSearchParams()) : new URLSearchParams()
      const fields: Record<string, string> = {}
      for (const k of POSTED_FIELDS) {
        const v = form.get(k) ?? url.searchParams.get(k)
        if (v !== null) fields[k] = v
      }
      if (Object.keys(fields).length) {
        body = body.toString('utf8').replace('</head>', `<script type="application/json" id="${POSTED_ELEMENT_ID}">${postedJson(fields)}</script>\n</head>`)
      }
    }
    // The token is in the page: never cache it. The page must be framable by the portal.
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    res.end(req.method === 'HEAD' ? undefined : body)
    return true
  }
}
