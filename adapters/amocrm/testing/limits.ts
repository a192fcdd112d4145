// Per-integration rate limit (7 req/s by default) and the account block that follows repeated abuse.
// Both answers come from amoCRM's nginx gateway: HTML bodies, no Retry-After (research §3.2, §3.3).
// Windows are measured on the emulator clock, so tests with a fake clock can drive them exactly.

export interface RateLimitOptions {
  /** Accepted requests per sliding 1000 ms window, per integration. Default 7. */
  perSecond?: number
  /** More than this many 429s within 60 s blocks the account (403 on every /api/v4 call). Default 20. */
  blockAfter429?: number
}

const nginxPage = (code: string) =>
  `<html>\r\n<head><title>${code}</title></head>\r\n<body>\r\n<center><h1>${code}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`

export const NGINX_429_HTML = nginxPage('429 Too Many Requests')
export const NGINX_403_HTML = nginxPage('403 Forbidden')

export function nginxResponse(status: 403 | 429): Response {
  return new Response(status === 429 ? NGINX_429_HTML : NGINX_403_HTML, {
    status,
    headers: { 'Content-Type': 'text/html', Server: 'nginx' },
  })
}

export class RateLimiter {
  readonly perSecond: number
  readonly blockAfter429: number
  private readonly accepted = new Map<string, number[]>()
  private rejected: number[] = []
  private blocked = false

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number,
    /** Called each time the account goes into the block (the suite-wide guard counts these). */
    private readonly onBlock?: () => void,
  ) {
    this.perSecond = options.perSecond ?? 7
    this.blockAfter429 = options.blockAfter429 ?? 20
  }

  get isBlocked(): boolean {
    return this.blocked
  }

  /** Records a request by `key` (the integration). False → answer 429; rejected ones don't count. */
  admit(key: string): boolean {
    const t = this.now()
    let window = this.accepted.get(key)
    if (!window) this.accepted.set(key, (window = []))
    while (window.length > 0 && (window[0] as number) <= t - 1000) window.shift()
    if (window.length < this.perSecond) {
      window.push(t)
      return true
    }
    this.rejected = this.rejected.filter((r) => r > t - 60_000)
    this.rejected.push(t)
    if (this.rejected.length > this.blockAfter429 && !this.blocked) {
      this.blocked = true
      this.onBlock?.()
    }
    return false
  }

  /** What amoCRM support does on request (research §3.3). */
  unblock(): void {
    this.blocked = false
    this.rejected = []
    this.accepted.clear()
  }
}
