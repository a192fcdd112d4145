/**
 * A small client for the Bitrix24 frame protocol (what BX24.js and @bitrix24/b24jssdk speak, research
 * bitrix24.md §6.2 and §8.3–8.4), instead of the ~70 KB gzip SDK:
 * - Bitrix24 names the iframe `DOMAIN|PROTOCOL|APP_SID` (window.name);
 * - the app posts `command:params:callbackKey:APP_SID` strings to the portal origin (params JSON,
 *   left out when empty) and the portal answers `callbackKey:json`;
 * - `getInitData` is the handshake (auth, placement, language, install mode).
 * Messages from any other origin are ignored, so another frame cannot feed us a token.
 */

/** What `getInitData` answers (and, for the first paint, what Bitrix24 POSTed to the page). */
export interface FrameInitData {
  DOMAIN: string
  /** 1 → https, 0 → http. */
  PROTOCOL: number | string
  LANG: string
  APP_SID: string
  AUTH_ID: string
  AUTH_EXPIRES: number | string
  REFRESH_ID?: string
  MEMBER_ID: string
  IS_ADMIN?: boolean
  PLACEMENT: string
  PLACEMENT_OPTIONS?: Record<string, unknown> | string
  /** True when the portal opened the app to finish installing it. */
  INSTALL?: boolean
  FIRST_RUN?: boolean
  /** Not in Bitrix24's handshake: some portals pass it in PLACEMENT_OPTIONS; the sandbox does both. */
  THEME?: string
}

export interface FrameAuth {
  accessToken: string
  refreshToken: string | null
  expiresAt: Date
  /** Portal host (`acme.bitrix24.ru`). */
  domain: string
  memberId: string
}

export class FrameError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_IN_FRAME' | 'TIMEOUT' | 'BAD_PAYLOAD' | 'INSTALL_FINISHED' | 'CLOSED',
  ) {
    super(message)
    this.name = 'FrameError'
  }
}

export interface FrameConnectOptions {
  /** The app's window (tests pass a fake); default `window`. */
  window?: Pick<Window, 'name' | 'addEventListener' | 'removeEventListener'> & { parent: { postMessage(message: unknown, targetOrigin: string): void } }
  /** How long the portal may take to answer a command; default 10 s (the SDK uses 10 s for refreshAuth). */
  timeoutMs?: number
  now?: () => number
  /**
   * The fields Bitrix24 POSTed to the page (echoed by the app's server, see `readPostedFields`).
   * The fallback when there is no portal to talk to (the page opened outside the frame, or the
   * handshake timed out): the app still starts, without refresh, installFinish or resizing.
   */
  posted?: Record<string, string> | null
}

/** Bitrix24's POST (body + query string) → init data; null without AUTH_ID, DOMAIN and member_id. */
export function initFromPosted(posted: Record<string, string>): FrameInitData | null {
  if (!posted.AUTH_ID || !posted.DOMAIN || !posted.member_id || /[/\s]/.test(posted.DOMAIN)) return null
  return {
    DOMAIN: posted.DOMAIN.replace(/:(80|443)$/, ''),
    PROTOCOL: posted.PROTOCOL === '0' ? 0 : 1,
    LANG: posted.LANG ?? '',
    APP_SID: posted.APP_SID ?? '',
    AUTH_ID: posted.AUTH_ID,
    AUTH_EXPIRES: posted.AUTH_EXPIRES ?? '3600',
    ...(posted.REFRESH_ID ? { REFRESH_ID: posted.REFRESH_ID } : {}),
    MEMBER_ID: posted.member_id,
    PLACEMENT: posted.PLACEMENT || 'DEFAULT',
    PLACEMENT_OPTIONS: posted.PLACEMENT_OPTIONS ?? '{}',
  }
}

/** `DOMAIN|PROTOCOL|APP_SID` → the parent origin and the app's sid; null outside Bitrix24. */
export function parseWindowName(name: string): { domain: string; protocol: 'https' | 'http'; appSid: string; origin: string } | null {
  const [domain, protocol, appSid] = name.split('|')
  if (!domain || !appSid || /[/\s]/.test(domain)) return null
  const scheme = protocol === '1' ? 'https' : 'http'
  // The SDK drops default ports the same way, so the origin compares equal to MessageEvent.origin.
  const host = domain.replace(/:(80|443)$/, '')
  return { domain: host, protocol: scheme, appSid, origin: `${scheme}://${host}` }
}

let keys = 0
const callbackKey = () => `ck${Date.now().toString(36)}${(++keys).toString(36)}${Math.random().toString(36).slice(2, 8)}`

export class Bitrix24Frame {
  private pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>()
  private auth: FrameAuth
  private refreshing: Promise<FrameAuth> | null = null
  private closed = false
  /** Started from the POSTed fields with no portal window to answer (see `posted`). */
  readonly detached: boolean = false
  private readonly listener = (event: MessageEvent) => this.onMessage(event)

  private constructor(
    private readonly win: NonNullable<FrameConnectOptions['window']>,
    readonly origin: string,
    readonly appSid: string,
    readonly init: FrameInitData,
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {
    this.auth = this.toAuth(init)
    win.addEventListener('message', this.listener as EventListener)
  }

  /**
   * Handshake with the portal. `posted` (what the app's server echoed from Bitrix24's POST) gives
   * the placement and auth without waiting; the handshake is still made, since only it proves the
   * parent window is the portal named in window.name.
   */
  static async connect(options: FrameConnectOptions = {}): Promise<Bitrix24Frame> {
    const win = options.window ?? (window as unknown as NonNullable<FrameConnectOptions['window']>)
    const timeout = options.timeoutMs ?? 10_000
    const now = options.now ?? Date.now
    const fromPost = options.posted ? initFromPosted(options.posted) : null
    const parsed = parseWindowName(win.name ?? '')
    if (parsed) {
      const placeholder: FrameInitData = fromPost ?? { DOMAIN: parsed.domain, PROTOCOL: parsed.protocol === 'https' ? 1 : 0, LANG: '', APP_SID: parsed.appSid, AUTH_ID: '', AUTH_EXPIRES: 0, MEMBER_ID: '', PLACEMENT: 'DEFAULT' }
      const frame = new Bitrix24Frame(win, parsed.origin, parsed.appSid, placeholder, timeout, now)
      try {
        const data = (await frame.send('getInitData')) as Partial<FrameInitData> | null
        if (!data || typeof data !== 'object' || typeof data.AUTH_ID !== 'string' || !data.AUTH_ID) throw new FrameError('The portal answered getInitData without AUTH_ID', 'BAD_PAYLOAD')
        // The portal is the one window.name names: its domain wins over whatever the data says.
        const init = { ...placeholder, ...data, DOMAIN: parsed.domain } as FrameInitData
        Object.assign(frame, { init })
        frame.auth = frame.toAuth(init)
        return frame
      } catch (e) {
        frame.close()
        if (!(fromPost && e instanceof FrameError && e.code === 'TIMEOUT')) throw e
      }
    }
    if (fromPost) {
      const origin = `${Number(fromPost.PROTOCOL) === 1 ? 'https' : 'http'}://${fromPost.DOMAIN}`
      const frame = new Bitrix24Frame(win, origin, fromPost.APP_SID, fromPost, timeout, now)
      frame.close()
      Object.assign(frame, { detached: true })
      return frame
    }
    throw new FrameError('Not inside a Bitrix24 frame: open the application from the portal', 'NOT_IN_FRAME')
  }

  get placement(): string {
    return this.init.PLACEMENT || 'DEFAULT'
  }
  /** PLACEMENT_OPTIONS as an object (Bitrix24 sends a JSON string in the POST, an object in the handshake). */
  get placementOptions(): Record<string, unknown> {
    const o = this.init.PLACEMENT_OPTIONS
    if (typeof o === 'string') {
      try {
        const parsed = JSON.parse(o) as unknown
        return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {}
      } catch {
        return {}
      }
    }
    return o && typeof o === 'object' ? o : {}
  }
  get lang(): string {
    return this.init.LANG || 'en'
  }
  get installMode(): boolean {
    return this.init.INSTALL === true
  }
  get isAdmin(): boolean {
    return this.init.IS_ADMIN === true
  }
  get protocol(): 'https' | 'http' {
    return Number(this.init.PROTOCOL) === 1 ? 'https' : 'http'
  }
  /** `https://portal/rest/` */
  get restUrl(): string {
    return `${this.origin}/rest/`
  }

  /** Current auth, or null once it has expired (as BX24.getAuth() returns false). */
  getAuth(): FrameAuth | null {
    return this.auth.expiresAt.getTime() > this.now() ? { ...this.auth } : null
  }

  /** Asks the portal for a fresh AUTH_ID; concurrent callers share one request. */
  refreshAuth(): Promise<FrameAuth> {
    this.refreshing ??= (async () => {
      const data = (await this.send('refreshAuth')) as Partial<FrameInitData> | null
      if (!data || typeof data.AUTH_ID !== 'string' || !data.AUTH_ID) throw new FrameError('The portal answered refreshAuth without AUTH_ID', 'BAD_PAYLOAD')
      this.auth = this.toAuth({ ...this.init, ...data } as FrameInitData)
      return { ...this.auth }
    })().finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  /** Ends the install step: until then Bitrix24 hides the app's widgets and sends it no events. */
  async installFinish(): Promise<void> {
    if (!this.installMode) throw new FrameError('The application is already installed: installFinish is only for the install step', 'INSTALL_FINISHED')
    await this.send('setInstallFinish')
  }

  /** Resizes the iframe (width may be '100%'). The portal need not answer. */
  resizeWindow(width: number | string, height: number): void {
    this.post('resizeWindow', { width, height }, callbackKey())
  }

  setTitle(title: string): void {
    this.post('setTitle', { title }, callbackKey())
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.win.removeEventListener('message', this.listener as EventListener)
    for (const [key, p] of this.pending) {
      clearTimeout(p.timer)
      p.reject(new FrameError('The frame client was closed before the portal answered', 'CLOSED'))
      this.pending.delete(key)
    }
  }

  /** Sends a command and waits for the answer. */
  send(command: string, params?: Record<string, unknown>): Promise<unknown> {
    if (this.detached) return Promise.reject(new FrameError(`No portal window to send ${command} to: the page was opened outside Bitrix24's frame`, 'NOT_IN_FRAME'))
    if (this.closed) return Promise.reject(new FrameError('The frame client is closed', 'CLOSED'))
    const key = callbackKey()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key)
        reject(new FrameError(`The portal did not answer ${command} within ${this.timeoutMs} ms`, 'TIMEOUT'))
      }, this.timeoutMs)
      this.pending.set(key, { resolve, reject, timer })
      this.post(command, params, key)
    })
  }

  private post(command: string, params: Record<string, unknown> | undefined, key: string) {
    if (this.closed) return
    const parts = [command, params && Object.keys(params).length ? JSON.stringify(params) : '', key, this.appSid].filter(Boolean)
    this.win.parent.postMessage(parts.join(':'), this.origin)
  }

  private onMessage(event: MessageEvent) {
    if (event.origin !== this.origin || typeof event.data !== 'string') return
    const at = event.data.indexOf(':')
    const key = at < 0 ? event.data : event.data.slice(0, at)
    const body = at < 0 ? '' : event.data.slice(at + 1)
    const waiting = this.pending.get(key)
    if (!waiting) return
    this.pending.delete(key)
    clearTimeout(waiting.timer)
    if (!body) return waiting.resolve(null)
    try {
      waiting.resolve(JSON.parse(body))
    } catch {
      waiting.reject(new FrameError('The portal answered with a payload that is not JSON', 'BAD_PAYLOAD'))
    }
  }

  private toAuth(d: FrameInitData): FrameAuth {
    const seconds = Number(d.AUTH_EXPIRES)
    return {
      accessToken: d.AUTH_ID,
      refreshToken: d.REFRESH_ID || null,
      expiresAt: new Date(this.now() + (Number.isFinite(seconds) ? seconds : 0) * 1000),
      domain: this.init?.DOMAIN ?? d.DOMAIN,
      memberId: d.MEMBER_ID,
    }
  }
}
