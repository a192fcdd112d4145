import { describe, expect, it, vi } from 'vitest'
import { lazyAuth, type AuthStrategy } from '../../sdk/index.js'

describe('lazyAuth', () => {
  it('loads the strategy once, on first use, and delegates to it', async () => {
    const inner: AuthStrategy = { authorize: vi.fn(async () => ({ headers: { X: '1' }, credential: 'c1' })), handleUnauthorized: vi.fn(async () => true) }
    const load = vi.fn(async () => inner)
    const auth = lazyAuth(load)
    expect(load).not.toHaveBeenCalled()
    await Promise.all([auth.authorize(), auth.authorize(), auth.prepare?.()])
    expect(load).toHaveBeenCalledTimes(1)
    expect(await auth.authorize()).toEqual({ headers: { X: '1' }, credential: 'c1' })
    expect(await auth.handleUnauthorized!('c1')).toBe(true)
    expect(inner.handleUnauthorized).toHaveBeenCalledWith('c1', undefined)
  })

  it('tries the load again after it failed (a chunk that did not download), and says "no retry" for a strategy that cannot refresh', async () => {
    const load = vi.fn<() => Promise<AuthStrategy>>().mockRejectedValueOnce(new Error('ChunkLoadError')).mockResolvedValue({ authorize: async () => ({ headers: {} }) })
    const auth = lazyAuth(load)
    await expect(auth.authorize()).rejects.toThrow('ChunkLoadError')
    await expect(auth.authorize()).resolves.toEqual({ headers: {} })
    expect(await auth.handleUnauthorized!(undefined)).toBe(false)
    expect(load).toHaveBeenCalledTimes(2)
  })
})
