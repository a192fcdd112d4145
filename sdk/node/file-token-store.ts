import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { TokenSet, TokenStore } from '../token-store.js'

interface Stored {
  accessToken: string
  refreshToken: string | null
  expiresAt: string | null
}

/**
 * Keeps tokens in a JSON file (mode 0600), written atomically (temp file + rename) so a crash
 * mid-write never leaves a half-written file and a rotated refresh token is never lost.
 * One process per file: for several workers use a shared store with `withLock`.
 */
export class FileTokenStore implements TokenStore {
  private chain: Promise<unknown> = Promise.resolve()

  constructor(readonly path: string) {}

  async get(key: string): Promise<TokenSet | null> {
    const all = await this.readAll()
    const t = all[key]
    return t ? { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt ? new Date(t.expiresAt) : null } : null
  }

  set(key: string, tokens: TokenSet): Promise<void> {
    // Serialise writes inside this process: two concurrent read-modify-writes would drop one.
    const next = this.chain.then(async () => {
      const all = await this.readAll()
      all[key] = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt?.toISOString() ?? null }
      await mkdir(dirname(this.path), { recursive: true })
      const tmp = `${this.path}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(all, null, 2), { mode: 0o600 })
      await rename(tmp, this.path)
    })
    this.chain = next.catch(() => undefined)
    return next
  }

  private async readAll(): Promise<Record<string, Stored>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, Stored>
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw e
    }
  }
}
