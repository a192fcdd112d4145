import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { createCrm, defaultTransport, money, type Transport } from '../../../sdk/index.js'
import { creatio } from '../../../adapters/creatio/index.js'
import { setupCreatioEmulator, type SiteVariant } from '../../../adapters/creatio/testing/node.js'

/**
 * The OpenAPI spec documents every operation the adapter sends: a client drives each collection
 * through the emulator and every OData request — `$batch` sub-requests included — must be a path
 * and method of the generated types. Site-specific `Usr*` lookups are the site's own, not the spec's.
 */
const generated = readFileSync(new URL('../../../adapters/creatio/generated/api.ts', import.meta.url), 'utf8')
const documented = new Set<string>()
{
  const paths = generated.slice(generated.indexOf('export interface paths {'), generated.indexOf('export type webhooks'))
  for (const block of paths.split(/\n {4}"/).slice(1)) {
    const path = block.slice(0, block.indexOf('"'))
    for (const m of block.matchAll(/^ {8}(get|post|patch|delete|put): operations\[/gm)) documented.add(`${m[1]!.toUpperCase()} ${path}`)
  }
}

const ROOT = '/0/odata/'
/** `Lead?$select=…` → `/Lead`, `Lead(guid)` → `/Lead({id})`. */
function operation(method: string, rel: string): string | null {
  const path = decodeURIComponent(rel.split('?')[0]!)
  if (/^Usr/.test(path)) return null
  return `${method} /${path.replace(/\([0-9a-f-]{36}\)$/i, '({id})')}`
}

let cleanup: (() => Promise<void>) | null = null
afterEach(async () => {
  await cleanup?.()
  cleanup = null
})

async function exercise(site: SiteVariant): Promise<Set<string>> {
  const s = setupCreatioEmulator({ seed: 3, size: { deals: 12, leads: 12, contacts: 8, accounts: 3 }, site }, { onUnhandledRequest: 'error' })
  const e = s.emulator
  const used = new Set<string>()
  const record: Transport = (r) => {
    const u = new URL(r.url)
    if (u.pathname.startsWith(ROOT)) {
      const rel = `${u.pathname.slice(ROOT.length)}${u.search}`
      const op = operation(r.method, rel)
      if (op) used.add(op)
      if (rel === '$batch' && r.body) {
        for (const sub of (JSON.parse(r.body) as { requests: { method: string; url: string }[] }).requests) {
          const subOp = operation(sub.method, sub.url)
          if (subOp) used.add(subOp)
        }
      }
    }
    return defaultTransport(r)
  }
  const crm = createCrm(creatio({ siteUrl: e.siteUrl, auth: { kind: 'cookie', ...e.credentials } }), {
    transport: record,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    rateLimit: { requestsPerSecond: 500, maxConcurrent: 4 },
  })
  cleanup = async () => {
    await crm.close()
    s.close()
  }
  await crm.setup()
  const owner = (await crm.users.list().toArray())[0]!
  await crm.users.get(owner.id)
  await crm.pipelines.list().toArray()
  for (const entity of ['leads', 'deals', 'contacts', 'companies', 'campaigns', 'spend'] as const) await crm.fields.list(entity)
  const records = {
    leads: [{ title: 'L1' }, { title: 'L2' }],
    deals: [{ title: 'D1' }, { title: 'D2' }],
    contacts: [{ name: 'C1' }, { name: 'C2' }],
    companies: [{ name: 'A1' }, { name: 'A2' }],
  }
  for (const name of ['leads', 'deals', 'contacts', 'companies'] as const) {
    const col = crm[name] as unknown as {
      list(q: object): { toArray(): Promise<{ id: string }[]> }
      get(id: string): Promise<unknown>
      create(i: object): Promise<{ id: string }>
      createMany(i: object[]): Promise<unknown>
      update(id: string, p: object): Promise<unknown>
      updateMany(u: { id: string; patch: object }[]): Promise<unknown>
      delete(id: string): Promise<void>
    }
    await col.list({ ownerIds: [owner.id] }).toArray()
    const [first] = await col.list({}).toArray()
    await col.get(first!.id)
    const [a, b] = records[name]
    const one = await col.create(a!)
    await col.createMany([b!, { ...b! }])
    await col.update(one.id, a!)
    await col.updateMany([{ id: one.id, patch: b! }, { id: one.id, patch: a! }])
    await col.delete(one.id)
  }
  const days = { startsAt: new Date('2026-05-01T00:00:00Z'), endsAt: new Date('2026-05-31T00:00:00Z') }
  const c = await crm.campaigns.create({ name: 'Spec', ...days })
  await crm.campaigns.createMany([{ name: 'Spec 2', ...days }, { name: 'Spec 3', ...days }])
  await crm.campaigns.update(c.id, { name: 'Spec 1' })
  await crm.campaigns.get(c.id)
  await crm.campaigns.list({ ownerIds: [owner.id] }).toArray()
  const spend = await crm.spend.create({ campaignId: c.id, date: new Date('2026-05-02T00:00:00Z'), amount: money('10', 'RUB'), kind: 'actual' })
  await crm.spend.createMany([1, 2].map((n) => ({ campaignId: c.id, date: new Date('2026-05-03T00:00:00Z'), amount: money(String(n), 'RUB'), kind: 'committed' as const })))
  await crm.spend.update(spend.id, { amount: money('12', 'RUB') })
  await crm.spend.list().toArray()
  await crm.spend.get(spend.id)
  await crm.spend.delete(spend.id)
  await crm.campaigns.delete(c.id)
  return used
}

describe('Creatio OpenAPI spec', () => {
  it.each<[string, SiteVariant]>([
    ['with Marketing plans', {}],
    ['without Marketing plans', { marketingPlans: false }],
  ])('documents every OData operation the adapter sends (%s)', async (_name, site) => {
    const used = await exercise(site)
    expect([...used].filter((op) => !documented.has(op)).sort()).toEqual([])
    // Not vacuous: writes, lookups and the site-dependent sets were all exercised.
    for (const op of ['GET /$metadata', 'POST /$batch', 'DELETE /Opportunity({id})', 'PATCH /Contact({id})', 'GET /Account({id})', 'GET /QualifyStatus', 'GET /LeadType', 'DELETE /Event({id})']) expect(used).toContain(op)
    if (site.marketingPlans === false) expect(used).toContain('POST /Campaign')
    else for (const op of ['POST /CampaignPlanner', 'GET /CampaignPlanner', 'PATCH /MktgActivity({id})', 'GET /MktgActivityStatus']) expect(used).toContain(op)
  })
})
