import { readFile, readdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createBitrix24Emulator } from '../../adapters/bitrix24/testing/index.js'
import { createCreatioEmulator } from '../../adapters/creatio/testing/index.js'

// test/global-setup.ts has built dist/ for this run. What the Bitrix24 and Creatio hosts ship:
// the pages and scripts, and no credential of any kind.
const dist = resolve(import.meta.dirname, '../../dist')
const jsOf = async (dir: string) => {
  const names = (await readdir(resolve(dist, dir))).filter((n) => n.endsWith('.js'))
  return Promise.all(names.map(async (n) => [n, await readFile(resolve(dist, dir, n), 'utf8')] as const))
}

describe('Bitrix24 and Creatio packages', () => {
  it('Bitrix24: index.html (full page, install) and placement.html (card tabs) load the app script', async () => {
    for (const page of ['index.html', 'placement.html']) {
      const html = await readFile(resolve(dist, 'bitrix24', page), 'utf8')
      expect(html, page).toContain('<script src="crmkit-bitrix24.js"></script>')
      expect(html, page).toContain('id="crmkit-root"')
    }
  })

  it('Creatio: one UMD script defining the elements, and the full page', async () => {
    const code = await readFile(resolve(dist, 'creatio/crmkit-creatio.js'), 'utf8')
    expect(code).toMatch(/define\.amd/) // UMD: RequireJS or a plain script
    expect(code).toContain('crmkit-marketing-card')
    expect(await readFile(resolve(dist, 'creatio/index.html'), 'utf8')).toContain('<crmkit-marketing id="crmkit-page">')
  })

  it('no secret, token or password in any file of either package', async () => {
    const bx = createBitrix24Emulator()
    const cr = createCreatioEmulator()
    const secrets = [bx.oauth.clientSecret, bx.applicationToken, new URL(bx.webhookUrl).pathname.split('/')[3]!, cr.credentials.password, cr.oauth.clientSecret]
    for (const dir of ['bitrix24', 'creatio']) {
      for (const [name, code] of await jsOf(dir)) {
        for (const s of secrets) expect(code.includes(s), `${dir}/${name}`).toBe(false)
        expect(code, `${dir}/${name}`).not.toMatch(/client_secret["']?\s*[:=]\s*["'][A-Za-z0-9]{16,}/)
        expect(code, `${dir}/${name}`).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/)
        expect(code, `${dir}/${name}`).not.toMatch(/\/rest\/\d+\/[a-z0-9]{8,}\//) // an inbound webhook URL
      }
    }
  })

  it('every host bundle runs on the browser platform: fetch and the small scheduler, neither axios nor bottleneck', async () => {
    for (const dir of ['amocrm/widget', 'bitrix24', 'creatio', 'standalone']) {
      const all = (await jsOf(dir)).map(([, code]) => code).join('\n')
      // Strings each library carries in its minified code, and that ours never contain.
      expect(all, dir).not.toMatch(/AxiosError|ERR_BAD_RESPONSE|dropped by Bottleneck|An Emitter already exists/)
    }
    const withSdk = (await jsOf('bitrix24')).map(([, code]) => code).join('\n')
    expect(withSdk).toMatch(/credentials:[\w.$]+\?"include":"same-origin"/) // fetch-transport.ts
  })

  it("the calendar's first load carries no budgets or attribution strings, CSS or channel rules: they come with their tabs", async () => {
    for (const [dir, entry] of [['bitrix24', 'crmkit-bitrix24.js'], ['creatio', 'crmkit-creatio.js'], ['amocrm/widget', 'script.js']] as const) {
      const files = await jsOf(dir)
      const first = files.filter(([n]) => n === entry || n.startsWith('tab-calendar.')).map(([, c]) => c).join('\n')
      const rest = files.map(([, c]) => c).join('\n')
      for (const marker of ['Бюджеты кампаний', 'Атрибуция источников', '.ck-touch__credit', '.ck-spend-form', 'yandex.direct']) {
        expect(first.includes(marker), `${dir}: ${marker} in the first load`).toBe(false)
        expect(rest.includes(marker), `${dir}: ${marker} somewhere in the package`).toBe(true)
      }
    }
  })
})
