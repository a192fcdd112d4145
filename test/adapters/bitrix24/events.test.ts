import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AuthError } from '../../../sdk/index.js'
import { parseEvent } from '../../../adapters/bitrix24/index.js'

const body = readFileSync(new URL('../../fixtures/bitrix24/event.oncrmleadadd.form-urlencoded.txt', import.meta.url), 'utf8').trim()
const token = '9c41f0e2d7b35a6c8e1f2a3b4c5d6e7f'

describe('Bitrix24 outbound events', () => {
  it('parses a form-encoded ONCRMLEADADD into a typed event', () => {
    expect(parseEvent(body, token)).toEqual({
      event: 'ONCRMLEADADD', entity: 'lead', action: 'add', id: '1187', entityTypeId: null, handlerId: '707', ts: 1772604630,
      memberId: '5b0e3a7c9d1f24e86a0b3c5d7e9f1a2b', domain: 'example.bitrix24.com',
      accessToken: 'a7d2b1660079c2b40071e0b200000006d0f107e1c3a5b7d9f1e3c5a7b9d1f3e5a7c9e1',
    })
  })

  it('parses smart-process events with their type suffix', () => {
    const e = parseEvent(`event=ONCRMDYNAMICITEMUPDATE_1032&data[FIELDS][ID]=5&auth[application_token]=${token}`, token)
    expect(e).toMatchObject({ entity: 'dynamic', action: 'update', id: '5', entityTypeId: 1032 })
  })

  it('rejects an event whose application_token does not match', () => {
    expect(() => parseEvent(body, 'another-token')).toThrow(AuthError)
    expect(() => parseEvent('event=ONCRMLEADADD&data[FIELDS][ID]=1', token)).toThrow(AuthError)
  })
})
