import type { AuthStrategy } from './http.js'

/**
 * An AuthStrategy whose code loads on first use. Adapters build the strategies a server needs
 * (logins, OAuth grants) this way, so a widget bundle, which only ever uses the CRM page's own
 * session, does not carry them: they become a lazy chunk it never downloads. `withCredentials`
 * must be known up front, so only strategies that do not send the browser's cookies fit here.
 */
export function lazyAuth(load: () => Promise<AuthStrategy>): AuthStrategy {
  let loading: Promise<AuthStrategy> | null = null
  const strategy = () =>
    (loading ??= load().catch((e: unknown) => {
      loading = null // a chunk that failed to download may load on the next try
      throw e
    }))
  return {
    async prepare(signal) {
      await (await strategy()).prepare?.(signal)
    },
    async authorize(signal) {
      return (await strategy()).authorize(signal)
    },
    async handleUnauthorized(credential, signal) {
      const s = await strategy()
      return s.handleUnauthorized ? s.handleUnauthorized(credential, signal) : false
    },
  }
}
