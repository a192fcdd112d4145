// Scale-out through Redis: four worker processes share one amoCRM account's rate limit (bottleneck
// clustering) and its OAuth tokens (RedisTokenStore + a Redis lock), against the emulator served
// over loopback HTTP and a real redis-server started here (`npm test` installs it when missing).
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAmoCrmEmulator, type AmoCrmEmulator } from '../../adapters/amocrm/testing/index.js'
import { serveHandlers } from '../../sdk/node/index.js'
import type { ServedHandlers } from '../../sdk/node/serve-handlers.js'
import { RedisLock, RedisTokenStore } from '../../sdk/node/redis/index.js'
import type { WorkerConfig, WorkerMessage } from './worker.js'

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

type WorkerReport = Extract<WorkerMessage, { type: 'report' }>

/**
 * Forks the workers, waits until every one is set up (tsx alone takes seconds, and unevenly), then
 * tells them all to go at once: otherwise they might run one after another and never compete.
 */
async function runWorkers(config: WorkerConfig, n: number): Promise<WorkerReport[]> {
  const script = fileURLToPath(new URL('./worker.ts', import.meta.url))
  const children: ChildProcess[] = []
  const ready: Promise<void>[] = []
  const reports: Promise<WorkerReport>[] = []
  const exits: Promise<number | null>[] = []
  for (let i = 0; i < n; i++) {
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx', '--conditions=source'],
      env: { ...process.env, CRMKIT_WORKER: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    children.push(child)
    const exit = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code) => resolve(code))
    })
    exits.push(exit)
    const next = (type: WorkerMessage['type']) =>
      Promise.race([
        exit.then((code) => Promise.reject(new Error(`worker ${child.pid} exited with ${code} before sending "${type}"`))),
        new Promise<WorkerMessage>((resolve) => child.on('message', (m: WorkerMessage) => m.type === type && resolve(m))),
      ])
    ready.push(next('ready').then(() => undefined))
    const report = next('report') as Promise<WorkerReport>
    // Awaited below, after `ready`: a failure before then must not count as unhandled.
    report.catch(() => undefined)
    reports.push(report)
  }
  try {
    await Promise.all(ready)
    for (const c of children) c.send({ type: 'go' })
    const done = await Promise.all(reports)
    expect(await Promise.all(exits)).toEqual(children.map(() => 0))
    return done
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill()
  }
}

/**
 * The workers ran side by side: each one's first answer came before any one's last (checked by
 * the test itself, so a fleet that happened to run in turns cannot pass the limit check vacuously).
 */
function overlapMs(reports: WorkerReport[]): number {
  const firsts = reports.map((r) => r.done[0]!)
  const lasts = reports.map((r) => r.done[r.done.length - 1]!)
  return Math.min(...lasts) - Math.max(...firsts)
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

  /** Serves `emulator` over loopback HTTP, seeds the shared token pair and runs the workers against it. */
  async function fleet(emulator: AmoCrmEmulator, cluster: boolean, during?: (started: number) => NodeJS.Timeout) {
    let served: ServedHandlers | null = null
    let timer: NodeJS.Timeout | undefined
    try {
      served = await serveHandlers(emulator.handlers, { rewriteOrigin: emulator.baseUrl })
      const pair = emulator.issueTokens()
      // The code exchange happened once, somewhere: its pair is what every worker starts from.
      await new RedisTokenStore(redis).set(`amocrm:${served.url}`, {
        accessToken: pair.access_token,
        refreshToken: pair.refresh_token,
        expiresAt: new Date(Date.now() + pair.expires_in * 1000),
      })
      const config: WorkerConfig = {
        baseUrl: served.url,
        redisPort: port,
        oauth: emulator.oauth,
        requestsPerSecond: CLIENT_RPS,
        cluster,
        dealIds: emulator.db.leads.rows.map((l) => String(l.id)),
        requests: REQUESTS_PER_WORKER,
      }
      const reports = runWorkers(config, WORKERS)
      // Timed from here, as workers start sending only once all of them are up anyway.
      timer = during?.(Date.now())
      const done = await reports
      for (const r of done) {
        expect(r.errors).toEqual([])
        expect(r.ok).toBe(REQUESTS_PER_WORKER)
        expect(r.done).toHaveLength(REQUESTS_PER_WORKER)
      }
      // Side by side, not in turns: every worker's first answer came before any worker's last.
      expect(overlapMs(done), 'the workers\' request windows overlap').toBeGreaterThan(0)
      return { reports: done, calls: emulator.log.filter((e) => e.path.startsWith('/api/v4')) }
    } finally {
      clearInterval(timer)
      await served?.close()
    }
  }

  it(`${WORKERS} workers never exceed the account's limit in any second and refresh exactly once per expiry`, { timeout: 90_000 }, async () => {
    const emulator = createAmoCrmEmulator({ seed: 31, size: { deals: 40, contacts: 10, companies: 2 }, rateLimit: { perSecond: LIMIT } })
    // Expire the access tokens twice while the workers run (server side: the workers find out by 401).
    const expiries: number[] = []
    const api = () => emulator.log.filter((e) => e.path.startsWith('/api/v4'))
    const expireAfter = [8, 22] // API requests seen
    const { calls } = await fleet(emulator, true, (started) =>
      setInterval(() => {
        const next = expireAfter[expiries.length]
        if (next !== undefined && api().length >= next) {
          emulator.expireAccessTokens()
          expiries.push(Date.now() - started)
        }
      }, 20),
    )
    expect(expiries).toHaveLength(2)
    expect(calls.filter((c) => c.status === 200 && c.path.startsWith('/api/v4/leads/'))).toHaveLength(WORKERS * REQUESTS_PER_WORKER)
    // Each expiry was noticed (401s), and across all processes exactly one refresh followed it.
    expect(calls.filter((c) => c.status === 401).length).toBeGreaterThanOrEqual(2)
    expect(emulator.stats.refreshes).toBe(expiries.length)
    // The limit held for the account as a whole, not just per process.
    expect(emulator.stats.rateLimited).toBe(0)
    expect(busiestSecond(calls.map((c) => c.time))).toBeLessThanOrEqual(LIMIT)
  })

  it('control: the same workers without the shared limit do exceed it (the check above can fail)', { timeout: 60_000 }, async () => {
    // No limit in the emulator: it only records arrivals, so the unshared fleet earns no 429s and
    // never goes near the 403 block; each worker alone keeps to CLIENT_RPS, together ~4× that.
    const emulator = createAmoCrmEmulator({ seed: 32, size: { deals: 40, contacts: 10, companies: 2 }, rateLimit: false })
    const { calls } = await fleet(emulator, false)
    expect(calls.filter((c) => c.status === 200 && c.path.startsWith('/api/v4/leads/'))).toHaveLength(WORKERS * REQUESTS_PER_WORKER)
    expect(busiestSecond(calls.map((c) => c.time))).toBeGreaterThan(LIMIT)
  })
})
