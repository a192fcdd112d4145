/**
 * Bitrix24-like portal page: it frames the app's handler URL the way a portal does (iframe named
 * `DOMAIN|PROTOCOL|APP_SID`, a form POST of AUTH_ID, REFRESH_ID, member_id, PLACEMENT,
 * PLACEMENT_OPTIONS into it) and answers the frame protocol's messages (getInitData, refreshAuth,
 * setInstallFinish, resizeWindow, setTitle) from the parent side, as BX24's host code does.
 */
import { shell } from './pages.js'

export interface PortalFrame {
  /** Handler URL (as registered by placement.bind, or the app's main page). */
  handler: string
  domain: string
  appSid: string
  lang: string
  theme: 'light' | 'dark'
  placement: string
  placementOptions: Record<string, unknown>
  install: boolean
  auth: { accessToken: string; refreshToken: string; expiresIn: number; memberId: string }
}

export interface PortalMenu {
  /** Left menu and CRM analytics items bound by the app (title, href). */
  items: { title: string; href: string; current: boolean }[]
  /** Heading over the frame (page or card name). */
  heading: string
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
/** JSON inside an inline script: `<` escaped so a value cannot close the element. */
const js = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c')

export function bitrix24PortalPage(f: PortalFrame, menu: PortalMenu): string {
  const post = {
    AUTH_ID: f.auth.accessToken,
    AUTH_EXPIRES: String(f.auth.expiresIn),
    REFRESH_ID: f.auth.refreshToken,
    member_id: f.auth.memberId,
    status: 'L',
    PLACEMENT: f.placement,
    PLACEMENT_OPTIONS: JSON.stringify(f.placementOptions),
  }
  const query = new URLSearchParams({ DOMAIN: f.domain, PROTOCOL: '0', LANG: f.lang, APP_SID: f.appSid })
  const action = `${f.handler}${f.handler.includes('?') ? '&' : '?'}${query}`
  const init = {
    DOMAIN: f.domain, PROTOCOL: 0, LANG: f.lang, APP_SID: f.appSid,
    AUTH_ID: f.auth.accessToken, AUTH_EXPIRES: f.auth.expiresIn, REFRESH_ID: f.auth.refreshToken, MEMBER_ID: f.auth.memberId,
    IS_ADMIN: true, PLACEMENT: f.placement, PLACEMENT_OPTIONS: f.placementOptions, INSTALL: f.install, FIRST_RUN: f.install,
    THEME: f.theme, USER_OPTIONS: [], APP_OPTIONS: [],
  }
  return shell(
    'Битрикс24 (emulated) — crmkit',
    `<div class="host-top"><strong>Битрикс24</strong><span>${esc(f.domain)} (emulated)</span></div>
<div class="host-layout"><nav class="host-menu" aria-label="Меню портала"><a href="#">CRM</a><a href="/bitrix24/?page=deal&amp;id=5001">Сделка #5001</a><a href="/bitrix24/?page=lead&amp;id=1001">Лид #1001</a>${menu.items
      .map((i) => `<a href="${esc(i.href)}"${i.current ? ' aria-current="page"' : ''}>${esc(i.title)}</a>`)
      .join('')}</nav>
<main class="host-main"><h2 style="margin:0 0 8px">${esc(menu.heading)}</h2>
<iframe id="app-frame" name="${esc(`${f.domain}|0|${f.appSid}`)}" title="crmkit" style="width:100%;height:720px;border:0;background:#fff"></iframe>
<form id="app-post" method="post" target="${esc(`${f.domain}|0|${f.appSid}`)}" action="${esc(action)}">${Object.entries(post)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('')}</form></main></div>
<script>
(function () {
  var init = ${js(init)};
  var frame = document.getElementById('app-frame');
  var appOrigin = new URL(${js(f.handler)}, location.href).origin;
  function reply(source, key, data) { source.postMessage(key + ':' + JSON.stringify(data === undefined ? {} : data), appOrigin); }
  window.addEventListener('message', function (e) {
    if (e.source !== frame.contentWindow || e.origin !== appOrigin || typeof e.data !== 'string') return;
    // command[:params]:callbackKey:APP_SID — params is JSON and may itself contain colons.
    var s = e.data, first = s.indexOf(':'), last = s.lastIndexOf(':');
    if (first < 0 || last <= first) return;
    var command = s.slice(0, first), sid = s.slice(last + 1), middle = s.slice(first + 1, last);
    var k = middle.lastIndexOf(':'), key = k < 0 ? middle : middle.slice(k + 1), raw = k < 0 ? '' : middle.slice(0, k);
    if (sid !== init.APP_SID) return;
    var params = {}; try { params = raw ? JSON.parse(raw) : {}; } catch (err) { params = {}; }
    window.__b24Messages = (window.__b24Messages || []).concat([command]);
    if (command === 'getInitData') return reply(e.source, key, init);
    if (command === 'refreshAuth') {
      return fetch('/bitrix24/portal/refresh', { method: 'POST', credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (a) {
        init.AUTH_ID = a.AUTH_ID; init.REFRESH_ID = a.REFRESH_ID; init.AUTH_EXPIRES = a.AUTH_EXPIRES;
        reply(e.source, key, a);
      });
    }
    if (command === 'setInstallFinish') {
      return fetch('/bitrix24/portal/install-finish', { method: 'POST', credentials: 'same-origin' }).then(function () {
        reply(e.source, key, {});
        // The portal reopens the app once it is installed.
        setTimeout(function () { location.reload(); }, 300);
      });
    }
    if (command === 'resizeWindow') { if (params.height > 0) frame.style.height = Math.max(320, Math.min(4000, Number(params.height))) + 'px'; return reply(e.source, key, {}); }
    if (command === 'setTitle') { document.title = String(params.title || document.title); return reply(e.source, key, {}); }
    reply(e.source, key, {});
  });
  document.getElementById('app-post').submit();
})();
</script>`,
  )
}
