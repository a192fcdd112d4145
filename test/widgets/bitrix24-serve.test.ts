import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Window } from 'happy-dom'
import { bitrix24AppHandler } from '../../widgets/hosts/bitrix24/serve.js'
import { readPostedFields } from '../../widgets/hosts/bitrix24/posted.js'

// Bitrix24 POSTs the placement auth to the handler URL: the Node handler answers POST, echoes only
// the known fields into the page as inert JSON, and the app reads them back.
let server: Server
let url: string

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crmkit-b24-'))
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>')
  await writeFile(join(dir, 'app.js'), 'console.log(1)')
  const app = bitrix24AppHandler({ dir, basePath: '/b24/' })
  server = createServer((req, res) => void app(req, res).then((done) => done || res.writeHead(404).end()))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const post = (path: string, form: Record<string, string>) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) })

describe('Bitrix24 app handler (Node)', () => {
  it('answers the POST Bitrix24 makes and echoes the placement fields the app reads back', async () => {
    const res = await post('/b24/index.html?DOMAIN=acme.bitrix24.ru&PROTOCOL=1&LANG=en&APP_SID=s1', {
      AUTH_ID: 'a1', AUTH_EXPIRES: '3600', REFRESH_ID: 'r1', member_id: 'm1', PLACEMENT: 'CRM_DEAL_DETAIL_TAB', PLACEMENT_OPTIONS: '{"ID":"42"}', APPLICATION_TOKEN: 'secret-app-token',
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    expect(html).not.toContain('secret-app-token') // not a field the page needs
    const window = new Window()
    window.document.write(html)
    expect(readPostedFields(window.document as unknown as Document)).toEqual({
      AUTH_ID: 'a1', AUTH_EXPIRES: '3600', REFRESH_ID: 'r1', member_id: 'm1', PLACEMENT: 'CRM_DEAL_DETAIL_TAB', PLACEMENT_OPTIONS: '{"ID":"42"}',
      DOMAIN: 'acme.bitrix24.ru', PROTOCOL: '1', LANG: 'en', APP_SID: 's1',
    })
  })

  it('a crafted field cannot close the JSON script element', async () => {
    const evil = '{"ID":"</script><script>alert(1)</script>"}'
    const html = await (await post('/b24/', { AUTH_ID: 'a', member_id: 'm', PLACEMENT_OPTIONS: evil })).text()
    expect(html).not.toContain('<script>alert(1)')
    expect(html.match(/<script/g)).toHaveLength(1)
    const window = new Window()
    window.document.write(html)
    expect(readPostedFields(window.document as unknown as Document)?.PLACEMENT_OPTIONS).toBe(evil)
  })

  it('GET serves the page without a block; POST to a script is 405; paths stay inside the app folder', async () => {
    expect(await (await fetch(`${url}/b24/index.html`)).text()).not.toContain('crmkit-bitrix24-post')
    expect((await post('/b24/app.js', { AUTH_ID: 'a' })).status).toBe(405)
    expect((await fetch(`${url}/b24/app.js`)).headers.get('content-type')).toMatch(/javascript/)
    expect((await fetch(`${url}/b24/%2e%2e/%2e%2e/etc/passwd`)).status).toBeGreaterThanOrEqual(403)
    expect((await fetch(`${url}/other`)).status).toBe(404)
  })
})
