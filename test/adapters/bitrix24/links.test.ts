import { afterEach, describe, expect, it } from 'vitest'
import { createCrm } from '../../../sdk/index.js'
import { CAMPAIGN_TYPE_TITLE, bitrix24 } from '../../../adapters/bitrix24/index.js'
import { ENTITY } from '../../../adapters/bitrix24/testing/index.js'
import { setupBitrix24Emulator, type Bitrix24EmulatorOptions } from '../../../adapters/bitrix24/testing/node.js'

const open: (() => void)[] = []
afterEach(() => {
  while (open.length) open.pop()!()
})
function start(options: Bitrix24EmulatorOptions) {
  const s = setupBitrix24Emulator({ seed: 9, rateLimit: false, ...options }, { onUnhandledRequest: 'error' })
  open.push(s.close)
  const crm = createCrm(bitrix24({ auth: { kind: 'webhook', url: s.emulator.webhookUrl } }), { rateLimit: { requestsPerSecond: 50, maxConcurrent: 2 } })
  open.push(() => void crm.close())
  return { ...s, crm }
}

describe('Bitrix24 lead → deal links', () => {
  it('finds every converted lead its earliest deal when the leads of a page have far more than 50 deals', async () => {
    const { crm, emulator } = start({ size: { deals: 0, leads: 60, contacts: 10, companies: 2 } })
    const converted = (await crm.leads.list().toArray()).filter((l) => l.status === 'converted').map((l) => l.id)
    expect(converted.length).toBeGreaterThanOrEqual(10)
    // The first lead has 60 deals before anyone else's; then every converted lead gets 4 more,
    // interleaved: 60 + 4 × n deals, and the first 50 by id all belong to one lead.
    const owners = [...Array<string>(60).fill(converted[0]!), ...Array.from({ length: 4 }, () => converted).flat()]
    const created = await crm.deals.createMany(owners.map((_, i) => ({ title: `Repeat order ${i}` })))
    expect(created.every((o) => o.ok)).toBe(true)
    const expected = new Map<string, string>()
    created.forEach((o, i) => {
      const id = o.ok ? o.record.id : ''
      emulator.db.table(ENTITY.deal).get(Number(id))!.leadId = Number(owners[i])
      if (!expected.has(owners[i]!)) expected.set(owners[i]!, id)
    })
    expect(owners.length).toBeGreaterThan(100)

    const leads = await crm.leads.list().toArray()
    for (const id of converted) expect(leads.find((l) => l.id === id)!.dealId).toBe(expected.get(id))
    expect(leads.filter((l) => l.status !== 'converted').every((l) => l.dealId === null)).toBe(true)
    const last = converted[converted.length - 1]!
    expect((await crm.leads.get(last)).dealId).toBe(expected.get(last))
  })
})

describe('Bitrix24 source.campaign ↔ the parent campaign', () => {
  it('reads the parent campaign’s name (else the utm campaign), and links a campaign named on write', async () => {
    const { crm, emulator } = start({ size: { deals: 40, leads: 20, contacts: 10, companies: 2 } })
    // Before setup() there is no campaign smart process: a campaign name is kept as utm_campaign.
    const early = await crm.deals.create({ title: 'Before setup', source: { campaign: 'Весна 2026' } })
    expect(early.source).toMatchObject({ campaign: 'Весна 2026', utm: { campaign: 'Весна 2026' } })

    await crm.setup()
    const type = emulator.db.types.find((t) => t.title === CAMPAIGN_TYPE_TITLE)!
    const parentField = `parentId${type.entityTypeId}`
    const spring = await crm.campaigns.create({ name: 'Весна 2026', utmCampaign: 'spring_2026', startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-05-31T00:00:00Z') })
    const autumn = await crm.campaigns.create({ name: 'Осень 2026', startsAt: new Date('2026-09-01T00:00:00Z'), endsAt: new Date('2026-11-30T00:00:00Z') })

    // By name (case-insensitive) or utm_campaign tag → the parent link, not a utm value.
    const deal = await crm.deals.create({ title: 'Named', source: { campaign: 'весна 2026', utm: { source: 'yandex' } } })
    expect(deal.source.campaign).toBe('Весна 2026')
    expect(deal.source.utm).toMatchObject({ source: 'yandex', campaign: null })
    expect(emulator.db.table(ENTITY.deal).get(Number(deal.id))![parentField]).toBe(Number(spring.id))
    const lead = await crm.leads.create({ title: 'Tagged', source: { campaign: 'spring_2026' } })
    expect(lead.source.campaign).toBe('Весна 2026')
    expect(emulator.db.table(ENTITY.lead).get(Number(lead.id))![parentField]).toBe(Number(spring.id))
    expect((await crm.leads.get(lead.id)).source.campaign).toBe('Весна 2026')

    // Linked by the portal's own UI (or another app): read on get and list.
    const seeded = [...emulator.db.table(ENTITY.deal).values()].find((d) => d.utmCampaign)!
    seeded[parentField] = Number(autumn.id)
    expect((await crm.deals.get(String(seeded.id))).source).toMatchObject({ campaign: 'Осень 2026', utm: { campaign: seeded.utmCampaign } })
    const listed = await crm.deals.list().toArray()
    expect(listed.find((d) => d.id === deal.id)!.source.campaign).toBe('Весна 2026')
    expect(listed.find((d) => d.id === String(seeded.id))!.source.campaign).toBe('Осень 2026')
    // No parent: the utm campaign, as before.
    const plain = listed.find((d) => d.id !== String(seeded.id) && d.id !== deal.id && d.source.utm.campaign)!
    expect(plain.source.campaign).toBe(plain.source.utm.campaign)

    // Renaming a campaign through crmkit shows on the next read; re-linking and unlinking work.
    await crm.campaigns.update(autumn.id, { name: 'Осень 2026 (продлена)' })
    expect((await crm.deals.get(String(seeded.id))).source.campaign).toBe('Осень 2026 (продлена)')
    const moved = await crm.deals.update(early.id, { source: { campaign: 'Осень 2026 (продлена)' } })
    expect(moved.source.campaign).toBe('Осень 2026 (продлена)')
    expect(emulator.db.table(ENTITY.deal).get(Number(early.id))![parentField]).toBe(Number(autumn.id))
    const unlinked = await crm.deals.update(deal.id, { source: { campaign: null } })
    expect(unlinked.source.campaign).toBeNull()
    expect(emulator.db.table(ENTITY.deal).get(Number(deal.id))![parentField]).toBe(0)
    // A name no campaign has stays a utm campaign (and unlinks).
    const offline = await crm.deals.update(early.id, { source: { campaign: 'offline_expo' } })
    expect(offline.source).toMatchObject({ campaign: 'offline_expo', utm: { campaign: 'offline_expo' } })
    expect(emulator.db.table(ENTITY.deal).get(Number(early.id))![parentField]).toBe(0)
  })

  it('costs no extra request for pages without campaign links', async () => {
    const { crm, emulator } = start({ size: { deals: 200, leads: 20, contacts: 10, companies: 2 } })
    await crm.setup()
    const before = emulator.log.length
    expect(await crm.deals.list().toArray()).toHaveLength(200)
    // The counted first page and one batch for the rest; no campaign lookup.
    expect(emulator.log.slice(before).map((r) => r.restMethod)).toEqual(['batch', 'batch'])
  })
})
