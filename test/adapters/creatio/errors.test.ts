import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AuthError, PermissionError, ServerError, ValidationError, type HttpResponse } from '../../../sdk/index.js'
import { classifyCreatioError, classifyCreatioSuccess, errorText } from '../../../adapters/creatio/errors.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/creatio/${name}`, import.meta.url), 'utf8')) as unknown
const res = (status: number, data: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  data,
  text: typeof data === 'string' ? data : JSON.stringify(data),
})
const req = { method: 'GET' as const, path: '/0/odata/Lead', kind: 'read' as const }

describe('Creatio errors', () => {
  it('digs the cause out of the nested innererror / internalexception', () => {
    const text = errorText(fixture('odata-error-500-ram-limit.json'))
    expect(text).toContain('RAM consumption limit of 2000 MB')
    expect(text).toContain("'ObjectContent`1' type failed to serialize")
    expect(text).not.toMatch(/^An error has occurred/)
    const { error, notApplied } = classifyCreatioError(res(500, fixture('odata-error-500-ram-limit.json')), req)
    expect(error).toBeInstanceOf(ServerError)
    expect(error.detail).toContain('RAM consumption limit')
    expect(notApplied).toBe(false)
  })

  it('turns SQL constraint failures into a ValidationError that applied nothing', () => {
    const body = { error: { code: '', message: 'An error has occurred.', innererror: { message: 'x', internalexception: { message: 'The INSERT statement conflicted with the FOREIGN KEY constraint "FK1".' } } } }
    const { error, notApplied } = classifyCreatioError(res(500, body), { ...req, method: 'POST', kind: 'write' })
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.code).toBe('constraint_violation')
    expect(notApplied).toBe(true)
    const dup = classifyCreatioError(res(500, { error: { message: "Violation of PRIMARY KEY constraint 'PKLeadId'." } }), req)
    expect(dup.error.code).toBe('duplicate_key')
  })

  it('calls only a taken primary key (Id) a duplicate: a unique index on other columns is a real refusal', () => {
    const post = { ...req, method: 'POST' as const, kind: 'write' as const }
    const code = (message: string) => classifyCreatioError(res(500, { error: { message: 'An error has occurred.', innererror: { message } } }), post).error.code
    expect(code("Violation of PRIMARY KEY constraint 'PKContactId'. Cannot insert duplicate key in object 'dbo.Contact'. The duplicate key value is (4c1f…).")).toBe('duplicate_key')
    expect(code('duplicate key value violates unique constraint "PKContact"')).toBe('duplicate_key')
    expect(code('duplicate key value violates unique constraint "Contact_pkey"')).toBe('duplicate_key')
    expect(code('23505: duplicate key value violates unique constraint "PK_Contact_Id" DETAIL: Key ("Id")=(4c1f…) already exists.')).toBe('duplicate_key')
    const unique = classifyCreatioError(
      res(500, { error: { message: 'An error has occurred.', innererror: { message: "Cannot insert duplicate key row in object 'dbo.Contact' with unique index 'IUContactEmail'. The duplicate key value is (a@b.c)." } } }),
      post,
    )
    expect(unique.error).toBeInstanceOf(ValidationError)
    expect(unique.error.code).toBe('constraint_violation')
    expect(unique.notApplied).toBe(true)
    expect(code('duplicate key value violates unique constraint "IUContactEmail" Key ("Email")=(a@b.c) already exists.')).toBe('constraint_violation')
    expect(code("Violation of UNIQUE KEY constraint 'UQAccountCode'. Cannot insert duplicate key in object 'dbo.Account'.")).toBe('constraint_violation')
  })

  it('explains a 403: BPMCSRF for JSON answers, the OData permission for HTML pages', () => {
    const json = classifyCreatioError(res(403, { error: { message: 'Access denied' } }), req).error
    expect(json).toBeInstanceOf(PermissionError)
    expect(json.message).toContain('BPMCSRF')
    const html = classifyCreatioError(res(403, '<html><body>Forbidden</body></html>', { 'content-type': 'text/html' }), req).error
    expect(html.message).toContain('CanUseODataService')
  })

  it('recognises the login page served with 200 as an expired session, and lets JSON through', () => {
    const page = classifyCreatioSuccess(res(200, '<!DOCTYPE html><html><body>login</body></html>', { 'content-type': 'text/html; charset=utf-8' }), req)
    expect(page?.error).toBeInstanceOf(AuthError)
    expect(page?.error.code).toBe('session_expired')
    expect(page?.notApplied).toBe(true)
    expect(classifyCreatioSuccess(res(200, { value: [] }, { 'content-type': 'application/json' }), req)).toBeNull()
    expect(classifyCreatioSuccess(res(204, undefined), req)).toBeNull()
    const redirect = classifyCreatioError(res(302, '', { location: '/Login/NuiLogin.aspx?ReturnUrl=%2f0%2fodata' }), req).error
    expect(redirect).toBeInstanceOf(AuthError)
  })
})
