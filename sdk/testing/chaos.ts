// Chaos mode shared by the three emulators: seeded fault injection in front of an emulator's msw
// handlers. Each CRM's faults take that CRM's real shape (research: amoCRM nginx 429/502/504 pages,
// Bitrix24 503 QUERY_LIMIT_EXCEEDED and 500 INTERNAL_SERVER_ERROR JSON, Creatio's 500 envelope with
// innererror and IIS HTML pages). Browser-safe: only msw core, no Node modules.
import { delay, getResponse, http, type HttpHandler } from 'msw'
import { ValidationError, type CrmName } from '../errors.js'
import { createRandom, deriveSeed, type Random } from './random.js'

export const CHAOS_FAULTS = ['5xx', 'rate-limit', 'slow', 'timeout', 'drop', 'truncated-json', 'html-error', 'lost-write-response'] as const
export type ChaosFault = (typeof CHAOS_FAULTS)[number]

export interface ChaosOptions {
  /** Same seed + same request sequence → same faults. Default: the emulator's seed. */
  seed?: number
  /**
   * Probability (0..1) that a request gets a fault, shared evenly by the `faults` that
   * `probabilities` does not name. Default 0.1, or 0 when `probabilities` is given.
   */
  rate?: number
  /** Per-fault probabilities (0..1, summing with `rate` to ≤ 1). */
  probabilities?: Partial<Record<ChaosFault, number>>
  /** Faults to inject. Default: all of them. */
  faults?: readonly ChaosFault[]
  /** Extra delay of a 'slow' answer, ms. Default 300. */
  slowMs?: number
  /** How long a 'timeout' answer is held back, ms: longer than the client's timeout. Default 35,000. */
  timeoutMs?: number
  /**
   * Faults on the OAuth/login endpoints too (default false). Only faults that provably apply
   * nothing are used there: a lost refresh answer would burn the single-use refresh token for good.
   */
  auth?: boolean
}

export interface ChaosStats {
  /** Requests chaos looked at (auth endpoints excluded unless `auth: true`). */
  requests: number
  /** Faults injected, by kind. */
  injected: Record<ChaosFault, number>
}

export interface Chaos {
  readonly stats: ChaosStats
  /** False lets every request through untouched (and draws nothing): set up fixtures, then turn it on. */
  enabled: boolean
  /** Resolves once no request is held inside chaos (slow/timeout answers still pending). */
  idle(): Promise<void>
  /** Clears the stats and restarts the seeded sequence. */
  reset(): void
}

/** How one CRM's edge fails; each emulator passes its own (its testing/chaos-shapes.ts). */
export interface ChaosShapes {
  crm: CrmName
  /** A 5xx from the application that did nothing. */
  serverError(variant: number): Response
  rateLimited(): Response
  /** A gateway's or web server's HTML error page (5xx). */
  htmlError(): Response
  /** What the client sees when the write went through but the answer did not (besides a dropped connection). */
  lostAnswer(): Response
  /** Login and token endpoints, spared unless `auth: true`. */
  isAuth(url: URL): boolean
}

/** nginx's own error page, as the gateway in front of amoCRM and Bitrix24 answers. */
const nginxPage = (code: string) =>
  `<html>\r\n<head><title>${code}</title></head>\r\n<body>\r\n<center><h1>${code}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
export const nginx = (status: number, code: string) =>
  new Response(nginxPage(code), { status, headers: { 'Content-Type': 'text/html', Server: 'nginx' } })
export const jsonAnswer = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
/** Faults that answer without the emulator ever seeing the request: safe on auth endpoints. */
const NOTHING_APPLIED: ReadonlySet<ChaosFault> = new Set(['5xx', 'rate-limit', 'html-error'])

function invalid(crm: CrmName, path: (string | number)[], message: string): ValidationError {
  return new ValidationError(`Invalid chaos option ${path.join('.')}: ${message}`, { crm, issues: [{ path, message, code: 'invalid_chaos_option' }] })
}

const isProbability = (p: unknown): p is number => typeof p === 'number' && Number.isFinite(p) && p >= 0 && p <= 1

/** Checked up front so a typo fails the emulator's creation, not some request later. */
function normalise(o: ChaosOptions, crm: CrmName): { faults: ChaosFault[]; p: Map<ChaosFault, number> } {
  const faults = [...(o.faults ?? CHAOS_FAULTS)]
  faults.forEach((f, i) => {
    if (!(CHAOS_FAULTS as readonly string[]).includes(f)) throw invalid(crm, ['chaos', 'faults', i], `unknown fault "${String(f)}" (one of ${CHAOS_FAULTS.join(', ')})`)
  })
  const rate = o.rate ?? (o.probabilities ? 0 : 0.1)
  if (!isProbability(rate)) throw invalid(crm, ['chaos', 'rate'], 'must be a number from 0 to 1')
  const p = new Map<ChaosFault, number>()
  for (const [f, v] of Object.entries(o.probabilities ?? {})) {
    if (!(CHAOS_FAULTS as readonly string[]).includes(f)) throw invalid(crm, ['chaos', 'probabilities', f], 'unknown fault')
    if (!isProbability(v)) throw invalid(crm, ['chaos', 'probabilities', f], 'must be a number from 0 to 1')
    p.set(f as ChaosFault, v)
  }
  const rest = faults.filter((f) => !p.has(f))
  for (const f of rest) p.set(f, rate / rest.length)
  // Named faults count even when `faults` leaves them out: naming one is asking for it.
  for (const f of p.keys()) if (!faults.includes(f)) faults.push(f)
  const total = [...p.values()].reduce((a, b) => a + b, 0)
  if (total > 1 + 1e-9) throw invalid(crm, ['chaos', 'probabilities'], `sum to ${total}, more than 1`)
  for (const key of ['slowMs', 'timeoutMs'] as const) {
    const v = o[key]
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw invalid(crm, ['chaos', key], 'must be a non-negative number of ms')
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw invalid(crm, ['chaos', 'seed'], 'must be an integer')
  return { faults, p }
}

/** Cuts a JSON body short, mid-token, as a connection closed mid-transfer does. */
async function truncate(res: Response, fraction: number): Promise<Response | null> {
  if (!/json/i.test(res.headers.get('content-type') ?? '') || res.body === null) return null
  const text = await res.text()
  if (text.length < 2) return null
  const cut = Math.max(1, Math.min(text.length - 1, Math.floor(text.length * (0.2 + 0.6 * fraction))))
  return new Response(text.slice(0, cut), { status: res.status, statusText: res.statusText, headers: res.headers })
}

/**
 * Puts a seeded fault injector in front of `handlers`: returns the handlers to serve (chaos first,
 * falling through to the emulator when it injects nothing) and the chaos controls. Faults that
 * need the emulator's real answer (slow, timeout, truncated, lost write) run the request through
 * it first, so those requests are applied and logged like any other.
 */
export function withChaos(
  shapes: ChaosShapes,
  handlers: readonly HttpHandler[],
  options: ChaosOptions,
  context: { seed: number; origins: readonly string[] },
): { handlers: HttpHandler[]; chaos: Chaos } {
  const { crm } = shapes
  const { faults, p } = normalise(options, crm)
  const seed = options.seed ?? context.seed
  const origins = new Set(context.origins.map((o) => new URL(o).origin))
  const slowMs = options.slowMs ?? 300
  const timeoutMs = options.timeoutMs ?? 35_000
  let random: Random = createRandom(deriveSeed(seed, 'chaos'))
  const stats: ChaosStats = { requests: 0, injected: Object.fromEntries(CHAOS_FAULTS.map((f) => [f, 0])) as Record<ChaosFault, number> }
  let inflight = 0
  let waiters: (() => void)[] = []
  const inner = [...handlers]

  const pick = (write: boolean, auth: boolean): ChaosFault | null => {
    // Always two draws per request, so one request's kind never shifts the faults of the next.
    const roll = random.next()
    let acc = 0
    for (const f of faults) {
      acc += p.get(f) ?? 0
      if (roll < acc) {
        if (f === 'lost-write-response' && !write) return null
        if (auth && !NOTHING_APPLIED.has(f)) return null
        return f
      }
    }
    return null
  }

  const real = async (request: Request): Promise<Response> =>
    (await getResponse(inner, request)) ?? new Response(`No handler for ${request.method} ${request.url}`, { status: 404 })

  async function inject(fault: ChaosFault, variant: number, request: Request): Promise<Response> {
    switch (fault) {
      case '5xx':
        return shapes.serverError(variant)
      case 'rate-limit':
        return shapes.rateLimited()
      case 'html-error':
        return shapes.htmlError()
      case 'drop':
        // Connection reset before the request reached the application.
        return Response.error()
      case 'slow':
      case 'timeout': {
        // Applied on arrival, answered late: a timed-out write may well have landed.
        const res = await real(request)
        await delay(fault === 'slow' ? slowMs : timeoutMs)
        return res
      }
      case 'truncated-json': {
        const res = await real(request)
        const cut = await truncate(res.clone(), variant)
        // Nothing to cut (a 204, an XML or text answer): the request passed unharmed, so it is not counted.
        if (!cut) stats.injected['truncated-json']--
        return cut ?? res
      }
      case 'lost-write-response':
        await real(request)
        return variant < 0.5 ? Response.error() : shapes.lostAnswer()
    }
  }

  const front = http.all(/.*/, async ({ request }) => {
    const url = new URL(request.url)
    // Other hosts mocked in the same msw server are none of our business.
    if (!origins.has(url.origin) || !chaos.enabled) return undefined
    const auth = shapes.isAuth(url)
    if (auth && !options.auth) return undefined
    stats.requests++
    const fault = pick(request.method !== 'GET' && request.method !== 'HEAD', auth)
    const variant = random.next()
    if (!fault) return undefined // fall through to the emulator
    stats.injected[fault]++
    inflight++
    try {
      return await inject(fault, variant, request)
    } finally {
      if (--inflight === 0) {
        const done = waiters
        waiters = []
        for (const w of done) w()
      }
    }
  })

  const chaos: Chaos = {
    enabled: true,
    stats,
    idle: () => (inflight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    reset() {
      random = createRandom(deriveSeed(seed, 'chaos'))
      stats.requests = 0
      for (const f of CHAOS_FAULTS) stats.injected[f] = 0
    },
  }
  return { handlers: [front, ...inner], chaos }
}
