export type CreatioAuth =
  /** Forms login through `ServiceModel/AuthService.svc/Login`: cookies + the `BPMCSRF` header. */
  | { kind: 'cookie'; userName: string; password: string; workspace?: string }
  /**
   * OAuth 2.0 client credentials (server-to-server). The token URL comes from
   * `{site}/0/.well-known/openid-configuration` unless `tokenUrl` or `identityUrl` is given.
   */
  | { kind: 'oauth-client-credentials'; clientId: string; clientSecret: string; tokenUrl?: string; identityUrl?: string }
  /** Inside a Creatio page (widgets): same-origin calls with the user's cookies and `BPMCSRF`. */
  | { kind: 'browser-session' }

export interface CreatioOptions {
  /** `https://mysite.creatio.com`. `''` (the default for `browser-session`) means same-origin. */
  siteUrl?: string
  /**
   * `true` (default): .NET Framework hosting, data under `/0/odata`. `false`: .NET Core / .NET 8
   * hosting, data under `/odata`. The login URL never has `/0`.
   */
  zeroPrefix?: boolean
  auth: CreatioAuth
  /** The site's base currency (Creatio's `Primary*` amounts). Default `RUB`. */
  currency?: string
  /** Requests in flight at once. Creatio publishes no rate limit; default 4. */
  maxConcurrent?: number
}

export function resolveSiteUrl(o: CreatioOptions): string {
  if (o.siteUrl === undefined) {
    if (o.auth.kind === 'browser-session') return ''
    throw new TypeError('creatio({ siteUrl }) is required, e.g. "https://mysite.creatio.com"')
  }
  const url = o.siteUrl.replace(/\/+$/, '').replace(/\/0$/, '')
  if (url !== '' && !/^https?:\/\/[^/]+/i.test(url)) throw new TypeError(`creatio siteUrl must be an http(s) URL, got ${JSON.stringify(o.siteUrl)}`)
  return url
}

/** `/0/odata` or `/odata`. */
export function odataRoot(o: Pick<CreatioOptions, 'zeroPrefix'>): string {
  return o.zeroPrefix === false ? '/odata' : '/0/odata'
}
