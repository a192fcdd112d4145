// The widget bundles' platform (webpack swaps it in for ./index.ts): the browser's fetch and a
// small in-page scheduler instead of axios and bottleneck (~23 KB gzip). Same contract and tests.
import { CrmError } from '../errors.js'
import type { RateLimitCluster } from '../rate-limit.js'
import type { Scheduler, SchedulerSettings } from '../scheduler.js'
import { SpacingScheduler } from './spacing-scheduler.js'

export { fetchTransport as defaultTransport } from './fetch-transport.js'

export function createScheduler(settings: SchedulerSettings, cluster?: RateLimitCluster): Scheduler {
  if (cluster) throw new CrmError('a rate limit shared through Redis needs Node (crmkit/redis); a browser cannot reach Redis', { crm: 'unknown', code: 'unsupported' })
  return new SpacingScheduler(settings)
}
