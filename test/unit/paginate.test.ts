import { describe, expect, it } from 'vitest'
import type { CollectionDriver, PageRequest } from '../../sdk/index.js'
import { paginate } from '../../sdk/paginate.js'

function fakeDriver(total: number, paging: 'numbered' | 'cursor') {
  let inFlight = 0
  let maxInFlight = 0
  const requested: number[] = []
  const driver: CollectionDriver<number> = {
    paging,
    queryFields: new Set(),
    async listPage(_q, p: PageRequest) {
      const number = paging === 'cursor' ? ((p.cursor as number | undefined) ?? 1) : p.number
      requested.push(number)
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      // Later pages answer faster, to prove results are still yielded in order.
      await new Promise((r) => setTimeout(r, 30 - Math.min(number, 20)))
      inFlight--
      const start = (number - 1) * p.size
      const items = Array.from({ length: Math.max(0, Math.min(p.size, total - start)) }, (_, i) => start + i)
      return { items, done: items.length < p.size, cursor: number + 1 }
    },
    get: async () => 0,
  }
  return { driver, requested, maxInFlight: () => maxInFlight }
}

describe('paginate', () => {
  it('fetches numbered pages in parallel and yields every record once, in order', async () => {
    const f = fakeDriver(1000, 'numbered')
    const all = await paginate(f.driver, {}, { pageSize: 50, prefetch: 5 }, {}).toArray()
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    expect(f.maxInFlight()).toBeGreaterThan(1)
    // prefetch in flight plus one queued behind the limiter (which this fake driver does not have)
    expect(f.maxInFlight()).toBeLessThanOrEqual(6)
  })

  it('starts with a single request, so a one-page result costs one call', async () => {
    const f = fakeDriver(10, 'numbered')
    expect(await paginate(f.driver, {}, { pageSize: 50, prefetch: 5 }, {}).toArray()).toHaveLength(10)
    expect(f.requested).toEqual([1])
  })

  it('follows cursors one page at a time', async () => {
    const f = fakeDriver(120, 'cursor')
    const pages: number[][] = []
    for await (const p of paginate(f.driver, {}, { pageSize: 50, prefetch: 5 }, {}).pages()) pages.push(p)
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20])
    expect(f.maxInFlight()).toBe(1)
  })

  it('stops fetching when the consumer stops', async () => {
    const f = fakeDriver(100_000, 'numbered')
    let n = 0
    for await (const _ of paginate(f.driver, {}, { pageSize: 10, prefetch: 3 }, {})) if (++n === 25) break
    await new Promise((r) => setTimeout(r, 60))
    // 3 pages consumed, at most prefetch + 1 scheduled ahead
    expect(f.requested.length).toBeLessThanOrEqual(7)
  })

  it('cancels the speculative pages still queued once a page says it is the last', async () => {
    // A limiter-like queue: one request goes out at a time; a cancelled one never goes out.
    const sent: number[] = []
    let queue = Promise.resolve()
    const driver: CollectionDriver<number> = {
      paging: 'numbered',
      queryFields: new Set(),
      listPage(_q, p: PageRequest, ctx) {
        const turn = queue.then(async () => {
          if (ctx.signal?.aborted) throw new Error('aborted before it went out')
          sent.push(p.number)
          await new Promise((r) => setTimeout(r, 5))
          const start = (p.number - 1) * p.size
          const items = Array.from({ length: Math.max(0, Math.min(p.size, 100 - start)) }, (_, i) => start + i)
          return { items, done: items.length < p.size }
        })
        queue = turn.then(() => undefined, () => undefined)
        return turn
      },
      get: async () => 0,
    }
    expect(await paginate(driver, {}, { pageSize: 50, prefetch: 3 }, {}).toArray()).toHaveLength(100)
    await new Promise((r) => setTimeout(r, 30))
    // Pages 1-2 are full, page 3 is the (empty) last one; 4 and 5 were queued and never sent.
    expect(sent).toEqual([1, 2, 3])
  })

  it("passes the caller's abort on to the pages in flight", async () => {
    const controller = new AbortController()
    const seen: (AbortSignal | undefined)[] = []
    const driver: CollectionDriver<number> = {
      paging: 'numbered',
      queryFields: new Set(),
      async listPage(_q, p: PageRequest, ctx) {
        seen.push(ctx.signal)
        return { items: Array.from({ length: p.size }, (_, i) => i), done: false }
      },
      get: async () => 0,
    }
    const it = paginate(driver, {}, { pageSize: 10, prefetch: 2 }, { signal: controller.signal })[Symbol.asyncIterator]()
    await it.next()
    controller.abort()
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((s) => s?.aborted)).toBe(true)
    await it.return?.()
  })
})
