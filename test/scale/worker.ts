// One worker process of the scale-out test: an amoCRM client sharing the account's rate limit and
// OAuth tokens with the other workers through Redis. Reads deals until told to stop, then reports.
import { Redis } from 'ioredis'
import { createCrm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { RedisTokenStore, redisRateLimit } from '../../sdk/node/redis/index.js'

interface Config {
  baseUrl: string
  redisPort: number
  oauth: { clientId: string; clientSecret: string; redirectUri: string }
  requestsPerSecond: number
  dealIds: string[]
  requests: number
}

const config = JSON.parse(process.env.CRMKIT_WORKER ?? '{}') as Config
const redis = new Redis({ port: config.redisPort, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 3 })
const cluster = redisRateLimit(redis, { id: `amocrm:${config.baseUrl}` })
const crm = createCrm(amocrm({ baseUrl: config.baseUrl, auth: { kind: 'oauth', ...config.oauth } }), {
  tokenStore: new RedisTokenStore(redis),
  rateLimit: { requestsPerSecond: config.requestsPerSecond, cluster },
  retry: { retries: 3, baseDelayMs: 50, maxDelayMs: 500 },
})

let ok = 0
const errors: string[] = []
try {
  for (let i = 0; i < config.requests; i++) {
    try {
      await crm.deals.get(config.dealIds[(i * 7 + process.pid) % config.dealIds.length]!)
      ok++
    } catch (e) {
      errors.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
    }
  }
} finally {
  await crm.close()
  await cluster.connection.disconnect()
  redis.disconnect()
}
process.send?.({ ok, errors })
