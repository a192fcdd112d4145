/**
 * Starts jobs at most `maxConcurrent` at a time and at least `minTime` ms apart (bottleneck's
 * terms). RateLimiter builds its policy (429 cooldown, slow-down and recovery) on top of one.
 */
export interface Scheduler {
  schedule<T>(job: () => Promise<T>): Promise<T>
  updateSettings(settings: SchedulerSettings): void
  /** Runs what is queued, refuses new jobs, resolves when all have finished. */
  stop(): Promise<void>
  /** Releases connections a shared (Redis) scheduler holds. */
  disconnect?(): Promise<void>
}

export interface SchedulerSettings {
  maxConcurrent: number
  minTime: number
}
