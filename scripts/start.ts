/**
 * `npm start`: the sandbox. Emulated CRM accounts seeded with a demo company, and host pages that
 * load the real built widget packages the way each CRM does. Open the printed URL in a browser.
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildWidgets } from './build-widgets.js'
import { startSandbox } from './sandbox/server.js'
import { proxyTargetsFromEnv } from './sandbox/proxy.js'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    seed: { type: 'string', default: '1' },
    deals: { type: 'string', default: '20000' },
    latency: { type: 'string', default: '40' },
    lang: { type: 'string', default: 'ru' },
    state: { type: 'string', default: '.crmkit/sandbox-state.json' },
    fresh: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    'exit-after-ready': { type: 'boolean', default: false },
  },
})

if (!args['skip-build'] || !existsSync(resolve(import.meta.dirname, '../dist/amocrm/widget/script.js'))) {
  process.stdout.write('Building the widget packages… ')
  await buildWidgets()
  process.stdout.write('done\n')
}

if (args.fresh) await rm(resolve(args.state!), { force: true })
const started = Date.now()
const proxy = proxyTargetsFromEnv()
const sandbox = await startSandbox({
  proxy,
  port: Number(args.port),
  seed: Number(args.seed),
  deals: Number(args.deals),
  latencyMs: Number(args.latency),
  lang: args.lang,
  ...(args.state ? { stateFile: args.state } : {}),
})
const { url, amocrm, bitrix24, creatio, modes } = sandbox
const counts = `${amocrm.db.leads.size} deals, ${amocrm.db.contacts.size} contacts, ${amocrm.db.companies.size} companies, ${amocrm.db.users.size} users`
const mode = (crm: keyof typeof modes, real: string) => (modes[crm] === 'proxy' ? `PROXY → ${real} (credential added server-side)` : 'emulated')

console.log(`
crmkit sandbox — open ${url}/ in a browser (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  amoCRM page      ${sandbox.pages.amocrm}     the real widget.zip contents through an AMD loader   [${mode('amocrm', proxy.amocrm?.baseUrl ?? '')}]
  Bitrix24 page    ${sandbox.pages.bitrix24}   the app framed with a POST of placement auth          [${mode('bitrix24', proxy.bitrix24 ? new URL(proxy.bitrix24.webhookUrl).host : '')}]
  Bitrix24 card    ${url}/bitrix24/?page=deal&id=5001   the deal card tab (CRM_DEAL_DETAIL_TAB)
  Creatio page     ${sandbox.pages.creatio}    custom elements registered on a Freedom UI-like page  [${mode('creatio', proxy.creatio?.siteUrl ?? '')}]
  Creatio page     ${url}/creatio/files/index.html   the full-page variant

  amoCRM API       ${url}/api/v4    emulated account "demo": ${counts}
  Bitrix24 API     ${url}/rest/     ${bitrix24.db.table(2).size} deals, ${bitrix24.db.table(1).size} leads; webhook ${bitrix24.webhookUrl.replace(/^https:\/\/[^/]+/, url)}
  Creatio API      ${url}/0/odata   ${creatio.db.rows('Opportunity').length} opportunities, ${creatio.db.rows('Lead').length} leads; login ${creatio.credentials.userName} / ${creatio.credentials.password}
  OAuth (amoCRM)   id=${amocrm.oauth.clientId} redirect=${amocrm.oauth.redirectUri}
  Limits           like real accounts: amoCRM 7 requests/s (429, then a 403 block), Bitrix24 leaky bucket 2/s burst 50

Point any client at it (the token is a long-lived token of the demo account):

  export AMOCRM_BASE_URL=${url}
  export AMOCRM_TOKEN=${amocrm.longLivedToken}

  curl -s -H "Authorization: Bearer $AMOCRM_TOKEN" "$AMOCRM_BASE_URL/api/v4/leads?limit=2&with=contacts"
  npm run example:export-deals -- --format csv --out deals.csv

  // TypeScript
  const crm = createCrm(amocrm({ baseUrl: process.env.AMOCRM_BASE_URL, auth: { kind: 'long-lived-token', token: process.env.AMOCRM_TOKEN! } }))
  for await (const deal of crm.deals.list()) console.log(deal.title, deal.amount, deal.outcome, deal.source.utm.campaign)

Proxy a real account instead of an emulator: AMOCRM_SUBDOMAIN + AMOCRM_TOKEN, BITRIX24_WEBHOOK_URL,
or CREATIO_URL + CREATIO_USER + CREATIO_PASSWORD.
Edits are kept in ${sandbox.stateFile ?? '(memory only)'} across restarts; --fresh re-seeds (seed ${args.seed}). Ctrl+C stops.
sandbox ready: ${url}
`)

if (args['exit-after-ready']) {
  await sandbox.close()
} else {
  const stop = async () => {
    await sandbox.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
