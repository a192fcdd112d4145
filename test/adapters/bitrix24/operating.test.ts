import { afterEach, describe, expect, it } from 'vitest'
import { AbortError, RateLimitError, createCrm, type HttpClient, type HttpRequest } from '../../../sdk/index.js'
import { bitrix24 } from '../../../adapters/bitrix24/index.js'
import { OPERATION_LIMIT_PAUSE_MS } from '../../../adapters/bitrix24/errors.js'
import { OperatingTracker } from '../../../adapters/bitrix24/limits.js'
import { Rest } from '../../../adapters/bitrix24/rest.js'
import { setupBitrix24Emulator } from '../../../adapters/bitrix24/testing/node.js'

const open: (() => void)[] = []
afterEach(() => {
  while (open.length) open.pop()!()
})

const MINUTE = 60_000
/**
 * An emulator whose clock the test can move. The operating window is one minute, so a budget
 * resets at the next minute boundary and the client's wait is as long as the test makes it.
 */
function start(o: { billing: 'per-command' | 'batch'; limitSec: number; budgetSec: number | false; plan?: 'standard' | 'enterprise' }) {
  let shift = 0
  const s = setupBitrix24Emulator(
    {
      seed: 6,
      size: { deals: 120, leads: 10, contacts: 10, companies: 2 },
      rateLimit: false,
      operating: { limitSec: o.limitSec, windowSec: 60 },
      batchBilling: o.billing,
      now: () => Date.now() + shift,
    },
    { onUnhandledRequest: 'error' },
  )
  open.push(s.close)
  const crm = createCrm(bitrix24({ auth: { kind: 'webhook', url: s.emulator.webhookUrl }, operatingBudgetSec: o.budgetSec }), {
    rateLimit: { requestsPerSecond: 50, maxConcurrent: 1 },
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  })
  open.push(() => void crm.close())
  /** Sets the portal's clock to `ms` (it runs on from there). */
  const setClock = (ms: number) => {
    shift = ms - Date.now()
  }
  return { ...s, crm, setClock }
}

// One unit of operating time per call: crm.item.get costs 0.01 s (billed to crm.item.get); a list
// of 49 ids is one batch of one counted command, ~0.105 s (billed to `batch` on live portals).
// The limit is 9.5 units and the client waits from 90 % of its budget (8.55 units), i.e. after
// the 9th call; without that the 10th call crosses the limit and the 11th is refused.
const modes = [
  { billing: 'per-command' as const, unit: 0.01, method: 'crm.item.get' },
  { billing: 'batch' as const, unit: 0.105, method: 'batch' },
]

describe.each(modes)('Bitrix24 operating budget, billed $billing', ({ billing, unit, method }) => {
  async function prepare(budgetSec: number | false) {
    const limitSec = 9.5 * unit
    const e = start({ billing, limitSec, budgetSec: budgetSec === false ? false : limitSec })
    const next = Math.ceil(Date.now() / MINUTE) * MINUTE
    e.setClock(next + 1_000)
    await e.crm.pipelines.list().toArray() // dictionary, in an earlier minute than the calls below
    const ids = [...e.emulator.db.table(2).keys()].slice(0, 49).map(String)
    const call = billing === 'batch' ? () => e.crm.deals.list({ ids }).toArray() : () => e.crm.deals.get(ids[0]!)
    e.setClock(next + MINUTE + 1_000) // a fresh minute: the budget is unused
    return { ...e, call, windowEnd: next + 2 * MINUTE }
  }

  it('the client waits for the reset before the limit: no 429', async () => {
    const { call, emulator, setClock, windowEnd } = await prepare(9.5 * unit)
    for (let i = 0; i < 8; i++) await call()
    expect(emulator.operatingUsed(method)).toBeCloseTo(8 * unit, 2)
    // The 9th call reaches 90 % of the budget with the window ending in 500 ms.
    setClock(windowEnd - 500)
    await call()
    const t0 = Date.now()
    await call()
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250)
    for (let i = 0; i < 3; i++) await call()
    expect(emulator.stats.operatingLimited).toBe(0)
    expect(emulator.log.every((r) => r.status === 200)).toBe(true)
  })

  it('without budget tracking the portal answers 429 OPERATION_TIME_LIMIT', async () => {
    const { call, emulator } = await prepare(false)
    for (let i = 0; i < 10; i++) await call()
    const err = await call().catch((x: unknown) => x)
    expect(err).toBeInstanceOf(RateLimitError)
    expect(err).toMatchObject({ code: 'operation_time_limit', status: 429 })
    expect(emulator.stats.operatingLimited).toBe(1)
    expect(emulator.log.at(-1)).toMatchObject({ restMethod: billing === 'batch' ? 'batch' : 'crm.item.get', status: 429 })
  })
})

describe('Bitrix24 single call on an exhausted method', () => {
  it('gives a typed RateLimitError with the pause, nothing applied', async () => {
    // The portal's budget (0.045 s) is far smaller than the client was told (480 s).
    const { crm, emulator, setClock } = start({ billing: 'per-command', limitSec: 0.045, budgetSec: 480 })
    setClock(Math.ceil(Date.now() / MINUTE) * MINUTE + 1_000)
    await crm.pipelines.list().toArray()
    const id = String([...emulator.db.table(2).keys()][0])
    for (let i = 0; i < 5; i++) await crm.deals.get(id) // 0.01 s each: the 5th crosses the limit and completes
    const err = await crm.deals.get(id).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(RateLimitError)
    expect(err).toMatchObject({ code: 'operation_time_limit', status: 429, retryAfterMs: OPERATION_LIMIT_PAUSE_MS })
    expect(emulator.stats.operatingLimited).toBe(1)
  })

  it('Rest holds the method until its reset after a 429, and a whole batch refused holds `batch`', async () => {
    let now = 1_000_000
    const tracker = new OperatingTracker({ budgetSec: 480, now: () => now })
    const sent: HttpRequest[] = []
    const limited = new RateLimitError('Bitrix24: the method used up its operating-time budget', { crm: 'bitrix24', status: 429, code: 'operation_time_limit', retryAfterMs: OPERATION_LIMIT_PAUSE_MS })
    const http = {
      request: async (req: HttpRequest) => {
        sent.push(req)
        if (sent.length === 1) return { status: 200, headers: {}, data: { result: { item: {} }, time: { operating: 3, operating_reset_at: 1_030, finish: 1_000 } }, text: '' }
        throw limited
      },
    } as unknown as HttpClient
    const rest = new Rest(http, tracker)
    await rest.call('crm.item.get', { id: 1 }, 'read', {})
    await expect(rest.call('crm.item.get', { id: 1 }, 'read', {})).rejects.toBe(limited)
    // Held until the reset the portal reported (30 s), not sent again meanwhile.
    expect(tracker.delayFor(['crm.item.get'])).toBe(30_000)
    expect(tracker.delayFor(['crm.item.list'])).toBe(0)
    const held = await rest.call('crm.item.get', { id: 1 }, 'read', { signal: AbortSignal.timeout(50) }).catch((x: unknown) => x)
    expect(held).toBeInstanceOf(AbortError)
    expect(sent).toHaveLength(2)
    now += 30_000
    expect(tracker.delayFor(['crm.item.get'])).toBe(0)

    // A batch refused as a whole (live portals bill batches to `batch`): a minute when no reset is known.
    await expect(rest.batch({ a: 'crm.item.list?entityTypeId=2' }, 'read', {})).rejects.toBe(limited)
    expect(tracker.delayFor(['batch'])).toBe(60_000)
  })
})

describe('Bitrix24 plans', () => {
  it('enterprise: the client spaces requests at 4.75/s (standard 1.9/s)', () => {
    const auth = { kind: 'webhook' as const, url: 'https://b24-acme.bitrix24.ru/rest/1/abc/' }
    expect(bitrix24({ auth, plan: 'enterprise' }).limits).toMatchObject({ requestsPerSecond: 4.75, maxConcurrent: 4.75 })
    expect(bitrix24({ auth }).limits).toMatchObject({ requestsPerSecond: 1.9, maxConcurrent: 1.9 })
  })
})
