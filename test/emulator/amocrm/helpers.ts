// Shared test plumbing: one msw server per test file; each test plugs in its own emulator.
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createAmoCrmEmulator, type AmoCrmEmulator, type AmoCrmEmulatorOptions } from '../../../adapters/amocrm/testing/index.js'

export const server = setupServer()

export function useMswServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
}

/** An emulator wired into this file's msw server. Rate limiting is off unless a test asks for it. */
export function startEmulator(options: AmoCrmEmulatorOptions = {}): AmoCrmEmulator {
  const emulator = createAmoCrmEmulator({ rateLimit: false, ...options })
  server.use(...emulator.handlers)
  return emulator
}

interface ApiInit extends Omit<RequestInit, 'body'> {
  json?: unknown
  /** Bearer token; `null` sends none. Default: the long-lived token. */
  token?: string | null
}

export function api(emulator: AmoCrmEmulator, path: string, init: ApiInit = {}): Promise<Response> {
  const { json, token, headers, ...rest } = init
  const h = new Headers(headers)
  const bearer = token === undefined ? emulator.longLivedToken : token
  if (bearer !== null) h.set('Authorization', `Bearer ${bearer}`)
  if (json !== undefined) h.set('Content-Type', 'application/json')
  return fetch(`${emulator.baseUrl}/api/v4${path}`, { ...rest, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) })
}

/** GET + JSON body, failing loudly on a non-200. */
export async function getJson<T = any>(emulator: AmoCrmEmulator, path: string, init: ApiInit = {}): Promise<T> {
  const res = await api(emulator, path, init)
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}

/** A hand-driven clock for expiry and rate-limit tests. */
export function manualClock(start = Date.parse('2026-11-02T10:00:00Z')): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) }
}
