// Imports every subpath export of the built package the way Node resolves it for an npm user (no
// 'source' condition, so dist/ and never the TypeScript sources), and runs one real read against
// each CRM's emulator. Tests and tsx always read the sources; this is what checks what we ship.
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const names = Object.keys(pkg.exports).filter((k) => k !== './package.json')
for (const sub of names) {
  const spec = sub === '.' ? 'crmkit' : `crmkit/${sub.slice(2)}`
  const mod = await import(spec)
  const url = import.meta.resolve(spec)
  if (!url.includes('/dist/')) throw new Error(`${spec} resolved to ${url}, not to dist/`)
  if (Object.keys(mod).length === 0) throw new Error(`${spec} exports nothing`)
}

const { createCrm } = await import('crmkit')
const reads = {
  amocrm: async () => {
    const { amocrm } = await import('crmkit/amocrm')
    const { setupAmoCrmEmulator } = await import('crmkit/amocrm/testing/node')
    const emu = setupAmoCrmEmulator({ seed: 1, size: { deals: 30, contacts: 10, companies: 2 } })
    const crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }))
    return [crm, emu]
  },
  bitrix24: async () => {
    const { bitrix24 } = await import('crmkit/bitrix24')
    const { setupBitrix24Emulator } = await import('crmkit/bitrix24/testing/node')
    const emu = setupBitrix24Emulator({ seed: 1, size: { deals: 30, leads: 10, contacts: 10, companies: 2 } })
    return [createCrm(bitrix24({ auth: { kind: 'webhook', url: emu.emulator.webhookUrl } })), emu]
  },
  creatio: async () => {
    const { creatio } = await import('crmkit/creatio')
    const { setupCreatioEmulator } = await import('crmkit/creatio/testing/node')
    const emu = setupCreatioEmulator({ seed: 1, size: { deals: 30, leads: 10, contacts: 10, accounts: 2 } })
    return [createCrm(creatio({ siteUrl: emu.emulator.siteUrl, auth: { kind: 'cookie', ...emu.emulator.credentials } })), emu]
  },
}
for (const [name, open] of Object.entries(reads)) {
  const [crm, emu] = await open()
  const deals = await crm.deals.list().toArray()
  await crm.close()
  emu.close()
  if (deals.length !== 30) throw new Error(`${name}: read ${deals.length} deals from the built package, expected 30`)
}
console.log(`dist smoke: ${names.length} subpath exports import from dist/; amoCRM, Bitrix24 and Creatio read 30 deals each`)
