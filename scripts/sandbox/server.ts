/**
 * The sandbox: the three emulated CRMs and the host pages that load our real built widget
 * packages, on one origin, each API under the paths the real host uses:
 *   amoCRM    /api/v4, /oauth2          (an account domain)
 *   Bitrix24  /rest/…, /oauth/token/    (the portal; the app is served under /bitrix24/app/)
 *   Creatio   /0/odata, /ServiceModel/  (the site; package files under /creatio/files/)
 * Any CRM can be proxied to a real account instead (proxy.ts).
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'
import { getResponse } from 'msw'
import { createAmoCrmEmulator, type AmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { SESSION_COOKIE } from '../../adapters/amocrm/testing/auth.js'
import { createBitrix24Emulator, type Bitrix24Emulator } from '../../adapters/bitrix24/testing/index.js'
import { createCreatioEmulator, type CreatioEmulator } from '../../adapters/creatio/testing/index.js'
import { serveHandlers } from '../../sdk/node/serve-handlers.js'
import { createCrm, type Crm } from '../../sdk/index.js'
import { amocrm as amocrmAdapter } from '../../adapters/amocrm/index.js'
import { bitrix24 as bitrix24Adapter } from '../../adapters/bitrix24/index.js'
import { creatio as creatioAdapter } from '../../adapters/creatio/index.js'
import { bitrix24AppHandler } from '../../widgets/hosts/bitrix24/serve.js'
import { placementsFor } from '../../widgets/hosts/bitrix24/install.js'
import { bitrix24PortalPage } from './bitrix24-portal.js'
import { creatioPage } from './creatio-page.js'
import { demoCampaigns, demoSpend, forCreatio } from './demo-campaigns.js'
import { amocrmPage, indexPage } from './pages.js'
import { createProxy, type ProxyTargets } from './proxy.js'
import { StateWriter, loadState, type CrmName } from './state.js'

export interface SandboxOptions {
  port?: number
  seed?: number
  /**
   * Leads and deals of the demo company, together (default 20,000): Bitrix24 and Creatio get half
   * as leads and half as deals; amoCRM half as records that are both (its lead *is* the deal).
   */
  deals?: number
  latencyMs?: number
  lang?: string
  /** Seed the demo campaigns and spend (default true). */
  campaigns?: boolean
  /** Where edits are kept across restarts (JSON). Without it the sandbox lives in memory only. */
  stateFile?: string
  /** Forward these CRMs' API paths to real accounts (see proxyTargetsFromEnv). */
  proxy?: ProxyTargets
  /** Request-log entries each emulator keeps at least (default 20,000): memory stays bounded over days. */
  logLimit?: number
}

export interface Sandbox {
  url: string
  amocrm: AmoCrmEmulator
  bitrix24: Bitrix24Emulator
  creatio: CreatioEmulator
  /** Host pages, one per CRM. */
  pages: Record<CrmName, string>
  modes: Record<CrmName, 'emulator' | 'proxy'>
  stateFile: string | null
  /** A client of the emulated CRM with server-side credentials and the CRM's usual limits (tests, examples). */
  connect(crm: CrmName): Crm
  /** Saves pending edits, then stops. */
  close(): Promise<void>
}

const root = resolve(import.meta.dirname, '../..')
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css', '.png': 'image/png', '.map': 'application/json', '.html': 'text/html; charset=utf-8' }
const WIDGET_CODE = 'crmkit_marketing'
const SANDBOX_COOKIE = 'crmkit_sandbox'
const BITRIX24_ORIGIN = 'https://demo.bitrix24.ru'
const BITRIX24_OAUTH = 'https://oauth.bitrix.info'
const CREATIO_ORIGIN = 'https://demo.creatio.com'
const TABS = ['calendar', 'budgets', 'attribution'] as const

export async function startSandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  const deals = o.deals ?? 20_000
  const half = Math.max(1, Math.ceil(deals / 2))
  const latency = o.latencyMs ?? 40
  const jitter = latency > 0 ? { min: latency / 2, max: latency * 1.5 } : 0
  const seed = o.seed ?? 1
  const logLimit = o.logLimit ?? 20_000
  const stateFile = o.stateFile ? resolve(o.stateFile) : null
  const saved = stateFile ? await loadState(stateFile) : null

  const amo = createAmoCrmEmulator({
    ...(saved?.amocrm ? { state: saved.amocrm } : {}),
    subdomain: 'demo',
    logLimit,
    seed,
    size: { deals: half, contacts: Math.ceil(deals * 0.4), companies: Math.ceil(deals / 30), users: 12 },
    latencyMs: jitter,
  })
  const bx = createBitrix24Emulator({
    ...(saved?.bitrix24 ? { state: saved.bitrix24 } : {}),
    baseUrl: BITRIX24_ORIGIN,
    logLimit,
    oauthServer: BITRIX24_OAUTH,
    seed,
    size: { deals: half, leads: half, contacts: Math.ceil(deals * 0.4), companies: Math.ceil(deals / 30), users: 12 },
    latencyMs: jitter,
  })
  const cr = createCreatioEmulator({
    ...(saved?.creatio ? { state: saved.creatio } : {}),
    siteUrl: CREATIO_ORIGIN,
    logLimit,
    seed,
    size: { deals: half, leads: half, contacts: Math.ceil(deals * 0.4), accounts: Math.ceil(deals / 30), users: 12 },
    latencyMs: jitter,
  })

  // The browser's session with the sandbox itself (the proxy only serves its pages).
  const sandboxSession = randomBytes(18).toString('base64url')
  const frameTokens = new Set<string>()
  const proxy = createProxy(o.proxy ?? {}, { sessionCookie: SANDBOX_COOKIE, sessionValue: sandboxSession, isFrameToken: (t) => frameTokens.has(t) })
  const sessionCookie = `${SANDBOX_COOKIE}=${sandboxSession}; Path=/; HttpOnly; SameSite=Lax`

  const writer = stateFile
    ? new StateWriter(stateFile, (crm) => (crm === 'amocrm' ? amo.snapshot() : crm === 'bitrix24' ? bx.snapshot() : cr.snapshot()))
    : null

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string | string[]> = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers })
    res.end(body)
  }

  /** Files of a built package, exactly as they ship. */
  const serveDist = async (res: ServerResponse, dir: string, rel: string) => {
    const base = join(root, dir)
    const file = normalize(join(base, rel || 'index.html'))
    if (!file.startsWith(base)) return send(res, 403, 'text/plain', 'forbidden')
    try {
      send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file))
    } catch {
      send(res, 404, 'text/plain', `Not built: ${rel}. Run npm run build:widgets.`)
    }
  }
  const bitrix24App = bitrix24AppHandler({ dir: join(root, 'dist/bitrix24'), basePath: '/bitrix24/app/' })

  /** The Creatio session cookies, as the login page would leave them in the browser. */
  const creatioCookies = async (origin: string): Promise<string[]> => {
    const r = await getResponse(
      cr.handlers,
      new Request(`${CREATIO_ORIGIN}/ServiceModel/AuthService.svc/Login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ UserName: cr.credentials.userName, UserPassword: cr.credentials.password }),
      }),
    )
    return r ? r.headers.getSetCookie() : []
  }

  const bitrix24Page = (req: IncomingMessage, url: URL, res: ServerResponse) => {
    const host = req.headers.host ?? '127.0.0.1'
    const appUrl = `http://${host}/bitrix24/app/`
    // Before installFinish the portal opens the app's main page in install mode (emulated portals only).
    const install = proxy.modes.bitrix24 === 'emulator' && !bx.db.app.installed
    const bound = proxy.modes.bitrix24 === 'proxy' ? placementsFor(appUrl).map((p) => ({ placement: p.placement, handler: p.handler, title: p.title.ru })) : bx.db.app.placements
    const page = url.searchParams.get('page') ?? 'menu'
    const find = (placement: string) => bound.find((p) => p.placement === placement)
    let placement = 'DEFAULT'
    let handler = `${appUrl}index.html`
    let options: Record<string, unknown> = {}
    let heading = 'Установка приложения crmkit'
    if (!install) {
      const which = page === 'deal' ? 'CRM_DEAL_DETAIL_TAB' : page === 'lead' ? 'CRM_LEAD_DETAIL_TAB' : page === 'analytics' ? 'CRM_ANALYTICS_MENU' : 'LEFT_MENU'
      const b = find(which)
      if (!b) return send(res, 404, 'text/html; charset=utf-8', `<p>The app has not bound ${which}. <a href="/bitrix24/">Back</a></p>`)
      placement = which
      handler = new URL(b.handler, appUrl).toString()
      const tab = url.searchParams.get('tab')
      if (which === 'LEFT_MENU' && tab && (TABS as readonly string[]).includes(tab)) handler += `${handler.includes('?') ? '&' : '?'}tab=${tab}`
      if (page === 'deal' || page === 'lead') options = { ID: url.searchParams.get('id') ?? (page === 'deal' ? '5001' : '1001') }
      heading = page === 'deal' ? `Сделка #${String(options.ID)} — ${b.title}` : page === 'lead' ? `Лид #${String(options.ID)} — ${b.title}` : b.title
    }
    const tokens = bx.issueTokens(1)
    frameTokens.add(tokens.access_token)
    const items = install
      ? []
      : [
          ...(find('LEFT_MENU') ? TABS.map((t) => ({ title: `${find('LEFT_MENU')!.title}: ${t}`, href: `/bitrix24/?tab=${t}`, current: page === 'menu' && (url.searchParams.get('tab') ?? 'calendar') === t })) : []),
          ...(find('CRM_ANALYTICS_MENU') ? [{ title: `Аналитика: ${find('CRM_ANALYTICS_MENU')!.title}`, href: '/bitrix24/?page=analytics', current: page === 'analytics' }] : []),
        ]
    const html = bitrix24PortalPage(
      {
        handler, domain: host, appSid: randomBytes(16).toString('hex'), lang: url.searchParams.get('lang') ?? o.lang ?? 'ru',
        theme: url.searchParams.get('theme') === 'dark' ? 'dark' : 'light', placement, placementOptions: options, install,
        auth: { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresIn: tokens.expires_in, memberId: bx.memberId },
      },
      { items, heading },
    )
    send(res, 200, 'text/html; charset=utf-8', html, { 'Set-Cookie': sessionCookie })
  }

  const hasSandboxSession = (req: IncomingMessage) => (req.headers.cookie ?? '').split(';').some((c) => c.trim() === `${SANDBOX_COOKIE}=${sandboxSession}`)

  const before = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://sandbox')
    const path = url.pathname
    if (await proxy.handle(req, res)) return true
    if (req.method !== 'GET' && req.method !== 'HEAD' && writer) {
      if (path.startsWith('/api/v4/')) writer.touch('amocrm')
      else if (path.startsWith('/rest/') || path.startsWith('/bitrix24/portal/')) writer.touch('bitrix24')
      else if (path.startsWith('/0/')) writer.touch('creatio')
    }
    if (path === '/') {
      send(res, 200, 'text/html; charset=utf-8', indexPage([
        { path: '/amocrm/', name: `amoCRM — маркетинговый календарь (${proxy.modes.amocrm})` },
        { path: '/bitrix24/', name: `Битрикс24 — приложение в портале (${proxy.modes.bitrix24})` },
        { path: '/bitrix24/?page=deal&id=5001', name: 'Битрикс24 — вкладка карточки сделки' },
        { path: '/creatio/', name: `Creatio — элементы Freedom UI (${proxy.modes.creatio})` },
        { path: '/creatio/files/index.html', name: 'Creatio — полная страница' },
      ]), { 'Set-Cookie': sessionCookie })
      return true
    }
    if (path === '/amocrm/' || path === '/amocrm') {
      // Logging in to the emulated account: the widget's API calls then carry this session cookie.
      const asked = url.searchParams.get('tab')
      const tab = asked === 'attribution' || asked === 'budgets' ? asked : 'calendar'
      // ?card=ID (or "first") opens a lead card: the widget's card area shows that record's touch path.
      const card = url.searchParams.get('card')
      const cardId = card === null ? null : card === 'first' ? (amo.db.leads.rows[0]?.id ?? 0) : Number(card) || 0
      send(res, 200, 'text/html; charset=utf-8', amocrmPage(WIDGET_CODE, o.lang ?? 'ru', tab, amo.db.adminUser().id, cardId), {
        'Set-Cookie': [`${SESSION_COOKIE}=${amo.sessionId}; Path=/; HttpOnly; SameSite=Lax`, sessionCookie],
      })
      return true
    }
    if (path.startsWith('/amocrm/widget/')) {
      await serveDist(res, 'dist/amocrm/widget', path.slice('/amocrm/widget/'.length))
      return true
    }
    if (path === '/bitrix24/' || path === '/bitrix24') {
      bitrix24Page(req, url, res)
      return true
    }
    // What the portal does internally with the user's session: a new AUTH_ID, the app installed.
    if (path === '/bitrix24/portal/refresh' && req.method === 'POST') {
      if (!hasSandboxSession(req)) return send(res, 401, 'application/json', '{"error":"NO_AUTH_FOUND"}'), true
      const t = bx.issueTokens(1)
      frameTokens.add(t.access_token)
      send(res, 200, 'application/json', JSON.stringify({ AUTH_ID: t.access_token, REFRESH_ID: t.refresh_token, AUTH_EXPIRES: t.expires_in }))
      return true
    }
    if (path === '/bitrix24/portal/install-finish' && req.method === 'POST') {
      if (!hasSandboxSession(req)) return send(res, 401, 'application/json', '{"error":"NO_AUTH_FOUND"}'), true
      bx.db.app.installed = true
      send(res, 200, 'application/json', '{"result":true}')
      return true
    }
    if (await bitrix24App(req, res)) return true
    if (path === '/creatio/' || path === '/creatio') {
      const v = url.searchParams.get('view')
      const view = v === 'budgets' || v === 'attribution' || v === 'card' ? v : 'calendar'
      const culture = url.searchParams.get('culture') ?? (o.lang === 'en' ? 'en-US' : 'ru-RU')
      const cookies = proxy.modes.creatio === 'emulator' ? await creatioCookies(`http://${req.headers.host}`) : []
      const userContact = proxy.modes.creatio === 'emulator' ? sandboxCreatioUser(cr) : null
      send(res, 200, 'text/html; charset=utf-8', creatioPage({ culture, view, userContact, amd: url.searchParams.get('loader') === 'amd', ...(url.searchParams.get('id') ? { recordId: url.searchParams.get('id')! } : {}) }), {
        'Set-Cookie': [...cookies, sessionCookie],
      })
      return true
    }
    if (path.startsWith('/creatio/files/')) {
      // The full page opens on its own too: it needs the same site session.
      if (path.endsWith('.html') && proxy.modes.creatio === 'emulator' && !/\.ASPXAUTH=/.test(req.headers.cookie ?? '')) {
        const cookies = await creatioCookies(`http://${req.headers.host}`)
        const file = await readFile(join(root, 'dist/creatio', path.slice('/creatio/files/'.length))).catch(() => null)
        if (file) return send(res, 200, 'text/html; charset=utf-8', file, { 'Set-Cookie': [...cookies, sessionCookie] }), true
      }
      await serveDist(res, 'dist/creatio', path.slice('/creatio/files/'.length))
      return true
    }
    return false
  }

  const originFor = (path: string) =>
    path.startsWith('/rest/') ? BITRIX24_ORIGIN
    : path.startsWith('/oauth/token') ? BITRIX24_OAUTH
    : path.startsWith('/0/') || path.startsWith('/ServiceModel/') ? CREATIO_ORIGIN
    : amo.baseUrl
  const server = await serveHandlers([...amo.handlers, ...bx.handlers, ...cr.handlers], { port: o.port ?? 8787, rewriteOrigin: originFor, before })

  /** `seeding`: Bitrix24 calls spaced for the leaky bucket's burst, before any page shares it. */
  const connect = (crm: CrmName, seeding = false): Crm => {
    if (crm === 'amocrm') return createCrm(amocrmAdapter({ baseUrl: server.url, auth: { kind: 'long-lived-token', token: amo.longLivedToken } }))
    if (crm === 'bitrix24') {
      const adapter = bitrix24Adapter({ auth: { kind: 'webhook', url: bx.webhookUrl.replace(BITRIX24_ORIGIN, server.url) } })
      return seeding ? createCrm(adapter, { rateLimit: { requestsPerSecond: 20, maxConcurrent: 4 } }) : createCrm(adapter)
    }
    return createCrm(creatioAdapter({ siteUrl: server.url, auth: { kind: 'cookie', userName: cr.credentials.userName, password: cr.credentials.password } }))
  }

  // Campaign storage, demo campaigns and spend go in through the public API, like a real setup
  // would; never into a proxied (real) account.
  const seedOne = async (name: CrmName) => {
    if (proxy.modes[name] === 'proxy') return
    const crm = connect(name, true)
    try {
      await crm.setup()
      if (o.campaigns === false || saved?.[name]) return
      const plan = name === 'creatio' ? demoCampaigns().map(forCreatio) : demoCampaigns()
      const created = await crm.campaigns.createMany(plan)
      const failed = created.filter((r) => !r.ok)
      if (failed.length) throw new Error(`seeding ${name} demo campaigns failed: ${failed.map((f) => (f.ok ? '' : f.error.message)).join('; ')}`)
      const spendFailed = (await crm.spend.createMany(demoSpend(created.flatMap((r) => (r.ok ? [r.record] : []))))).filter((r) => !r.ok)
      if (spendFailed.length) throw new Error(`seeding ${name} demo spend failed: ${spendFailed.map((f) => (f.ok ? '' : f.error.message)).join('; ')}`)
    } finally {
      await crm.close()
    }
  }
  // The three accounts are independent: seed them side by side (start-up is their slowest one).
  const seeded = await Promise.allSettled((['amocrm', 'bitrix24', 'creatio'] as const).map(seedOne))
  const seedError = seeded.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (seedError) {
    await server.close()
    throw seedError.reason
  }
  // Seeding used the burst of Bitrix24's leaky bucket; the widget starts with it full.
  bx.resetLimits()
  // The seeding writes above marked the state dirty: it is saved shortly, after the start.

  return {
    url: server.url,
    amocrm: amo,
    bitrix24: bx,
    creatio: cr,
    pages: { amocrm: `${server.url}/amocrm/`, bitrix24: `${server.url}/bitrix24/`, creatio: `${server.url}/creatio/` },
    modes: proxy.modes,
    stateFile,
    connect: (crm) => connect(crm),
    async close() {
      await writer?.flush()
      await server.close()
    },
  }
}

/** The contact of the user the sandbox signs in as on the emulated Creatio site (the emulator's acting user). */
function sandboxCreatioUser(cr: CreatioEmulator): string | null {
  const id = cr.db.rows('SysAdminUnit').find((u) => u['SysAdminUnitTypeValue'] === 4)?.['ContactId']
  return typeof id === 'string' ? id.toLowerCase() : null
}
