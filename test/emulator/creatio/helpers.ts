import { setupCreatioEmulator, type CreatioEmulatorOptions } from '../../../adapters/creatio/testing/node.js'

export function startEmulator(o: CreatioEmulatorOptions = {}) {
  const s = setupCreatioEmulator({ seed: 7, size: { leads: 60, deals: 40, contacts: 20, accounts: 5 }, ...o }, { onUnhandledRequest: 'error' })
  const e = s.emulator
  let session: { cookie: string; csrf: string } | null = null
  async function login() {
    const res = await fetch(`${e.siteUrl}/ServiceModel/AuthService.svc/Login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ UserName: e.credentials.userName, UserPassword: e.credentials.password }),
    })
    const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!)
    session = { cookie: cookies.join('; '), csrf: cookies.find((c) => c.startsWith('BPMCSRF='))!.slice('BPMCSRF='.length) }
    return { res, cookies, ...session }
  }
  async function odata(path: string, init: RequestInit = {}) {
    if (!session) await login()
    return fetch(`${e.siteUrl}${e.root}/${path}`, {
      ...init,
      headers: { Cookie: session!.cookie, BPMCSRF: session!.csrf, 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    })
  }
  async function json<T = { value: Record<string, unknown>[]; '@odata.count'?: number }>(path: string, init?: RequestInit): Promise<T> {
    const res = await odata(path, init)
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  return { ...s, e, login, odata, json }
}

export const q = (params: Record<string, string>) => new URLSearchParams(params).toString().replace(/\+/g, '%20')
