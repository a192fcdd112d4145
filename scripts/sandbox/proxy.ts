/**
 * Proxy mode: a CRM's API paths go to a real account instead of the emulator, with the credential
 * added here, server-side, so it never reaches the browser. Only callers holding the sandbox's
 * own session (the host pages' cookie, or for Bitrix24 a frame token the sandbox issued) get through.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CrmName } from './state.js'

export interface ProxyTargets {
  /** `AMOCRM_SUBDOMAIN` (+ `AMOCRM_DOMAIN`, default amocrm.ru) and `AMOCRM_TOKEN` (a long-lived token). */
  amocrm?: { baseUrl: string; token: string }
  /** `BITRIX24_WEBHOOK_URL`: `https://portal.bitrix24.ru/rest/{user}/{code}/`. */
  bitrix24?: { webhookUrl: string }
  /** `CREATIO_URL`, `CREATIO_USER`, `CREATIO_PASSWORD` (forms login). */
  creatio?: { siteUrl: string; userName: string; password: string }
}

export function proxyTargetsFromEnv(env: NodeJS.ProcessEnv = process.env): ProxyTargets {
  const out: ProxyTargets = {}
  if (env.AMOCRM_SUBDOMAIN && env.AMOCRM_TOKEN) {
    out.amocrm = { baseUrl: `https://${env.AMOCRM_SUBDOMAIN}.${env.AMOCRM_DOMAIN ?? 'amocrm.ru'}`, token: env.AMOCRM_TOKEN }
  }
  if (env.BITRIX24_WEBHOOK_URL) {
    if (!/^https?:\/\/[^/]+\/rest\/\d+\/[^/]+\/?$/.test(env.BITRIX24_WEBHOOK_URL)) throw new TypeError('BITRIX24_WEBHOOK_URL must look like https://portal.bitrix24.ru/rest/1/abc123/')
    out.bitrix24 = { webhookUrl: env.BITRIX24_WEBHOOK_URL.replace(/\/?$/, '/') }
  }
  if (env.CREATIO_URL && env.CREATIO_USER && env.CREATIO_PASSWORD) {
    out.creatio = { siteUrl: env.CREATIO_URL.replace(/\/+$/, '').replace(/\/0$/, ''), userName: env.CREATIO_USER, password: env.CREATIO_PASSWORD }
  }
  return out
}

/** Which CRM's API a sandbox path belongs to (the same paths the emulators answer). */
export function apiOf(path: string): CrmName | null {
  if (path.startsWith('/api/v4/')) return 'amocrm'
  if (path.startsWith('/rest/')) return 'bitrix24'
  if (path.startsWith('/0/odata/') || path === '/0/odata' || path.startsWith('/0/rest/') || path.startsWith('/0/DataService/')) return 'creatio'
  return null
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'set-cookie', 'host'])

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return null
}

async function relay(res: ServerResponse, r: Response): Promise<void> {
  const headers: Record<string, string> = {}
  r.headers.forEach((v, k) => {
    if (!HOP.has(k)) headers[k] = v
  })
  res.writeHead(r.status, headers)
  res.end(r.status === 204 || r.status === 304 ? undefined : Buffer.from(await r.arrayBuffer()))
}

export interface Proxy {
  modes: Record<CrmName, 'emulator' | 'proxy'>
  /** True when it answered (forwarded, or refused a caller without the sandbox's session). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>
}

export function createProxy(
  targets: ProxyTargets,
  access: { sessionCookie: string; sessionValue: string; isFrameToken(token: string): boolean },
  fetchImpl: typeof fetch = fetch,
): Proxy {
  const deny = (res: ServerResponse) => {
    res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'sandbox_session_required', error_description: 'Open a sandbox host page first: the proxy only serves its pages' }))
    return true
  }
  const hasSession = (req: IncomingMessage) => cookie(req, access.sessionCookie) === access.sessionValue

  // Creatio forms session, logged in once and again when the site says it expired.
  let creatioSession: Promise<{ cookie: string; csrf: string }> | null = null
  const creatioLogin = (t: NonNullable<ProxyTargets['creatio']>) =>
    (creatioSession ??= (async () => {
      const r = await fetchImpl(`${t.siteUrl}/ServiceModel/AuthService.svc/Login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ UserName: t.userName, UserPassword: t.password }),
      })
      const body = (await r.json().catch(() => null)) as { Code?: number; Message?: string } | null
      if (r.status !== 200 || body?.Code !== 0) throw new Error(`Creatio login failed (HTTP ${r.status}${body?.Message ? `: ${body.Message}` : ''})`)
      const jar = r.headers.getSetCookie().map((c) => c.split(';')[0]!)
      const csrf = jar.find((c) => c.startsWith('BPMCSRF='))?.slice('BPMCSRF='.length) ?? ''
      return { cookie: jar.join('; '), csrf }
    })().catch((e: unknown) => {
      creatioSession = null
      throw e
    }))

  const modes = {
    amocrm: targets.amocrm ? 'proxy' : 'emulator',
    bitrix24: targets.bitrix24 ? 'proxy' : 'emulator',
    creatio: targets.creatio ? 'proxy' : 'emulator',
  } as const

  return {
    modes,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://sandbox')
      const crm = apiOf(url.pathname)
      if (!crm || modes[crm] !== 'proxy') return false
      const method = req.method ?? 'GET'
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req)
      const type = req.headers['content-type']

      if (crm === 'amocrm') {
        if (!hasSession(req)) return deny(res)
        const t = targets.amocrm!
        const r = await fetchImpl(`${t.baseUrl}${url.pathname}${url.search}`, {
          method,
          headers: { Authorization: `Bearer ${t.token}`, Accept: 'application/json', ...(type ? { 'Content-Type': type } : {}) },
          ...(body?.length ? { body: new Uint8Array(body) } : {}),
        })
        await relay(res, r)
        return true
      }

      if (crm === 'bitrix24') {
        // The frame app calls /rest/{method}.json with auth=AUTH_ID; the webhook URL carries the credential instead.
        let params: Record<string, unknown> = {}
        const text = body?.toString('utf8') ?? ''
        const json = /json/i.test(type ?? '') || /^\s*\{/.test(text)
        if (json && text) params = JSON.parse(text) as Record<string, unknown>
        const form = !json && text ? new URLSearchParams(text) : null
        const token = String(params.auth ?? form?.get('auth') ?? url.searchParams.get('auth') ?? '')
        if (!access.isFrameToken(token)) return deny(res)
        delete params.auth
        form?.delete('auth')
        url.searchParams.delete('auth')
        const restMethod = url.pathname.slice('/rest/'.length).replace(/\.json$/, '')
        const r = await fetchImpl(`${targets.bitrix24!.webhookUrl}${restMethod}.json${url.search}`, {
          method: method === 'GET' ? 'GET' : 'POST',
          headers: { 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
          ...(method === 'GET' ? {} : { body: json ? JSON.stringify(params) : (form?.toString() ?? '') }),
        })
        await relay(res, r)
        return true
      }

      if (!hasSession(req)) return deny(res)
      const t = targets.creatio!
      const send = async () => {
        const s = await creatioLogin(t)
        return fetchImpl(`${t.siteUrl}${url.pathname}${url.search}`, {
          method,
          headers: {
            Cookie: s.cookie, BPMCSRF: s.csrf, ForceUseSession: 'true', Accept: req.headers.accept ?? 'application/json',
            ...(type ? { 'Content-Type': type } : {}),
          },
          ...(body?.length ? { body: new Uint8Array(body) } : {}),
        })
      }
      let r = await send()
      // An expired session answers 401 or the HTML login page; the request did not run, so it is repeated once.
      if (r.status === 401 || (r.status === 200 && /text\/html/i.test(r.headers.get('content-type') ?? ''))) {
        creatioSession = null
        r = await send()
      }
      await relay(res, r)
      return true
    },
  }
}
