import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileTokenStore } from '../../sdk/node/file-token-store.js'

describe('FileTokenStore', () => {
  it('round-trips token sets per key, privately, and survives a new instance', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'crmkit-')), 'nested', 'tokens.json')
    const a = new FileTokenStore(path)
    expect(await a.get('amocrm:x')).toBeNull()
    const expiresAt = new Date('2026-12-01T00:00:00Z')
    await Promise.all([
      a.set('amocrm:x', { accessToken: 'A', refreshToken: 'R', expiresAt }),
      a.set('amocrm:y', { accessToken: 'B', refreshToken: null, expiresAt: null }),
    ])
    const b = new FileTokenStore(path)
    expect(await b.get('amocrm:x')).toEqual({ accessToken: 'A', refreshToken: 'R', expiresAt })
    expect(await b.get('amocrm:y')).toEqual({ accessToken: 'B', refreshToken: null, expiresAt: null })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(path, 'utf8'))).toHaveProperty(['amocrm:x', 'refreshToken'], 'R')
  })
})
