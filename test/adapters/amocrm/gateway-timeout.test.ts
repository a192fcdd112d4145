import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { WriteOutcomeUnknownError, createCrm, type Crm } from '../../../sdk/index.js'
import { amocrm } from '../../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator, type AmoCrmEmulatorServer } from '../../../adapters/amocrm/testing/node.js'

// amoCRM answers a batch its backend could not finish in time with nginx's 504 (research §3.1:
// "lower the batch size and retry"). Updates are halved until they fit; creates are never resent.
let emu: AmoCrmEmulatorServer
let crm: Crm
afterEach(async () => {
  await crm?.close()
  emu?.close()
})

function start(maxBatch: number) {
  emu = setupAmoCrmEmulator({ seed: 8, size: { deals: 12, contacts: 4, companies: 1 }, rateLimit: false }, { onUnhandledRequest: 'error' })
  crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), { retry: { baseDelayMs: 5, maxDelayMs: 20 } })
  const sizes: { method: string; size: number }[] = []
  // In front of the emulator: batches above `maxBatch` time out at the gateway, smaller ones go through.
  const gateway = async ({ request }: { request: Request }) => {
    const size = ((await request.clone().json()) as unknown[]).length
    sizes.push({ method: request.method, size })
    if (size > maxBatch) return new HttpResponse('<html><body><h1>504 Gateway Time-out</h1></body></html>', { status: 504, headers: { 'Content-Type': 'text/html' } })
    return undefined
  }
  emu.server.use(http.patch(`${emu.emulator.baseUrl}/api/v4/leads`, gateway), http.post(`${emu.emulator.baseUrl}/api/v4/leads`, gateway))
  return sizes
}

describe('amoCRM 504 on a batch write', () => {
  it('halves an update batch until it fits, and every update lands once', async () => {
    const sizes = start(2)
    const deals = (await crm.deals.list().toArray()).slice(0, 5)
    const out = await crm.deals.updateMany(deals.map((d, i) => ({ id: d.id, patch: { title: `Обновлено ${i}` } })))
    expect(out.map((o) => o.ok)).toEqual([true, true, true, true, true])
    // 5 → 504; 3 → 504, then 2 + 1; 2 fits.
    expect(sizes.map((s) => s.size)).toEqual([5, 3, 2, 1, 2])
    for (const [i, d] of deals.entries()) expect((await crm.deals.get(d.id)).title).toBe(`Обновлено ${i}`)
  })

  it('an update that still times out on its own is reported outcome-unknown, and each half gets its turn', async () => {
    const sizes = start(0)
    const [a, b] = (await crm.deals.list().toArray()).slice(0, 2)
    const out = await crm.deals.updateMany([a!, b!].map((d) => ({ id: d.id, patch: { title: 'Никогда' } })))
    expect(out.every((o) => !o.ok && o.error instanceof WriteOutcomeUnknownError)).toBe(true)
    expect(sizes.map((s) => s.size)).toEqual([2, 1, 1])
  })

  it('a create batch is never resent after a 504: each item is outcome-unknown, nothing duplicated', async () => {
    const sizes = start(1)
    const before = (await crm.deals.list().toArray()).length
    const out = await crm.deals.createMany([{ title: 'Новая 1' }, { title: 'Новая 2' }, { title: 'Новая 3' }])
    expect(out.every((o) => !o.ok && o.error instanceof WriteOutcomeUnknownError)).toBe(true)
    expect(sizes).toEqual([{ method: 'POST', size: 3 }])
    expect((await crm.deals.list().toArray()).length).toBe(before)
  })
})
