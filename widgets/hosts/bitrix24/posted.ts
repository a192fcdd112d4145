/**
 * Bitrix24 POSTs the auth and placement to the handler URL; a static page cannot read a POST body,
 * so the app's server echoes the fields into the page as JSON (`serve.ts` does it for Node):
 *   <script type="application/json" id="crmkit-bitrix24-post">{"AUTH_ID":"…",…}</script>
 * Without that block (static hosting) the frame handshake supplies everything.
 */
export const POSTED_ELEMENT_ID = 'crmkit-bitrix24-post'

/** The fields Bitrix24 sends (body and query string) that the app may read; nothing else is echoed. */
export const POSTED_FIELDS = [
  'AUTH_ID', 'AUTH_EXPIRES', 'REFRESH_ID', 'SERVER_ENDPOINT', 'member_id', 'status', 'PLACEMENT', 'PLACEMENT_OPTIONS',
  'DOMAIN', 'PROTOCOL', 'LANG', 'APP_SID',
] as const

export function readPostedFields(doc: Document = document): Record<string, string> | null {
  const el = doc.getElementById(POSTED_ELEMENT_ID)
  if (!el?.textContent) return null
  try {
    const data = JSON.parse(el.textContent) as unknown
    if (!data || typeof data !== 'object') return null
    const out: Record<string, string> = {}
    for (const k of POSTED_FIELDS) {
      const v = (data as Record<string, unknown>)[k]
      if (typeof v === 'string') out[k] = v
    }
    return out
  } catch {
    return null
  }
}
