import type { CallContext, DriverOutcome } from './adapter.js'
import { CrmError, ValidationError, type CrmName } from './errors.js'

/** One result per input of `createMany` / `updateMany`, in input order. */
export type WriteOutcome<T> =
  | { ok: true; index: number; record: T }
  | { ok: false; index: number; error: CrmError }

export interface BatchOptions<I, T> {
  crm: CrmName
  inputs: I[]
  /** Validates one input; throwing a ValidationError marks just that input failed, unsent. */
  prepare: (input: I, index: number) => I
  send: (chunk: I[], ctx: CallContext) => Promise<DriverOutcome<T>[]>
  batchSize: number
  concurrency: number
  ctx: CallContext
}

/**
 * Validates every input, sends the valid ones in chunks, and maps results back by position.
 * Inputs a CRM rejected only because a sibling failed (amoCRM rejects whole batches) are resent
 * without the failing items: the CRM said nothing was applied, so this cannot duplicate.
 */
export async function runBatch<I, T>(opts: BatchOptions<I, T>): Promise<WriteOutcome<T>[]> {
  const outcomes: (WriteOutcome<T> | undefined)[] = new Array(opts.inputs.length)
  let pending: { index: number; input: I }[] = []
  opts.inputs.forEach((input, index) => {
    try {
      pending.push({ index, input: opts.prepare(input, index) })
    } catch (error) {
      outcomes[index] = { ok: false, index, error: asCrmError(error, opts.crm, index) }
    }
  })

  // Each round removes at least one input (a failure) or finishes them all, so this terminates.
  while (pending.length) {
    const chunks: { index: number; input: I }[][] = []
    for (let i = 0; i < pending.length; i += opts.batchSize) chunks.push(pending.slice(i, i + opts.batchSize))
    const resend: { index: number; input: I }[] = []
    await mapConcurrent(chunks, opts.concurrency, async (chunk) => {
      let results: DriverOutcome<T>[]
      try {
        results = await opts.send(
          chunk.map((c) => c.input),
          opts.ctx,
        )
      } catch (error) {
        // The whole request failed (network, auth, an unknown outcome): every input shares it.
        for (const c of chunk) outcomes[c.index] = { ok: false, index: c.index, error: asCrmError(error, opts.crm) }
        return
      }
      chunk.forEach((c, j) => {
        const r = results[j]
        if (!r) {
          outcomes[c.index] = {
            ok: false,
            index: c.index,
            error: new CrmError('The CRM returned no result for this input', { crm: opts.crm }),
          }
        } else if (r.ok) outcomes[c.index] = { ok: true, index: c.index, record: r.record }
        else if ('resend' in r) resend.push(c)
        else outcomes[c.index] = { ok: false, index: c.index, error: withIndex(r.error, c.index) }
      })
    })
    if (resend.length === pending.length) {
      // Nothing failed yet the CRM applied nothing: don't loop, report it.
      for (const c of resend) {
        outcomes[c.index] = {
          ok: false,
          index: c.index,
          error: new CrmError('The CRM rejected the batch without naming an input', { crm: opts.crm }),
        }
      }
      break
    }
    pending = resend.sort((a, b) => a.index - b.index)
  }
  return outcomes.map(
    (o, index) => o ?? { ok: false, index, error: new CrmError('No outcome recorded', { crm: opts.crm }) },
  )
}

function asCrmError(error: unknown, crm: CrmName, index?: number): CrmError {
  if (error instanceof CrmError) return index === undefined ? error : withIndex(error, index)
  return new CrmError(error instanceof Error ? error.message : String(error), { crm, cause: error })
}

function withIndex(error: CrmError, index: number): CrmError {
  if (error instanceof ValidationError) {
    for (const issue of error.issues) issue.index ??= index
  }
  return error
}

export async function mapConcurrent<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const workers = Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  })
  await Promise.all(workers)
  return results
}
