import type { TokenSet } from '../../sdk/index.js'

export type Bitrix24Auth =
  /**
   * An inbound webhook: `https://portal.bitrix24.ru/rest/{userId}/{code}/`. Runs with that user's
   * rights and the hook's scopes; the code in the URL is the credential (keep it secret).
   */
  | { kind: 'webhook'; url: string }
  /**
   * An OAuth 2.0 application (server side). Tokens come from the install callback or
   * `exchangeCode()`; they are refreshed once for any number of concurrent expiries and the
   * rotated pair is saved through the TokenStore first. The auth server is taken from
   * `serverEndpoint` (oauth.bitrix.info, oauth.bitrix24.tech …), never hard-coded.
   */
  | {
      kind: 'oauth'
      clientId: string
      clientSecret: string
      /** `client_endpoint` of the token response, e.g. `https://portal.bitrix24.ru/rest/`. */
      clientEndpoint: string
      /** `server_endpoint` of the token response; default `https://oauth.bitrix.info/rest/`. */
      serverEndpoint?: string
      /** The portal's stable key (`member_id`); keys the TokenStore entry. */
      memberId?: string
      tokens?: TokenSet
    }
  /**
   * Inside a Bitrix24 placement (iframe): AUTH_ID / REFRESH_ID / DOMAIN / member_id as Bitrix24
   * POSTs them to the app page, or as BX24 `getAuth()` returns them. No client secret: on expiry
   * crmkit calls `refresh` (e.g. the frame's `refreshAuth` message) or raises AuthError.
   */
  | {
      kind: 'frame'
      authId: string
      domain: string
      memberId: string
      refreshId?: string
      /** When AUTH_ID expires (AUTH_EXPIRES seconds after the page opened). */
      expiresAt?: Date
      /** Protocol of the portal (`PROTOCOL=1` → https, the default). */
      protocol?: 'https' | 'http'
      refresh?: () => Promise<{ authId: string; expiresAt?: Date }>
    }

export interface Bitrix24Options {
  auth: Bitrix24Auth
  /**
   * Limits of the portal's plan: `standard` (2 requests/s, burst 50) or `enterprise` (5/s, burst
   * 250). Per portal and source IP: integrations on one server share it.
   */
  plan?: 'standard' | 'enterprise'
  /** Operating-time budget per method, seconds per 10 minutes (cloud: 480). `false` for self-hosted portals without it. */
  operatingBudgetSec?: number | false
  /** Fields holding click ids and the referrer (default `UF_CRM_CRMKIT_*`, created by `crm.setup()`). */
  clickIdFields?: Partial<Record<'gclid' | 'yclid' | 'fbclid' | 'referrer', string>>
}

/** The REST endpoint requests go to: the webhook URL, the OAuth `client_endpoint`, or the frame's domain. */
export function resolveRestUrl(auth: Bitrix24Auth): string {
  const slash = (s: string) => (s.endsWith('/') ? s : `${s}/`)
  switch (auth.kind) {
    case 'webhook': {
      let u: URL
      try {
        u = new URL(auth.url)
      } catch {
        throw new TypeError('bitrix24 webhook url must look like https://portal.bitrix24.ru/rest/1/abc123/')
      }
      const m = /^\/rest\/(\d+)\/([^/]+)\/?/.exec(u.pathname)
      if (!m) throw new TypeError('bitrix24 webhook url must look like https://portal.bitrix24.ru/rest/{userId}/{code}/')
      return `${u.origin}/rest/${m[1]}/${m[2]}/`
    }
    case 'oauth':
      if (!/^https?:\/\//.test(auth.clientEndpoint)) throw new TypeError('bitrix24 oauth clientEndpoint must be the client_endpoint URL')
      return slash(auth.clientEndpoint)
    case 'frame':
      if (!auth.domain || /[/\s]/.test(auth.domain)) throw new TypeError('bitrix24 frame auth needs DOMAIN, e.g. portal.bitrix24.ru')
      return `${auth.protocol ?? 'https'}://${auth.domain}/rest/`
  }
}
