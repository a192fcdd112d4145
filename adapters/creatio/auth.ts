import { lazyAuth, type AuthStrategy } from '../../sdk/index.js'
import type { CreatioAuth } from './options.js'

/** Reads one cookie from `document.cookie` (browser only). */
export function readDocumentCookie(name: string): string | null {
  const doc = (globalThis as { document?: { cookie?: string } }).document
  for (const part of (doc?.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return null
}

export function createAuth(auth: CreatioAuth, siteUrl: string): AuthStrategy {
  switch (auth.kind) {
    case 'browser-session':
      return {
        withCredentials: true,
        authorize: async () => {
          const csrf = readDocumentCookie('BPMCSRF')
          return { headers: { ForceUseSession: 'true', ...(csrf ? { BPMCSRF: csrf } : {}) } }
        },
      }
    default:
      // Checked now, not when the login code has loaded: bad options fail at createCrm.
      if (auth.kind === 'cookie' && !auth.userName) throw new TypeError('creatio auth.userName is empty')
      return lazyAuth(() => import(/* webpackChunkName: "creatio-login" */ './auth-server.js').then((m) => m.createServerAuth(auth, siteUrl)))
  }
}
