import { describe, expect, it } from 'vitest'
import { runBatch } from '../../sdk/batch.js'
import { CrmError, ValidationError } from '../../sdk/index.js'

describe('runBatch', () => {
  it('chunks, keeps input order, and reports local validation failures without sending them', async () => {
    const sent: number[][] = []
    const out = await runBatch<number, string>({
      crm: 'test',
      inputs: [1, 2, -3, 4, 5],
      prepare: (n, i) => {
        if (n < 0) throw new ValidationError('negative', { crm: 'test', issues: [{ path: ['n'], message: 'neg', code: 'x', index: i }] })
        return n
      },
      send: async (chunk) => {
        sent.push(chunk)
        return chunk.map((n) => ({ ok: true as const, record: `r${n}` }))
      },
      batchSize: 2,
      concurrency: 2,
      ctx: {},
    })
    expect(sent).toEqual([[1, 2], [4, 5]])
    expect(out.map((o) => (o.ok ? o.record : o.error.message))).toEqual(['r1', 'r2', 'negative', 'r4', 'r5'])
    expect(out.map((o) => o.index)).toEqual([0, 1, 2, 3, 4])
  })

  it('resends siblings of a rejected item, never the rejected one', async () => {
    const calls: number[][] = []
    const out = await runBatch<number, number>({
      crm: 'test',
      inputs: [10, 11, 12],
      prepare: (n) => n,
      send: async (chunk) => {
        calls.push(chunk)
        if (chunk.includes(11)) {
          return chunk.map((n) =>
            n === 11 ? { ok: false as const, error: new ValidationError('bad', { crm: 'test', issues: [] }) } : { ok: false as const, resend: true as const },
          )
        }
        return chunk.map((n) => ({ ok: true as const, record: n * 2 }))
      },
      batchSize: 50,
      concurrency: 1,
      ctx: {},
    })
    expect(calls).toEqual([[10, 11, 12], [10, 12]])
    expect(out.map((o) => o.ok)).toEqual([true, false, true])
  })

  it('gives every input of a failed request that request error', async () => {
    const err = new CrmError('boom', { crm: 'test' })
    const out = await runBatch<number, number>({
      crm: 'test',
      inputs: [1, 2],
      prepare: (n) => n,
      send: async () => {
        throw err
      },
      batchSize: 50,
      concurrency: 1,
      ctx: {},
    })
    expect(out).toEqual([
      { ok: false, index: 0, error: err },
      { ok: false, index: 1, error: err },
    ])
  })
})
