import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setupServer } from 'msw/node'
import { createBitrix24Emulator } from '../../adapters/bitrix24/testing/index.js'
import { Bitrix24Frame, FrameError, parseWindowName, type FrameConnectOptions } from '../../widgets/hosts/bitrix24/frame.js'
import { installApp, placementsFor } from '../../widgets/hosts/bitrix24/install.js'
import { callRest, RestCallError } from '../../widgets/hosts/bitrix24/rest.js'
import { parseApproverIds, resolveApprovers } from '../../widgets/hosts/bitrix24/approvers.js'

// The frame client against a fake portal window that speaks BX24's string protocol
// (`command[:params]:callbackKey:APP_SID` → `callbackKey:json`), and the install step against the
// Bitrix24 emulator's REST API.

const PORTAL = 'b24-acme.bitrix24.ru'
const ORIGIN = `https://${PORTAL}`
const SID = 'a1b2c3d4e5f6'

type Handler = (params: Record<string, unknown>) => unknown
function fakePortal(handlers: Record<string, Handler>, name = `${PORTAL}|1|${SID}`) {
  const listeners = new Set<(e: { origin: string; data: unknown }) => void>()
  const sent: { command: string; params: string; key: string; sid: string; target: string }[] = []
  const deliver = (origin: string, data: unknown) => listeners.forEach((l) => l({ origin, data }))
  const win = {
    name,
    addEventListener: (_: string, l: EventListener) => listeners.add(l as never),
    removeEventListener: (_: string, l: EventListener) => listeners.delete(l as never),
    parent: {
      postMessage(message: unknown, target: string) {
        const s = String(message)
        const first = s.indexOf(':')
        const last = s.lastIndexOf(':')
        const middle = s.slice(first + 1, last)
        const k = middle.lastIndexOf(':')
        const entry = { command: s.slice(0, first), params: k < 0 ? '' : middle.slice(0, k), key: k < 0 ? middle : middle.slice(k + 1), sid: s.slice(last + 1), target }
        sent.push(entry)
        const h = handlers[entry.command]
        if (!h) return
        setTimeout(() => {
          const out = h(entry.params ? (JSON.parse(entry.params) as Record<string, unknown>) : {})
          if (out !== undefined) deliver(ORIGIN, `${entry.key}:${JSON.stringify(out)}`)
        }, 1)
      },
    },
  }
  return { win: win as unknown as NonNullable<FrameConnectOptions['window']>, sent, deliver, listeners }
}

const initData = (over: Record<string, unknown> = {}) => ({
  DOMAIN: PORTAL, PROTOCOL: 1, LANG: 'en', APP_SID: SID, AUTH_ID: 'token-1', AUTH_EXPIRES: 3600, REFRESH_ID: 'refresh-1', MEMBER_ID: 'member-1',
  IS_ADMIN: true, PLACEMENT: 'CRM_DEAL_DETAIL_TAB', PLACEMENT_OPTIONS: { ID: '8061' }, INSTALL: false, ...over,
})

describe('Bitrix24 frame client', () => {
  it('reads DOMAIN|PROTOCOL|APP_SID from window.name and refuses anything else', () => {
    expect(parseWindowName(`${PORTAL}|1|${SID}`)).toEqual({ domain: PORTAL, protocol: 'https', appSid: SID, origin: ORIGIN })
    expect(parseWindowName('127.0.0.1:8787|0|x')?.origin).toBe('http://127.0.0.1:8787')
    expect(parseWindowName('portal.bitrix24.ru:443|1|x')?.origin).toBe('https://portal.bitrix24.ru')
    expect(parseWindowName('')).toBeNull()
    expect(parseWindowName('evil.com/path|1|x')).toBeNull()
  })

  it('handshakes with getInitData, posting only to the portal origin, and exposes placement, language and auth', async () => {
    const portal = fakePortal({ getInitData: () => initData() })
    const frame = await Bitrix24Frame.connect({ window: portal.win })
    expect(portal.sent).toEqual([{ command: 'getInitData', params: '', key: expect.any(String), sid: SID, target: ORIGIN }])
    expect([frame.placement, frame.placementOptions, frame.lang, frame.installMode, frame.restUrl]).toEqual(['CRM_DEAL_DETAIL_TAB', { ID: '8061' }, 'en', false, `${ORIGIN}/rest/`])
    expect(frame.getAuth()).toMatchObject({ accessToken: 'token-1', refreshToken: 'refresh-1', domain: PORTAL, memberId: 'member-1' })
    frame.close()
    expect(portal.listeners.size).toBe(0)
  })

  it('ignores answers from another origin (another frame cannot feed it a token)', async () => {
    const portal = fakePortal({})
    const pending = Bitrix24Frame.connect({ window: portal.win, timeoutMs: 200 })
    await new Promise((r) => setTimeout(r, 5))
    portal.deliver('https://evil.example', `${portal.sent[0]!.key}:${JSON.stringify(initData({ AUTH_ID: 'stolen' }))}`)
    await expect(pending).rejects.toMatchObject({ code: 'TIMEOUT' })
  })

  it('getAuth returns null once AUTH_EXPIRES has passed', async () => {
    let now = 1_000_000
    const portal = fakePortal({ getInitData: () => initData({ AUTH_EXPIRES: 60 }) })
    const frame = await Bitrix24Frame.connect({ window: portal.win, now: () => now })
    expect(frame.getAuth()?.expiresAt.getTime()).toBe(1_060_000)
    now += 60_000
    expect(frame.getAuth()).toBeNull()
    frame.close()
  })

  it('refreshAuth is single-flight: concurrent callers share one refreshAuth message', async () => {
    let refreshes = 0
    const portal = fakePortal({
      getInitData: () => initData(),
      refreshAuth: () => ({ AUTH_ID: `token-${++refreshes + 1}`, REFRESH_ID: 'refresh-2', AUTH_EXPIRES: 3600 }),
    })
    const frame = await Bitrix24Frame.connect({ window: portal.win })
    const [a, b, c] = await Promise.all([frame.refreshAuth(), frame.refreshAuth(), frame.refreshAuth()])
    expect(portal.sent.filter((m) => m.command === 'refreshAuth')).toHaveLength(1)
    expect([a.accessToken, b.accessToken, c.accessToken]).toEqual(['token-2', 'token-2', 'token-2'])
    expect(frame.getAuth()?.accessToken).toBe('token-2')
    // A later expiry refreshes again.
    expect((await frame.refreshAuth()).accessToken).toBe('token-3')
    frame.close()
  })

  it('installFinish sends setInstallFinish in install mode, and refuses outside it', async () => {
    const portal = fakePortal({ getInitData: () => initData({ INSTALL: true, PLACEMENT: 'DEFAULT' }), setInstallFinish: () => ({}) })
    const frame = await Bitrix24Frame.connect({ window: portal.win })
    await frame.installFinish()
    expect(portal.sent.map((m) => m.command)).toEqual(['getInitData', 'setInstallFinish'])
    frame.close()

    const installed = fakePortal({ getInitData: () => initData() })
    const f2 = await Bitrix24Frame.connect({ window: installed.win })
    await expect(f2.installFinish()).rejects.toMatchObject({ code: 'INSTALL_FINISHED' })
    expect(installed.sent.map((m) => m.command)).toEqual(['getInitData'])
    f2.close()
  })

  it('sends JSON params (resizeWindow) and rejects a non-JSON answer', async () => {
    const portal = fakePortal({ getInitData: () => initData() })
    const frame = await Bitrix24Frame.connect({ window: portal.win })
    frame.resizeWindow('100%', 720)
    expect(portal.sent[1]).toMatchObject({ command: 'resizeWindow', params: '{"width":"100%","height":720}', sid: SID })
    const pending = frame.send('getInterface')
    portal.deliver(ORIGIN, `${portal.sent[2]!.key}:not json`)
    await expect(pending).rejects.toMatchObject({ code: 'BAD_PAYLOAD' })
    frame.close()
  })

  it('outside a frame: NOT_IN_FRAME, or the POSTed fields when the page has them (no refresh then)', async () => {
    const outside = fakePortal({}, '')
    await expect(Bitrix24Frame.connect({ window: outside.win })).rejects.toBeInstanceOf(FrameError)
    const frame = await Bitrix24Frame.connect({
      window: outside.win,
      posted: { AUTH_ID: 'posted-token', AUTH_EXPIRES: '3600', member_id: 'm', DOMAIN: PORTAL, PROTOCOL: '1', LANG: 'ru', PLACEMENT: 'CRM_LEAD_DETAIL_TAB', PLACEMENT_OPTIONS: '{"ID":"12"}' },
    })
    expect([frame.detached, frame.placement, frame.placementOptions, frame.getAuth()?.accessToken, frame.restUrl]).toEqual([true, 'CRM_LEAD_DETAIL_TAB', { ID: '12' }, 'posted-token', `${ORIGIN}/rest/`])
    await expect(frame.refreshAuth()).rejects.toMatchObject({ code: 'NOT_IN_FRAME' })
    expect(outside.sent).toEqual([])
  })
})

describe('Bitrix24 install step against the emulator', () => {
  const emulator = createBitrix24Emulator({ domain: PORTAL, size: { deals: 5, leads: 5, contacts: 5, companies: 2, users: 2 } })
  const server = setupServer(...emulator.handlers)
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => emulator.reset())
  afterAll(() => server.close())

  const portalFor = (install: boolean) => {
    const tokens = { current: emulator.issueTokens(1) }
    return fakePortal({
      getInitData: () => initData({ INSTALL: install, PLACEMENT: 'DEFAULT', AUTH_ID: tokens.current.access_token, REFRESH_ID: tokens.current.refresh_token }),
      refreshAuth: () => {
        tokens.current = emulator.issueTokens(1)
        return { AUTH_ID: tokens.current.access_token, REFRESH_ID: tokens.current.refresh_token, AUTH_EXPIRES: 3600 }
      },
      setInstallFinish: () => {
        emulator.db.app.installed = true
        return {}
      },
    })
  }

  it('binds the full-page and card-tab placements through placement.bind, then calls installFinish', async () => {
    const portal = portalFor(true)
    const frame = await Bitrix24Frame.connect({ window: portal.win })
    const result = await installApp(frame, placementsFor('https://app.example.com/crmkit/index.html'))
    expect(result).toEqual({ bound: ['LEFT_MENU', 'CRM_ANALYTICS_MENU', 'CRM_LEAD_DETAIL_TAB', 'CRM_DEAL_DETAIL_TAB'], alreadyBound: [] })
    expect(emulator.db.app.placements.map((p) => [p.placement, p.handler, p.title])).toEqual([
      ['LEFT_MENU', 'https://app.example.com/crmkit/index.html', 'Marketing'],
      ['CRM_ANALYTICS_MENU', 'https://app.example.com/crmkit/index.html?tab=attribution', 'Marketing attribution'],
      ['CRM_LEAD_DETAIL_TAB', 'https://app.example.com/crmkit/placement.html', 'Touch path'],
      ['CRM_DEAL_DETAIL_TAB', 'https://app.example.com/crmkit/placement.html', 'Touch path'],
    ])
    expect(emulator.db.app.placements[0]!.langAll).toEqual({ ru: { TITLE: 'Маркетинг' }, en: { TITLE: 'Marketing' } })
    expect(emulator.db.app.installed).toBe(true)
    // installFinish comes after every bind.
    expect(portal.sent.map((m) => m.command).at(-1)).toBe('setInstallFinish')
    const calls = emulator.log.filter((l) => l.restMethod === 'placement.bind')
    expect(calls).toHaveLength(4)
    expect(await callRest(frame, 'app.info')).toMatchObject({ INSTALLED: true })
    frame.close()
  })

  it('a reinstall counts placements already bound as done', async () => {
    const first = await Bitrix24Frame.connect({ window: portalFor(true).win })
    await installApp(first, placementsFor('https://app.example.com/'))
    first.close()
    const again = await Bitrix24Frame.connect({ window: portalFor(true).win })
    const result = await installApp(again, placementsFor('https://app.example.com/'))
    expect(result.bound).toEqual([])
    expect(result.alreadyBound).toHaveLength(4)
    expect(emulator.db.app.placements).toHaveLength(4)
    again.close()
  })

  it('an expired AUTH_ID is refreshed through the portal once, and the call repeated (it never ran)', async () => {
    const portal = portalFor(false)
    const frame = await Bitrix24Frame.connect({ window: portal.win })
    emulator.expireAccessTokens()
    const placements = await callRest<unknown[]>(frame, 'placement.get')
    expect(placements).toEqual([])
    expect(portal.sent.filter((m) => m.command === 'refreshAuth')).toHaveLength(1)
    expect(emulator.log.filter((l) => l.path.includes('placement.get')).map((l) => l.status)).toEqual([401, 200])
    frame.close()
  })

  it('REST errors are typed and name the method; a webhook may not bind placements', async () => {
    const frame = await Bitrix24Frame.connect({ window: portalFor(false).win })
    const err = await callRest(frame, 'placement.bind', { PLACEMENT: 'NO_SUCH_PLACE', HANDLER: 'https://x/' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RestCallError)
    expect(err).toMatchObject({ method: 'placement.bind', code: 'ERROR_PLACEMENT_NOT_FOUND' })
    frame.close()
    const res = await fetch(`${emulator.webhookUrl}placement.bind.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ PLACEMENT: 'LEFT_MENU', HANDLER: 'https://x/' }) })
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([401, 'WRONG_AUTH_TYPE'])
    expect(emulator.db.app.placements).toEqual([])
  })
  it('budget approvers: portal admins until the app option lists user ids; the option is app-only', async () => {
    const asUser = (userId: number) => {
      const tokens = emulator.issueTokens(userId)
      return fakePortal({ getInitData: () => initData({ PLACEMENT: 'LEFT_MENU', AUTH_ID: tokens.access_token, REFRESH_ID: tokens.refresh_token }) })
    }
    const admin = await Bitrix24Frame.connect({ window: asUser(1).win })
    const user = await Bitrix24Frame.connect({ window: asUser(2).win })
    expect(await resolveApprovers(admin)).toEqual({ userId: '1', approverIds: ['1'] })
    expect(await resolveApprovers(user)).toEqual({ userId: '2', approverIds: [] })
    await callRest(admin, 'app.option.set', { options: { approvers: '2, 7;2' } })
    expect(await resolveApprovers(user)).toEqual({ userId: '2', approverIds: ['2', '7'] })
    expect(await resolveApprovers(admin)).toEqual({ userId: '1', approverIds: ['2', '7'] })
    const res = await fetch(`${emulator.webhookUrl}app.option.get.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(401)
    admin.close()
    user.close()
    expect(parseApproverIds(['3', 4, 'x', '', '3'])).toEqual(['3', '4'])
    expect(parseApproverIds(null)).toEqual([])
  })
})

describe('Bitrix24 app: which view a placement opens', async () => {
  const { viewFor } = await import('../../widgets/hosts/bitrix24/app.js')
  const at = (placement: string, options: Record<string, unknown> = {}, query = '') => viewFor({ placement, placementOptions: options }, new URLSearchParams(query))

  it('card tabs show the record’s touch path; menus the full page', () => {
    expect(at('CRM_DEAL_DETAIL_TAB', { ID: '8061' })).toEqual({ tab: 'card', cardEntity: 'deal', cardId: '8061' })
    expect(at('CRM_LEAD_DETAIL_TAB', { ID: 12 })).toEqual({ tab: 'card', cardEntity: 'lead', cardId: '12' })
    expect(at('CRM_ANALYTICS_MENU')).toEqual({ tab: 'attribution' })
    expect(at('LEFT_MENU', {}, 'tab=budgets')).toEqual({ tab: 'budgets' })
    expect(at('DEFAULT', {}, 'tab=<script>')).toEqual({ tab: 'calendar' })
    // No ID: mountWidget then names the missing cardId (ValidationError) instead of guessing.
    expect(at('CRM_DEAL_DETAIL_TAB', {})).toEqual({ tab: 'card', cardEntity: 'deal', cardId: '' })
  })
})
