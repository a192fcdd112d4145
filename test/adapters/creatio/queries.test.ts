import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { ValidationError, createCrm, type Deal } from '../../../sdk/index.js'
import { creatio, odata, type CreatioDrivers } from '../../../adapters/creatio/index.js'
import { errorEnvelope, setupCreatioEmulator, type CreatioEmulatorOptions } from '../../../adapters/creatio/testing/node.js'

let cleanup: (() => Promise<void>) | null = null
afterEach(async () => {
  await cleanup?.()
  cleanup = null
})

/** A client over the emulator, plus the drivers it built (for `count()`, which the Crm does not expose). */
function start(o: CreatioEmulatorOptions = {}) {
  const s = setupCreatioEmulator({ seed: 5, size: { deals: 60, leads: 30, contacts: 20, accounts: 5 }, ...o }, { onUnhandledRequest: 'error' })
  const e = s.emulator
  const adapter = creatio({ siteUrl: e.siteUrl, auth: { kind: 'cookie', ...e.credentials } })
  let drivers!: CreatioDrivers
  const crm = createCrm({ ...adapter, drivers: (env) => (drivers = adapter.drivers(env) as CreatioDrivers) }, {
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    rateLimit: { requestsPerSecond: 500, maxConcurrent: 4 },
  })
  cleanup = async () => {
    await crm.close()
    s.close()
  }
  return { ...s, crm, drivers }
}

/** Well-formed GUIDs no row has, to push a filter list past one `or` chunk. */
const unknownIds = (n: number) => Array.from({ length: n }, (_, i) => `0b8f7c1e-5d2a-4c3b-9e6f-${(i + 1).toString(16).padStart(12, '0')}`)
const ids = (deals: Deal[]) => deals.map((d) => d.id)

describe('Creatio list filters beyond one or-chain', () => {
  it('splits more than 50 stageIds into chunked queries whose results follow one another in order', async () => {
    const { crm, emulator } = start()
    const stages = [...new Set(emulator.db.rows('Opportunity').map((r) => String(r['StageId'])))]
    const [a, b] = stages
    // a in the first chunk of 50, b in the second.
    const stageIds = [a!, ...unknownIds(60).slice(0, 55), b!, ...unknownIds(60).slice(55)]
    const expected = [...ids(await crm.deals.list({ stageIds: [a!] }).toArray()), ...ids(await crm.deals.list({ stageIds: [b!] }).toArray())]
    expect(expected.length).toBeGreaterThan(7)
    const from = emulator.log.length
    // Pages of 7 cut across the boundary between the two chunks.
    const pages: string[][] = []
    for await (const page of crm.deals.list({ stageIds, pageSize: 7 }).pages()) pages.push(ids(page))
    expect(pages.flat()).toEqual(expected)
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true)
    const sent = emulator.log.slice(from).filter((r) => r.path.startsWith('/0/odata/Opportunity?')).map((r) => decodeURIComponent(r.path))
    // One count per chunk ($count=true&$top=0), then pages; no chain longer than 50.
    expect(sent.filter((p) => p.includes('$count=true') && p.includes('$top=0'))).toHaveLength(2)
    expect(Math.max(...sent.map((p) => (p.match(/Stage\/Id eq/g) ?? []).length))).toBe(50)
  })

  it('splits more than 50 ownerIds too, combined with stages and ids', async () => {
    const { crm, emulator } = start()
    const rows = emulator.db.rows('Opportunity')
    const owners = [...new Set(rows.map((r) => String(r['OwnerId'])))]
    expect(owners.length).toBeGreaterThan(1)
    const ownerIds = [...unknownIds(70).slice(0, 3), owners[0]!, ...unknownIds(70).slice(3), ...owners.slice(1)]
    const all = await crm.deals.list({ ownerIds }).toArray()
    expect(all.map((d) => d.id).sort()).toEqual(rows.map((r) => String(r['Id'])).sort())
    const stage = String(rows[0]!['StageId'])
    const stageIds = [...unknownIds(51), stage]
    const both = await crm.deals.list({ ownerIds, stageIds, pageSize: 5 }).toArray()
    expect(both.map((d) => d.id).sort()).toEqual(rows.filter((r) => r['StageId'] === stage).map((r) => String(r['Id'])).sort())
    // With ids each page is one id chunk, split by the stage and owner chunks.
    const some = rows.slice(0, 20).map((r) => String(r['Id']))
    const picked = await crm.deals.list({ ids: some, stageIds, ownerIds, pageSize: 8 }).toArray()
    expect(picked.map((d) => d.id).sort()).toEqual(rows.slice(0, 20).filter((r) => r['StageId'] === stage).map((r) => String(r['Id'])).sort())
  })

  it('refuses non-GUID stageIds and ownerIds with a ValidationError naming the field, before any request', async () => {
    const { crm, emulator } = start()
    const stage = String(emulator.db.rows('OpportunityStage')[0]!['Id'])
    const before = emulator.log.length
    const err = await crm.deals.list({ stageIds: [stage, 'WON'] }).toArray().catch((x: unknown) => x)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).issues[0]!.path).toEqual(['stageIds', 1])
    expect((err as Error).message).toContain('stageIds')
    const err2 = await crm.contacts.list({ ownerIds: ['42'] }).toArray().catch((x: unknown) => x)
    expect(err2).toBeInstanceOf(ValidationError)
    expect((err2 as ValidationError).issues[0]!.path).toEqual(['ownerIds', 0])
    expect(emulator.log.length).toBe(before)
  })
})

describe('Creatio drivers.count()', () => {
  it('counts with $count=true&$top=0, filtered or not, without reading rows', async () => {
    const { drivers, emulator } = start()
    const leads = emulator.db.rows('Lead')
    expect(await drivers.count('Lead')).toBe(leads.length)
    const owner = String(leads[0]!['OwnerId'])
    expect(await drivers.count('Lead', odata.cmp('Owner', 'eq', { guid: owner }, { lookup: true }))).toBe(leads.filter((r) => r['OwnerId'] === owner).length)
    expect(await drivers.count('Opportunity', 'false')).toBe(0)
    const counts = emulator.log.filter((r) => r.path.startsWith('/0/odata/Lead?') || r.path.startsWith('/0/odata/Opportunity?'))
    expect(counts).toHaveLength(3)
    for (const r of counts) expect(new URL(r.path, 'http://x').searchParams.get('$count')).toBe('true')
    for (const r of counts) expect(new URL(r.path, 'http://x').searchParams.get('$top')).toBe('0')
  })
})

describe('Creatio standard deal columns as custom fields', () => {
  it('reads Probability, DueDate and LeadType, lists their definitions and writes them', async () => {
    const { crm, emulator } = start()
    const row = emulator.db.rows('Opportunity')[0]!
    const deal = await crm.deals.get(String(row['Id']))
    expect(deal.customFields['Probability']).toMatchObject({ kind: 'number', value: row['Probability'] })
    expect(deal.customFields['DueDate']).toMatchObject({ kind: 'datetime', value: new Date(String(row['DueDate'])) })
    const need = emulator.db.find('LeadType', String(row['LeadTypeId']))!
    expect(deal.customFields['LeadTypeId']).toMatchObject({ kind: 'enum', value: { id: need['Id'], value: need['Name'] } })
    const defs = await crm.fields.list('deals')
    expect(defs.filter((d) => ['Probability', 'DueDate', 'LeadTypeId'].includes(d.id)).map((d) => d.name)).toEqual(['Probability, %', 'Expected close date', 'Customer need'])
    const other = emulator.db.rows('LeadType').find((r) => r['Id'] !== need['Id'])!
    const created = await crm.deals.create({ title: 'Forecast', customFields: { Probability: 35, DueDate: new Date('2026-09-30T00:00:00Z'), LeadType: String(other['Id']) } })
    expect(emulator.db.find('Opportunity', created.id)).toMatchObject({ Probability: 35, LeadTypeId: other['Id'] })
    expect(created.customFields['DueDate']).toMatchObject({ value: new Date('2026-09-30T00:00:00Z') })
    const updated = await crm.deals.update(created.id, { customFields: { Probability: 80 } })
    expect(updated.customFields['Probability']).toMatchObject({ value: 80 })
  })
})

describe('Creatio duplicate keys', () => {
  it('does not take a unique-index refusal of a create for its own earlier write', async () => {
    const { crm, emulator, server } = start()
    const before = emulator.db.rows('Contact').length
    server.use(
      http.post(`${emulator.siteUrl}/0/odata/Contact`, () =>
        HttpResponse.json(errorEnvelope('An error has occurred.', "Cannot insert duplicate key row in object 'dbo.Contact' with unique index 'IUContactEmail'. The duplicate key value is (twin@example.com)."), { status: 500 }),
      ),
    )
    const err = await crm.contacts.create({ name: 'Twin', emails: ['twin@example.com'] }).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).code).toBe('constraint_violation')
    expect((err as ValidationError).detail).toContain('IUContactEmail')
    expect(emulator.db.rows('Contact').length).toBe(before)
  })
})
