import Bottleneck from 'bottleneck'
import type { RateLimitCluster } from '../rate-limit.js'
import type { Scheduler, SchedulerSettings } from '../scheduler.js'

/** The Node scheduler (the stack's bottleneck), shared through Redis when given a cluster. */
export function bottleneckScheduler(settings: SchedulerSettings, cluster?: RateLimitCluster): Scheduler {
  const limiter = new Bottleneck({
    ...settings,
    ...(cluster
      ? { id: cluster.id, datastore: cluster.datastore, connection: cluster.connection, clearDatastore: false, ...(cluster.timeout ? { timeout: cluster.timeout } : {}) }
      : {}),
  })
  return {
    schedule: (job) => limiter.schedule(job),
    updateSettings: (s) => void limiter.updateSettings(s),
    stop: () => limiter.stop({ dropWaitingJobs: false }),
    // A clustered limiter holds Redis subscriptions; the shared connection stays open (its owner closes it).
    disconnect: async () => {
      if (cluster) await limiter.disconnect(false)
    },
  }
}
