import { describe, expect, it } from 'vitest'
import { portal } from './helpers.js'

describe('Bitrix24 emulator: batch', () => {
  it('runs commands in order, resolves $result references and collects per-command errors (halt=0)', async () => {
    const { call } = portal()
    const { status, body } = await call('batch', {
      halt: 0,
      cmd: {
        first: 'crm.item.list?entityTypeId=2&order[id]=ASC&select[]=id&select[]=contactId&start=-1',
        again: 'crm.item.get?entityTypeId=2&id=$result[first][items][0][id]',
        missing: 'crm.item.get?entityTypeId=2&id=999999',
        after: 'crm.status.list?filter[ENTITY_ID]=SOURCE',
      },
    })
    expect(status).toBe(200)
    const r = body.result
    expect(r.result.again.item.id).toBe(r.result.first.items[0].id)
    expect(r.result_error.missing).toEqual({ error: 'NOT_FOUND', error_description: 'Element not found' })
    expect(r.result.after.length).toBeGreaterThan(10)
    expect(r.result_total.after).toBe(r.result.after.length)
    expect(typeof r.result_time.first.duration).toBe('number')
    expect(body.time.duration).toBeGreaterThanOrEqual(0)
  })

  it('stops at the first failure with halt=1', async () => {
    const { call } = portal()
    const { body } = await call('batch', { halt: 1, cmd: { a: 'crm.item.get?entityTypeId=2&id=999999', b: 'crm.category.list?entityTypeId=2' } })
    expect(Object.keys(body.result.result_error)).toEqual(['a'])
    expect(body.result.result).toEqual([]) // PHP's empty array for an empty map
  })

  it('serialises empty maps as [] and answers list-form commands as lists', async () => {
    const { call } = portal()
    const { body } = await call('batch', { cmd: ['crm.category.list?entityTypeId=2', 'crm.item.get?entityTypeId=2&id=5001'] })
    expect(Array.isArray(body.result.result)).toBe(true)
    expect(body.result.result[1].item.id).toBe(5001)
    expect(body.result.result_error).toEqual([])
    expect(body.result.result_next).toEqual([])
  })

  it('refuses more than 50 commands and nested batches', async () => {
    const { call } = portal()
    const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'crm.category.list?entityTypeId=2']))
    const over = await call('batch', { cmd })
    expect(over.status).toBe(400)
    expect(over.body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED')
    const nested = await call('batch', { cmd: { n: 'batch?cmd[x]=profile' } })
    expect(nested.body.result.result_error.n.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED')
  })

  it('counts a whole batch as one request for the leaky bucket', async () => {
    const { call, emulator } = portal({ rateLimit: { burst: 2, drainPerSecond: 0.001 } })
    const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'crm.category.list?entityTypeId=2']))
    expect((await call('batch', { cmd })).status).toBe(200)
    expect((await call('batch', { cmd })).status).toBe(200)
    const third = await call('batch', { cmd })
    expect(third.status).toBe(503)
    expect(third.body.error).toBe('QUERY_LIMIT_EXCEEDED')
    expect(emulator.stats.commands).toBe(100)
  })
})
