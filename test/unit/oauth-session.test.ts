import { describe, expect, it } from 'vitest'
import { AbortError, AuthError, MemoryTokenStore, OAuthSession, type TokenSet } from '../../sdk/index.js'

function setup(expiresInMs: number) {
  const store = new MemoryTokenStore()
  let refreshes = 0
  const session = new OAuthSession({
    crm: 'test',
    store,
    key: 'k',
    initial: { accessToken: 'a0', refreshToken: 'r0', expiresAt: new Date(Date.now() + expiresInMs) },
    refresh: async (current: TokenSet) => {
      refreshes++
      await new Promise((r) => setTimeout(r, 20))
      expect(current.refreshToken).toBe('r0')
      return { accessToken: `a${refreshes}`, refreshToken: `r${refreshes}`, expiresAt: new Date(Date.now() + 3_600_000) }
    },
  })
  return { session, store, refreshes: () => refreshes }
}

describe('OAuthSession', () => {
  it('refreshes once for 100 concurrent callers hitting an expired token', async () => {
    const s = setup(-1000)
    const tokens = await Promise.all(Array.from({ length: 100 }, () => s.session.accessToken()))
    expect(s.refreshes()).toBe(1)
    expect(new Set(tokens)).toEqual(new Set(['a1']))
    expect((await s.store.get('k'))?.refreshToken).toBe('r1')
  })

  it('one caller cancelling during the shared refresh fails only that caller; the refresh completes and is saved', async () => {
    const s = setup(-1000)
    const cancel = new AbortController()
    const first = s.session.accessToken(cancel.signal).catch((e: unknown) => e)
    const others = Array.from({ length: 5 }, () => s.session.accessToken())
    await new Promise((r) => setTimeout(r, 5)) // the refresh (20 ms) is under way
    cancel.abort()
    expect(await first).toBeInstanceOf(AbortError)
    expect(new Set(await Promise.all(others))).toEqual(new Set(['a1']))
    expect(s.refreshes()).toBe(1)
    // The rotated pair was persisted even though the caller that started the refresh gave up.
    expect(await s.store.get('k')).toMatchObject({ accessToken: 'a1', refreshToken: 'r1' })
    // An already-aborted signal is refused at once, without starting anything.
    const gone = AbortSignal.abort()
    await expect(s.session.refreshAfterReject('a1', gone)).rejects.toBeInstanceOf(AbortError)
    expect(s.refreshes()).toBe(1)
  })

  it('refreshes once when many requests report the same rejected token', async () => {
    const s = setup(3_600_000)
    const results = await Promise.all(Array.from({ length: 50 }, () => s.session.refreshAfterReject('a0')))
    expect(s.refreshes()).toBe(1)
    expect(new Set(results)).toEqual(new Set(['a1']))
    // A straggler reporting the old token after the refresh does not trigger a second one.
    expect(await s.session.refreshAfterReject('a0')).toBe('a1')
    expect(s.refreshes()).toBe(1)
  })

  it('persists the new pair before handing it out', async () => {
    const store = new MemoryTokenStore()
    const order: string[] = []
    const slowStore = {
      get: (k: string) => store.get(k),
      set: async (k: string, t: TokenSet) => {
        await new Promise((r) => setTimeout(r, 10))
        order.push(`saved ${t.accessToken}`)
        await store.set(k, t)
      },
    }
    const session = new OAuthSession({
      crm: 'test',
      store: slowStore,
      key: 'k',
      initial: { accessToken: 'old', refreshToken: 'r', expiresAt: new Date(0) },
      refresh: async () => ({ accessToken: 'new', refreshToken: 'r2', expiresAt: new Date(Date.now() + 1e6) }),
    })
    const token = await session.accessToken()
    order.push(`used ${token}`)
    expect(order).toEqual(['saved old', 'saved new', 'used new'])
  })

  it('fails with AuthError when there is nothing to refresh with', async () => {
    const session = new OAuthSession({
      crm: 'test',
      store: new MemoryTokenStore(),
      key: 'k',
      initial: { accessToken: 'x', refreshToken: null, expiresAt: new Date(0) },
      refresh: async () => {
        throw new Error('must not be called')
      },
    })
    await expect(session.accessToken()).rejects.toBeInstanceOf(AuthError)
  })
})
