/**
 * Milliseconds on the monotonic clock, for spacing and cooldowns: `Date.now()` jumps with clock
 * changes, and on a page whose Date is frozen (a test clock, a kiosk) a wait measured with it
 * would never end.
 */
export const monotonicNow = (): number => globalThis.performance?.now() ?? Date.now()
