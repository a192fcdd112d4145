// The reliability contract under chaos, run for each CRM: exports are exact, batch writes end with a
// definite outcome per input and never duplicate, and a refresh storm refreshes once per expiry.
import { describe, expect, it } from 'vitest'
import { CrmError, WriteOutcomeUnknownError, type WriteOutcome } from '../../sdk/index.js'
import type { ChaosFault } from '../../sdk/testing/chaos.js'
import type { ChaosHarness } from './harness.js'

/** Every fault a read can meet ('lost-write-response' needs a write). */
const READ_FAULTS = ['5xx', 'rate-limit', 'slow', 'timeout', 'drop', 'truncated-json', 'html-error'] as const satisfies readonly ChaosFault[]
const EXPORT_DEALS = 1000

const injected = (stats: { injected: Record<string, number> }) => Object.values(stats.injected).reduce((a, b) => a + b, 0)

/** How many deals in the emulator carry each title. */
const countTitles = (deals: { title: string }[]) => {
  const counts = new Map<string, number>()
  for (const d of deals) counts.set(d.title, (counts.get(d.title) ?? 0) + 1)
  return counts
}

/** `pageSize`: the export's; small, so 1,000 deals take enough requests to meet every fault kind. */
export function chaosSuite(h: ChaosHarness, o: { pageSize: number; idempotentCreates: boolean }): void {
  describe(`${h.name} under chaos`, () => {
    it('a full export of 1,000 deals under every read fault returns exactly the emulator\'s deals: none missing, none twice', { timeout: 60_000 }, async () => {
      // Only faults a read can meet, each often enough (≈ 7 per run at this page size) that every
      // kind shows up; ~30 % of requests fail, so nine failures in a row (beyond the client's 8
      // retries) stay out of reach. A 429 halves the client's rate: that, not size, sets the runtime.
      const env = h.start({ seed: 101, probabilities: Object.fromEntries(READ_FAULTS.map((f) => [f, 0.05])) }, { deals: EXPORT_DEALS })
      try {
        const got: { id: string; title: string }[] = []
        for await (const deal of env.crm.deals.list({ pageSize: o.pageSize })) got.push({ id: deal.id, title: deal.title })
        await env.chaos.idle()
        const truth = env.deals()
        expect(truth).toHaveLength(EXPORT_DEALS)
        const ids = got.map((d) => d.id)
        expect(new Set(ids).size, 'a deal came twice').toBe(ids.length)
        const line = (d: { id: string; title: string }) => `${d.id}\t${d.title}`
        expect(got.map(line).sort()).toEqual(truth.map(line).sort())
        // The run really was under fire, from every kind of read fault.
        for (const f of READ_FAULTS) expect(env.chaos.stats.injected[f], `${f} faults injected`).toBeGreaterThan(0)
      } finally {
        await env.close()
      }
    })

    it('createMany: a definite outcome per input, no duplicate records, unknown outcomes reconciled', async () => {
      // Write faults made frequent so the small run meets them.
      const env = h.start({ seed: 202, rate: 0.2, probabilities: { 'lost-write-response': 0.15, drop: 0.05, timeout: 0.05 } })
      try {
        const run = `c${Date.now().toString(36)}`
        const markers: string[] = []
        const results: WriteOutcome<unknown>[] = []
        // Several small calls: several requests, so several chances for a fault.
        for (let round = 0; round < 8; round++) {
          const titles = Array.from({ length: 5 }, (_, k) => `${run}-${round}-${k}`)
          markers.push(...titles)
          results.push(...(await env.crm.deals.createMany(titles.map((title) => ({ title })))))
        }
        await env.chaos.idle()
        expect(results).toHaveLength(markers.length)
        const counts = countTitles(env.deals())
        let unknown = 0
        const retry: string[] = []
        results.forEach((r, i) => {
          const marker = markers[i]!
          const n = counts.get(marker) ?? 0
          expect(n, `${marker} stored more than once`).toBeLessThanOrEqual(1)
          if (r.ok) {
            expect(n).toBe(1)
            expect((r.record as { title: string }).title).toBe(marker)
          } else if (r.error instanceof WriteOutcomeUnknownError) {
            unknown++
            // Reconcile: look for the marker; resend only what provably did not land.
            if (n === 0) retry.push(marker)
          } else {
            expect(r.error).toBeInstanceOf(CrmError)
            // A typed error other than "unknown" promises the CRM did not apply the write.
            if (r.error.code !== 'read_back_failed') expect(n, `${marker} failed with ${r.error.code} yet was stored`).toBe(0)
            else expect(n).toBe(1)
            if (n === 0) retry.push(marker)
          }
        })
        if (o.idempotentCreates) expect(unknown).toBe(0)
        expect(env.chaos.stats.injected['lost-write-response'] + env.chaos.stats.injected.drop + env.chaos.stats.injected.timeout).toBeGreaterThan(0)

        // Resending what is missing (again under chaos) ends with every marker stored exactly once.
        for (let round = 0; round < 5 && retry.length; round++) {
          const outcomes = await env.crm.deals.createMany(retry.map((title) => ({ title })))
          await env.chaos.idle()
          const now = countTitles(env.deals())
          const still = retry.filter((m, k) => !outcomes[k]!.ok && (now.get(m) ?? 0) === 0)
          retry.splice(0, retry.length, ...still)
        }
        const final = countTitles(env.deals())
        for (const m of markers) expect(final.get(m), m).toBe(1)
      } finally {
        await env.close()
      }
    })

    it('updateMany: a definite outcome per input, and what the CRM holds agrees with it', async () => {
      const env = h.start({ seed: 303, rate: 0.2, probabilities: { 'lost-write-response': 0.15, drop: 0.05, timeout: 0.05 } })
      try {
        const before = env.deals().slice(0, 40)
        const run = `u${Date.now().toString(36)}`
        const results: WriteOutcome<unknown>[] = []
        for (let round = 0; round < 8; round++) {
          const chunk = before.slice(round * 5, round * 5 + 5)
          results.push(...(await env.crm.deals.updateMany(chunk.map((d) => ({ id: d.id, patch: { title: `${run}-${d.id}` } })))))
        }
        await env.chaos.idle()
        expect(results).toHaveLength(before.length)
        const byId = new Map(env.deals().map((d) => [d.id, d.title]))
        expect(byId.size).toBe(env.deals().length)
        results.forEach((r, i) => {
          const { id, title: old } = before[i]!
          const now = byId.get(id)
          if (r.ok) expect(now).toBe(`${run}-${id}`)
          else if (r.error instanceof WriteOutcomeUnknownError) expect([old, `${run}-${id}`]).toContain(now)
          else {
            expect(r.error).toBeInstanceOf(CrmError)
            expect(now, `${id} failed with ${r.error.code} yet was updated`).toBe(old)
          }
        })
        expect(injected(env.chaos.stats)).toBeGreaterThan(0)
      } finally {
        await env.close()
      }
    })

    it('a refresh storm of 100 concurrent requests refreshes exactly once per expiry', async () => {
      const env = h.start({ seed: 404, rate: 0.2 }, { oauth: true, deals: 40 })
      try {
        const ids = env.deals().map((d) => d.id)
        // Warm up: the first token is in use (Creatio's client-credentials grant issues it now).
        await env.crm.deals.get(ids[0]!)
        for (let expiry = 1; expiry <= 2; expiry++) {
          const before = env.refreshes()
          const callsBefore = env.refreshCalls()
          env.expire()
          const got = await Promise.all(Array.from({ length: 100 }, (_, i) => env.crm.deals.get(ids[i % ids.length]!)))
          expect(got.map((d) => d.id)).toEqual(Array.from({ length: 100 }, (_, i) => ids[i % ids.length]))
          expect(env.refreshes() - before, `refreshes for expiry ${expiry}`).toBe(1)
          expect(env.refreshCalls() - callsBefore, `token endpoint calls for expiry ${expiry}`).toBe(1)
        }
        expect(injected(env.chaos.stats)).toBeGreaterThan(0)
      } finally {
        await env.close()
      }
    })
  })
}
