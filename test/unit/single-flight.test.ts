import { describe, expect, it, vi } from 'vitest'
import { AbortError } from '../../sdk/index.js'
import { singleFlight } from '../../sdk/single-flight.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('singleFlight (token refresh, Creatio login)', () => {
  it("runs once for concurrent callers, with the first caller's arguments, and again after it settled", async () => {
    const fn = vi.fn(async (n: number) => (await sleep(10), n))
    const once = singleFlight(fn, 'creatio')
    expect(await Promise.all([once(undefined, 1), once(undefined, 2), once(undefined, 3)])).toEqual([1, 1, 1])
    expect(fn).toHaveBeenCalledTimes(1)
    expect(await once(undefined, 4)).toBe(4)
    expect(fn).toHaveBeenCalledTimes(2)
  })

  it('a caller that cancels gets its own AbortError; the shared run goes on for the others; an aborted signal starts nothing', async () => {
    let finished = false
    const fn = vi.fn(async () => (await sleep(20), (finished = true), 'ok'))
    const once = singleFlight(fn, 'creatio')
    const cancel = new AbortController()
    const gaveUp = once(cancel.signal).catch((e: unknown) => e)
    const waits = once(undefined)
    await sleep(5)
    cancel.abort()
    expect(await gaveUp).toBeInstanceOf(AbortError)
    expect(finished).toBe(false)
    expect(await waits).toBe('ok')
    expect(fn).toHaveBeenCalledTimes(1)
    await expect(once(AbortSignal.abort())).rejects.toBeInstanceOf(AbortError)
    expect(fn).toHaveBeenCalledTimes(1)
  })
})
