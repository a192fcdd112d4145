// Scale-out through Redis: four worker processes share one amoCRM account's rate limit (bottleneck
// clustering) and its OAuth tokens (RedisTokenStore + a Redis lock), against the emulator served
// over loopback HTTP and a real redis-server started here (`npm test` installs it when missing).
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { serveHandlers } from '../../sdk/node/index.js'
import type { ServedHandlers } from '../../sdk/node/serve-handlers.js'
import { RedisLock, RedisTokenStore } from '../../sdk/node/redis/index.js'

const REDIS_SERVER = '/usr/bin/redis-server'
const WORKERS = 4
const LIMIT = 5 // requests per second the emulated account accepts (amoCRM's is 7)
/**
 * The workers are configured one request/s under the account's limit: on a loaded machine a
 * worker's timer can fire a few hundred ms late while the next worker's fires on time, and the CRM
 * counts arrivals. Unshared, four workers at this rate would send 16/s.
 */
const CLIENT_RPS = LIMIT - 1
const REQUESTS_PER_WORKER = 8

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)))
  })
  return child
}

interface WorkerReport {
  ok: number
  errors: string[]
}

function runWorker(config: unknown): Promise<WorkerReport> {
  const script = fileURLToPath(new URL('./worker.ts', import.meta.url))
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx', '--conditions=source'],
    env: { ...process.env, CRMKIT_WORKER: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    let report: WorkerReport | null = null
    child.on('message', (m) => (report = m as WorkerReport))
    child.once('error', reject)
    child.once('exit', (code) => (report && code === 0 ? resolve(report) : reject(new Error(`worker ${child.pid} exited with ${code}`))))
  })
}

/** The most requests in any one-second window [t, t + 1000) of arrival times. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

describe('scale-out with Redis', () => {
  let redisServer: ChildProcess
  let redis: Redis
  let port: number

  beforeAll(async () => {
    // `npm test` installs it first (scripts/ensure-system-deps.mjs); a missing server is a failure, not a skip.
    if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: run \`node scripts/ensure-system-deps.mjs\` (apt-get install redis-server)`)
    port = await freePort()
    redisServer = await startRedis(port)
    redis = new Redis({ port, host: '127.0.0.1' })
  })

  afterAll(async () => {
    redis?.disconnect()
    redisServer?.kill()
  })

  it('the Redis lock lets one holder in at a time and only the holder releases it', async () => {
    const lock = new RedisLock(redis, { leaseMs: 5_000, retryMs: 5 })
    let inside = 0
    let most = 0
    await Promise.all(
      Array.from({ length: 10 }, () =>
        lock.withLock('test:lock', async () => {
          most = Math.max(most, ++inside)
          await new Promise((r) => setTimeout(r, 10))
          inside--
        }),
      ),
    )
    expect(most).toBe(1)
    expect(await redis.exists('test:lock')).toBe(0)
    // A holder whose lease ran out does not delete the next holder's lock.
    await redis.set('test:stale', 'someone-else', 'PX', 5_000)
    const quick = new RedisLock(redis, { waitMs: 50, retryMs: 5 })
    await expect(quick.withLock('test:stale', async () => 1)).rejects.toThrow(/Timed out/)
    expect(await redis.get('test:stale')).toBe('someone-else')
  })

  it('RedisTokenStore round-trips a token set', async () => {
    const store = new RedisTokenStore(redis, { prefix: 'test:tokens:' })
    expect(await store.get('none')).toBeNull()
    const expiresAt = new Date('2026-12-01T10:00:00.000Z')
    await store.set('acct', { accessToken: 'a', refreshToken: 'r', expiresAt })
    expect(await store.get('acct')).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt })
    await store.set('ll', { accessToken: 'x', refreshToken: null, expiresAt: null })
    expect(await store.get('ll')).toEqual({ accessToken: 'x', refreshToken: null, expiresAt: null })
  })

  it(`${WORKERS} workers never exceed the account's limit in any second and refresh exactly once per expiry`, { timeout: 90_000 }, async () => {
    const emulator = createAmoCrmEmulator({ seed: 31, size: { deals: 40, contacts: 10, companies: 2 }, rateLimit: { perSecond: LIMIT } })
    let served: ServedHandlers | null = null
    const timers: NodeJS.Timeout[] = []
    try {
      served = await serveHandlers(emulator.handlers, { rewriteOrigin: emulator.baseUrl })
      const pair = emulator.issueTokens()
      // The code exchange happened once, somewhere: its pair is what every worker starts from.
      await new RedisTokenStore(redis).set(`amocrm:${served.url}`, {
        accessToken: pair.access_token,
        refreshToken: pair.refresh_token,
        expiresAt: new Date(Date.now() + pair.expires_in * 1000),
      })
      const config = {
        baseUrl: served.url,
        redisPort: port,
        oauth: emulator.oauth,
        requestsPerSecond: CLIENT_RPS,
        dealIds: emulator.db.leads.rows.map((l) => String(l.id)),
        requests: REQUESTS_PER_WORKER,
      }
      const started = Date.now()
      const reports = Promise.all(Array.from({ length: WORKERS }, () => runWorker(config)))
      // Expire the access tokens twice while the workers run (server side: the workers find out by 401).
      const expiries: number[] = []
      const api = () => emulator.log.filter((e) => e.path.startsWith('/api/v4'))
      const expireAfter = [8, 22] // API requests seen
      timers.push(
        setInterval(() => {
          const next = expireAfter[expiries.length]
          if (next !== undefined && api().length >= next) {
            emulator.expireAccessTokens()
            expiries.push(Date.now() - started)
          }
        }, 20),
      )
      const done = await reports
      for (const r of done) {
        expect(r.errors).toEqual([])
        expect(r.ok).toBe(REQUESTS_PER_WORKER)
      }
      expect(expiries).toHaveLength(2)

      const calls = api()
      expect(calls.filter((c) => c.status === 200 && c.path.startsWith('/api/v4/leads/'))).toHaveLength(WORKERS * REQUESTS_PER_WORKER)
      // Each expiry was noticed (401s), and across all processes exactly one refresh followed it.
      expect(calls.filter((c) => c.status === 401).length).toBeGreaterThanOrEqual(2)
      expect(emulator.stats.refreshes).toBe(expiries.length)
      // The limit held for the account as a whole, not just per process.
      expect(emulator.stats.rateLimited).toBe(0)
      expect(busiestSecond(calls.map((c) => c.time))).toBeLessThanOrEqual(LIMIT)
    } finally {
      for (const t of timers) clearInterval(t)
      await served?.close()
    }
  })
})
