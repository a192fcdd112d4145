/**
 * Bitrix24 application entry (dist/bitrix24/crmkit-bitrix24.js), loaded by index.html (full page,
 * install step) and placement.html (card tabs). Auth is the frame's AUTH_ID, refreshed through the
 * portal (`refreshAuth`); no client secret or token is in the bundle.
 */
import { createCrm } from '../../../sdk/index.js'
import { bitrix24 } from '../../../adapters/bitrix24/index.js'
import { createI18n, pickLanguage } from '../../ui/i18n.js'
import type { MessageKey } from '../../ui/messages.js'
import { WIDGET_TABS, mountWidget, type MountOptions } from '../mount.js'
import { Bitrix24Frame, FrameError } from './frame.js'
import { resolveApprovers } from './approvers.js'
import { readPostedFields } from './posted.js'

/** Which widget a placement shows: card tabs get the record's touch path, menus the full page. */
export function viewFor(frame: Pick<Bitrix24Frame, 'placement' | 'placementOptions'>, query: URLSearchParams): Pick<MountOptions, 'tab' | 'cardEntity' | 'cardId'> {
  const card = /^CRM_(LEAD|DEAL)_DETAIL_TAB$/.exec(frame.placement)
  if (card) {
    // PLACEMENT_OPTIONS.ID names the record; mountWidget reports a missing one as a ValidationError.
    const id = frame.placementOptions.ID
    return { tab: 'card', cardEntity: card[1] === 'LEAD' ? 'lead' : 'deal', cardId: typeof id === 'string' || typeof id === 'number' ? String(id) : '' }
  }
  if (frame.placement === 'CRM_ANALYTICS_MENU') return { tab: 'attribution' }
  const asked = query.get('tab')
  return { tab: WIDGET_TABS.find((t) => t === asked) ?? 'calendar' }
}

/** Bitrix24's handshake has no theme; the sandbox (and a portal that adds it) passes THEME. */
function themeOf(frame: Bitrix24Frame): 'light' | 'dark' {
  const t = frame.init.THEME ?? frame.placementOptions.THEME
  if (t === 'dark' || t === 'light') return t
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

async function start(root: HTMLElement): Promise<void> {
  const status = (lang: string | undefined, key: MessageKey, params?: Record<string, string>) => {
    const p = document.createElement('p')
    p.className = 'crmkit-status'
    p.setAttribute('role', 'status')
    p.textContent = createI18n(pickLanguage(lang, navigator.language)).t(key, params)
    root.replaceChildren(p)
  }
  const posted = readPostedFields()
  let frame: Bitrix24Frame
  try {
    frame = await Bitrix24Frame.connect({ posted })
  } catch (e) {
    status(posted?.LANG, e instanceof FrameError && e.code === 'NOT_IN_FRAME' ? 'host.notInFrame' : 'host.failed', { message: (e as Error).message })
    return
  }
  document.documentElement.lang = pickLanguage(frame.lang)
  try {
    if (frame.installMode) {
      status(frame.lang, 'host.installing')
      // Runs once per portal, so its code is a chunk of its own rather than part of every start.
      const { installApp, placementsFor } = await import(/* webpackChunkName: "install" */ './install.js')
      await installApp(frame, placementsFor(location.href))
      status(frame.lang, 'host.installed')
      return
    }
    const auth = frame.getAuth() ?? (await frame.refreshAuth())
    const crm = createCrm(
      bitrix24({
        auth: {
          kind: 'frame',
          authId: auth.accessToken,
          domain: auth.domain,
          memberId: auth.memberId,
          expiresAt: auth.expiresAt,
          protocol: frame.protocol,
          // The portal owns the refresh token; it answers refreshAuth with a new AUTH_ID.
          refresh: async () => {
            const next = await frame.refreshAuth()
            return { authId: next.accessToken, expiresAt: next.expiresAt }
          },
        },
      }),
    )
    const view = viewFor(frame, new URLSearchParams(location.search))
    // The full page switches between the tabs itself (a portal menu entry opens one page).
    const page = view.tab === 'card' ? {} : { tabs: WIDGET_TABS, onTabChange: (tab: string) => history.replaceState(null, '', `?tab=${tab}`) }
    const people = view.tab === 'card' ? { userId: null, approverIds: [] } : await resolveApprovers(frame)
    const el = document.createElement('div')
    root.replaceChildren(el)
    mountWidget(el, { crm, lang: frame.lang, theme: themeOf(frame), account: `bitrix24:${auth.memberId}`, ...people, ...page, ...view })
    // Card tabs and menu pages are iframes of a fixed height: follow the widget's height.
    if (typeof ResizeObserver === 'function') {
      let last = 0
      new ResizeObserver(() => {
        const h = Math.ceil(document.documentElement.scrollHeight)
        if (Math.abs(h - last) > 4) frame.resizeWindow('100%', (last = h))
      }).observe(document.body)
    }
  } catch (e) {
    status(frame.lang, 'host.failed', { message: (e as Error).message })
  }
}

const root = typeof document === 'undefined' ? null : document.getElementById('crmkit-root')
if (root) void start(root)
