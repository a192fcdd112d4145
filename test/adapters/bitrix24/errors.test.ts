import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AccountBlockedError, AuthError, NotFoundError, PermissionError, RateLimitError, ServerError, UnsupportedError, ValidationError, type HttpResponse } from '../../../sdk/index.js'
import { bitrixError, classifyBitrixError } from '../../../adapters/bitrix24/errors.js'

const res = (status: number, data: unknown): HttpResponse => ({ status, headers: {}, data, text: JSON.stringify(data) })
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/bitrix24/${name}`, import.meta.url), 'utf8')) as unknown
const req = { method: 'POST' as const, path: 'crm.item.list', kind: 'read' as const }

describe('Bitrix24 error classification', () => {
  it('503 QUERY_LIMIT_EXCEEDED is a rate limit that applied nothing', () => {
    const c = classifyBitrixError(res(503, fixture('error.query-limit-exceeded.json')), req)
    expect(c.error).toBeInstanceOf(RateLimitError)
    expect(c.notApplied).toBe(true)
  })

  it('429 OPERATION_TIME_LIMIT is a rate limit with a pause', () => {
    const c = classifyBitrixError(res(429, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' }), req)
    expect(c.error).toBeInstanceOf(RateLimitError)
    expect((c.error as RateLimitError).retryAfterMs).toBeGreaterThan(0)
    expect(c.error.code).toBe('operation_time_limit')
  })

  it('401 expired_token (matched on the code, not the text) is an AuthError the core refreshes', () => {
    const c = classifyBitrixError(res(401, fixture('error.expired-token.json')), req)
    expect(c.error).toBeInstanceOf(AuthError)
    expect(c.error.code).toBe('expired_token')
  })

  it('maps the catalogue', () => {
    expect(bitrixError(400, 'NOT_FOUND', 'Element not found').error).toBeInstanceOf(NotFoundError)
    expect(bitrixError(400, '', 'Not found').error).toBeInstanceOf(NotFoundError)
    expect(bitrixError(400, 'INVALID_ARG_VALUE', 'bad').error).toBeInstanceOf(ValidationError)
    expect(bitrixError(403, 'insufficient_scope', null).error).toBeInstanceOf(PermissionError)
    expect(bitrixError(403, 'ACCESS_DENIED', 'REST API is available only on commercial plans').error).toBeInstanceOf(AccountBlockedError)
    expect(bitrixError(503, 'OVERLOAD_LIMIT', null).error).toBeInstanceOf(AccountBlockedError)
    expect(bitrixError(404, 'ERROR_METHOD_NOT_FOUND', null).error).toBeInstanceOf(UnsupportedError)
    const server = bitrixError(500, 'INTERNAL_SERVER_ERROR', null)
    expect(server.error).toBeInstanceOf(ServerError)
    expect(server.notApplied).toBe(false)
  })
})
