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

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    seed: { type: 'string', default: '1' },
    deals: { type: 'string', default: '5000' },
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
const sandbox = await startSandbox({
  port: Number(args.port),
  seed: Number(args.seed),
  deals: Number(args.deals),
  latencyMs: Number(args.latency),
  lang: args.lang,
  ...(args.state ? { stateFile: args.state } : {}),
})
const { url, amocrm } = sandbox
const token = amocrm.longLivedToken
const counts = `${amocrm.db.leads.size} deals, ${amocrm.db.contacts.size} contacts, ${amocrm.db.companies.size} companies, ${amocrm.db.users.size} users`

console.log(`
crmkit sandbox — open ${url}/ in a browser

  amoCRM page     ${url}/amocrm/   (the real widget.zip contents, loaded through an AMD loader)
  amoCRM API      ${url}/api/v4    emulated account "demo": ${counts}
  OAuth client    id=${amocrm.oauth.clientId} redirect=${amocrm.oauth.redirectUri}
  Limits          7 requests/s like a real account: a burst gets 429, repeated abuse a 403 block

Point any client at it (the token is a long-lived token of the demo account):

  export AMOCRM_BASE_URL=${url}
  export AMOCRM_TOKEN=${token}

  curl -s -H "Authorization: Bearer $AMOCRM_TOKEN" "$AMOCRM_BASE_URL/api/v4/leads?limit=2&with=contacts"
  npm run example:export-deals -- --format csv --out deals.csv

  // TypeScript
  const crm = createCrm(amocrm({ baseUrl: process.env.AMOCRM_BASE_URL, auth: { kind: 'long-lived-token', token: process.env.AMOCRM_TOKEN! } }))
  for await (const deal of crm.deals.list()) console.log(deal.title, deal.amount, deal.outcome, deal.source.utm.campaign)

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
