// One worker process of the scale-out test: an amoCRM client sharing the account's rate limit (when
// `cluster`) and OAuth tokens with the other workers through Redis. It reports `ready` over IPC once
// set up and sends nothing before `go`: tsx takes seconds to start, and the test needs all workers
// running at once, not one after another. Then it reads its deals and reports when each answer came.
import { Redis } from 'ioredis'
import { createCrm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { RedisTokenStore, redisRateLimit } from '../../sdk/node/redis/index.js'

export interface WorkerConfig {
  baseUrl: string
  redisPort: number
  oauth: { clientId: string; clientSecret: string; redirectUri: string }
  requestsPerSecond: number
  /** Share the limit through Redis; false runs each worker's limiter alone (the control run). */
  cluster: boolean
  dealIds: string[]
  requests: number
}

export type WorkerMessage =
  | { type: 'ready' }
  | {
      type: 'report'
      ok: number
      errors: string[]
      /** Wall-clock ms at which each request's answer arrived, in order. */
      done: number[]
    }

const config = JSON.parse(process.env.CRMKIT_WORKER ?? '{}') as WorkerConfig
const redis = new Redis({ port: config.redisPort, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 3 })
const cluster = config.cluster ? redisRateLimit(redis, { id: `amocrm:${config.baseUrl}` }) : undefined
const crm = createCrm(amocrm({ baseUrl: config.baseUrl, auth: { kind: 'oauth', ...config.oauth } }), {
  tokenStore: new RedisTokenStore(redis),
  rateLimit: { requestsPerSecond: config.requestsPerSecond, ...(cluster ? { cluster } : {}) },
  retry: { retries: 3, baseDelayMs: 50, maxDelayMs: 500 },
})

const send = (m: WorkerMessage) => new Promise<void>((resolve, reject) => process.send!(m, (e: Error | null) => (e ? reject(e) : resolve())))

const go = new Promise<void>((resolve) => process.once('message', (m: { type?: string }) => m.type === 'go' && resolve()))
await redis.ping()
await send({ type: 'ready' })
await go

let ok = 0
const errors: string[] = []
const done: number[] = []
try {
  for (let i = 0; i < config.requests; i++) {
    try {
      await crm.deals.get(config.dealIds[(i * 7 + process.pid) % config.dealIds.length]!)
      ok++
    } catch (e) {
      errors.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
    }
    done.push(Date.now())
  }
} finally {
  await crm.close()
  await cluster?.connection.disconnect()
  redis.disconnect()
}
await send({ type: 'report', ok, errors, done })
// The IPC channel would keep this process alive.
process.disconnect()
