/**
 * `npm start`: the emulated amoCRM account on a local port, seeded with a realistic demo company,
 * ready for the SDK, curl or any HTTP client. (The widgets issue grows this into the full sandbox.)
 */
import { parseArgs } from 'node:util'
import { createAmoCrmEmulator } from 'crmkit/amocrm/testing'
import { serveHandlers } from 'crmkit/node'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    seed: { type: 'string', default: '1' },
    deals: { type: 'string', default: '5000' },
    latency: { type: 'string', default: '40' },
    'exit-after-ready': { type: 'boolean', default: false },
  },
})

const deals = Number(args.deals)
const emulator = createAmoCrmEmulator({
  subdomain: 'demo',
  seed: Number(args.seed),
  size: { deals, contacts: Math.ceil(deals * 0.6), companies: Math.ceil(deals / 20), users: 12 },
  latencyMs: { min: Number(args.latency) / 2, max: Number(args.latency) * 1.5 },
})
const server = await serveHandlers(emulator.handlers, { port: Number(args.port), rewriteOrigin: emulator.baseUrl })
const url = server.url
const token = emulator.longLivedToken
const counts = `${emulator.db.leads.size} deals, ${emulator.db.contacts.size} contacts, ${emulator.db.companies.size} companies, ${emulator.db.users.size} users`

console.log(`
crmkit sandbox — emulated amoCRM account "demo" (${counts})

  API base URL  ${url}/api/v4
  OAuth client  id=${emulator.oauth.clientId} redirect=${emulator.oauth.redirectUri}
  Limits        7 requests/s like a real account: a burst gets 429, repeated abuse a 403 block

Point any client at it (the token is a long-lived token of the demo account):

  export AMOCRM_BASE_URL=${url}
  export AMOCRM_TOKEN=${token}

  curl -s -H "Authorization: Bearer $AMOCRM_TOKEN" "$AMOCRM_BASE_URL/api/v4/leads?limit=2&with=contacts"
  npm run example:export-deals -- --format csv --out deals.csv

  // TypeScript
  const crm = createCrm(amocrm({ baseUrl: process.env.AMOCRM_BASE_URL, auth: { kind: 'long-lived-token', token: process.env.AMOCRM_TOKEN! } }))
  for await (const deal of crm.deals.list()) console.log(deal.title, deal.amount, deal.outcome, deal.source.utm.campaign)

Data lives in memory and is re-seeded identically (seed ${args.seed}) on every start. Ctrl+C stops.
sandbox ready: ${url}
`)

if (args['exit-after-ready']) {
  await server.close()
} else {
  const stop = async () => {
    await server.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
