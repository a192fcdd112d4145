import { afterEach } from 'vitest'
import { setupBitrix24Emulator, type Bitrix24EmulatorOptions } from '../../../adapters/bitrix24/testing/node.js'

const open: (() => void)[] = []
afterEach(() => {
  while (open.length) open.pop()!()
})

/** An emulator (no latency, limits off unless asked) and a `call(method, params)` over its webhook. */
export function portal(options: Bitrix24EmulatorOptions = {}) {
  const s = setupBitrix24Emulator({ seed: 5, size: { deals: 120, leads: 40, contacts: 30, companies: 5 }, rateLimit: false, operating: false, ...options }, { onUnhandledRequest: 'error' })
  open.push(s.close)
  const { emulator } = s
  const call = async (method: string, params: unknown = {}, url = emulator.webhookUrl) => {
    const res = await fetch(`${url}${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) })
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }
  return { ...s, call }
}
