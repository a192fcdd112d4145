import type { TokenSet } from '../../sdk/index.js'

export type AmoCrmAuth =
  /** A private integration's long-lived token (1 day – 5 years, no refresh). */
  | { kind: 'long-lived-token'; token: string }
  /** OAuth 2.0: tokens from `exchangeCode()`, refreshed and rotated through the TokenStore. */
  | { kind: 'oauth'; clientId: string; clientSecret: string; redirectUri: string; tokens?: TokenSet }
  /** Inside an amoCRM widget: same-origin `/api/v4` calls with the user's session cookie, no token. */
  | { kind: 'browser-session' }

export interface AmoCrmOptions {
  /** `acme` for https://acme.amocrm.ru. */
  subdomain?: string
  /** Account domain family; `kommo.com` for Kommo accounts. */
  domain?: 'amocrm.ru' | 'amocrm.com' | 'kommo.com'
  /** Full origin, overriding subdomain/domain (emulator, proxies). `''` means same-origin. */
  baseUrl?: string
  auth: AmoCrmAuth
  /** Account currency; read once from `/api/v4/account` when omitted. */
  currency?: string
}

export function resolveBaseUrl(o: AmoCrmOptions): string {
  if (o.baseUrl !== undefined) return o.baseUrl.replace(/\/+$/, '')
  if (o.auth.kind === 'browser-session' && !o.subdomain) return ''
  if (!o.subdomain || !/^[a-z0-9-]+$/i.test(o.subdomain)) {
    throw new TypeError('amocrm({ subdomain }) must be the account subdomain, e.g. "acme" for acme.amocrm.ru')
  }
  return `https://${o.subdomain}.${o.domain ?? 'amocrm.ru'}`
}
