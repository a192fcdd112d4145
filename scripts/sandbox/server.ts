/**
 * The sandbox: emulated CRMs and the host pages that load our real built widget packages, on one
 * origin. amoCRM answers under /api/v4 and /oauth2 (as on an account domain).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { createAmoCrmEmulator, type AmoCrmEmulator, type AmoDbSnapshot } from '../../adapters/amocrm/testing/index.js'
import { SESSION_COOKIE } from '../../adapters/amocrm/testing/auth.js'
import { serveHandlers } from '../../sdk/node/serve-handlers.js'
import { createCrm } from '../../sdk/index.js'
import { amocrm as amocrmAdapter } from '../../adapters/amocrm/index.js'
import { demoCampaigns } from './demo-campaigns.js'
import { amocrmPage, indexPage } from './pages.js'

export interface SandboxOptions {
  port?: number
  seed?: number
  deals?: number
  latencyMs?: number
  lang?: string
  /** Seed the demo campaigns (default true). */
  campaigns?: boolean
  /** Where edits are kept across restarts (JSON). Without it the sandbox lives in memory only. */
  stateFile?: string
}

export interface Sandbox {
  url: string
  amocrm: AmoCrmEmulator
  stateFile: string | null
  /** Saves pending edits, then stops. */
  close(): Promise<void>
}

interface SavedState {
  version: 1
  amocrm: AmoDbSnapshot
}

async function loadState(file: string): Promise<SavedState | null> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as SavedState
    return data.version === 1 ? data : null
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new Error(`Cannot read the sandbox state ${file} (${(e as Error).message}); delete it to start afresh`)
  }
}

async function saveState(file: string, state: SavedState): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(`${file}.tmp`, JSON.stringify(state))
  await rename(`${file}.tmp`, file)
}

const root = resolve(import.meta.dirname, '../..')
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css', '.png': 'image/png', '.map': 'application/json' }
const WIDGET_CODE = 'crmkit_marketing'

export async function startSandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  const deals = o.deals ?? 5000
  const latency = o.latencyMs ?? 40
  const stateFile = o.stateFile ? resolve(o.stateFile) : null
  const saved = stateFile ? await loadState(stateFile) : null
  const amo = createAmoCrmEmulator({
    ...(saved ? { state: saved.amocrm } : {}),
    subdomain: 'demo',
    seed: o.seed ?? 1,
    size: { deals, contacts: Math.ceil(deals * 0.6), companies: Math.ceil(deals / 20), users: 12 },
    latencyMs: latency > 0 ? { min: latency / 2, max: latency * 1.5 } : 0,
  })

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers })
    res.end(body)
  }

  /** Files of the built amoCRM package, exactly as they go into widget.zip. */
  const servePackage = async (res: ServerResponse, rel: string) => {
    const base = join(root, 'dist/amocrm/widget')
    const file = normalize(join(base, rel))
    if (!file.startsWith(base)) return send(res, 403, 'text/plain', 'forbidden')
    try {
      send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file))
    } catch {
      send(res, 404, 'text/plain', `Not built: ${rel}. Run npm run build:widgets.`)
    }
  }

  // Writes are saved shortly after they land (debounced), atomically, so a restart keeps them.
  let saveTimer: NodeJS.Timeout | null = null
  let saving = Promise.resolve()
  const scheduleSave = () => {
    if (!stateFile || saveTimer) return
    saveTimer = setTimeout(() => {
      saveTimer = null
      saving = saving.then(() => saveState(stateFile, { version: 1, amocrm: amo.snapshot() })).catch((e: unknown) => console.error('sandbox: saving state failed:', e))
    }, 300)
  }

  const before = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') scheduleSave()
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname
    if (path === '/') {
      send(res, 200, 'text/html; charset=utf-8', indexPage([{ path: '/amocrm/', name: 'amoCRM — маркетинговый календарь' }]))
      return true
    }
    if (path === '/amocrm/' || path === '/amocrm') {
      // Logging in to the emulated account: the widget's API calls then carry this session cookie.
      const asked = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('tab')
      const tab = asked === 'attribution' || asked === 'budgets' ? asked : 'calendar'
      send(res, 200, 'text/html; charset=utf-8', amocrmPage(WIDGET_CODE, o.lang ?? 'ru', tab, amo.db.adminUser().id), {
        'Set-Cookie': `${SESSION_COOKIE}=${amo.sessionId}; Path=/; HttpOnly; SameSite=Lax`,
      })
      return true
    }
    if (path.startsWith('/amocrm/widget/')) {
      await servePackage(res, path.slice('/amocrm/widget/'.length))
      return true
    }
    return false
  }

  const server = await serveHandlers(amo.handlers, { port: o.port ?? 8787, rewriteOrigin: () => amo.baseUrl, before })
  // Campaign storage and demo campaigns go in through the public API, like a real setup would.
  const crm = createCrm(amocrmAdapter({ baseUrl: server.url, auth: { kind: 'long-lived-token', token: amo.longLivedToken } }))
  await crm.setup()
  if (o.campaigns !== false && !saved) {
    const failed = (await crm.campaigns.createMany(demoCampaigns())).filter((r) => !r.ok)
    if (failed.length) throw new Error(`seeding demo campaigns failed: ${failed.map((f) => (f.ok ? '' : f.error.message)).join('; ')}`)
  }
  await crm.close()
  return {
    url: server.url,
    amocrm: amo,
    stateFile,
    async close() {
      if (saveTimer) {
        clearTimeout(saveTimer)
        saveTimer = null
        if (stateFile) saving = saving.then(() => saveState(stateFile, { version: 1, amocrm: amo.snapshot() }))
      }
      await saving
      await server.close()
    },
  }
}
