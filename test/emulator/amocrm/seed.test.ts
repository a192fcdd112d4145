import { describe, expect, it, vi } from 'vitest'
import { HTML_SAMPLES, seedAccount, TRACKING_CODES, type FieldValue, type Lead } from '../../../adapters/amocrm/testing/index.js'

const DAY = 86_400
const anchor = Date.parse('2026-11-01T00:00:00Z') / 1000

const cf = (lead: Lead, code: string): string | undefined =>
  lead.custom_fields_values?.find((f) => f.field_code === code)?.values[0]?.value as string | undefined

describe('seeded demo account', () => {
  const db = seedAccount({ seed: 1 })

  it('is byte-identical for the same seed and differs for another seed', () => {
    const a = JSON.stringify(seedAccount({ seed: 42 }).toJSON())
    const b = JSON.stringify(seedAccount({ seed: 42 }).toJSON())
    const c = JSON.stringify(seedAccount({ seed: 43 }).toJSON())
    expect(a).toBe(b)
    expect(c).not.toBe(a)
  })

  it('never reads the wall clock', () => {
    const before = JSON.stringify(seedAccount({ seed: 5 }).toJSON())
    const spy = vi.spyOn(Date, 'now').mockReturnValue(0)
    try {
      expect(JSON.stringify(seedAccount({ seed: 5 }).toJSON())).toBe(before)
    } finally {
      spy.mockRestore()
    }
  })

  it('has the default size', () => {
    expect([db.leads.size, db.contacts.size, db.companies.size, db.users.size]).toEqual([300, 200, 40, 8])
    expect(db.users.rows[0]?.name).toBe('Анна Смирнова')
    expect(db.users.rows[0]?.rights.is_admin).toBe(true)
  })

  it('has two pipelines, each with unsorted, 4–5 working statuses, 142 and 143', () => {
    expect(db.pipelines.rows.map((p) => p.name)).toEqual(['Продажи', 'Партнёры'])
    expect(db.mainPipeline().name).toBe('Продажи')
    for (const p of db.pipelines.rows) {
      const statuses = p._embedded.statuses
      expect(statuses.find((s) => s.type === 1)?.name).toBe('Неразобранное')
      expect(statuses.find((s) => s.id === 142)?.name).toBe('Успешно реализовано')
      expect(statuses.find((s) => s.id === 143)?.name).toBe('Закрыто и не реализовано')
      const working = statuses.filter((s) => s.type === 0 && s.id !== 142 && s.id !== 143)
      expect(working.length).toBeGreaterThanOrEqual(4)
      expect(working.length).toBeLessThanOrEqual(5)
    }
  })

  it('spreads deals over the year before the anchor with ~25% won, ~25% lost', () => {
    const leads = db.leads.rows
    for (const l of leads) {
      expect(l.created_at).toBeGreaterThanOrEqual(anchor - 365 * DAY)
      expect(l.created_at).toBeLessThan(anchor)
      expect(Number.isInteger(l.price)).toBe(true)
      expect(db.pipelines.get(l.pipeline_id)).toBeDefined()
      expect(db.findStatus(l.pipeline_id, l.status_id)).toBeDefined()
    }
    const won = leads.filter((l) => l.status_id === 142)
    const lost = leads.filter((l) => l.status_id === 143)
    const open = leads.filter((l) => l.status_id !== 142 && l.status_id !== 143)
    expect(won.length / leads.length).toBeGreaterThan(0.17)
    expect(won.length / leads.length).toBeLessThan(0.33)
    expect(lost.length / leads.length).toBeGreaterThan(0.17)
    expect(lost.length / leads.length).toBeLessThan(0.33)
    for (const l of lost) {
      expect(db.lossReasons.get(l.loss_reason_id as number)).toBeDefined()
      expect(l.closed_at).toBeGreaterThanOrEqual(l.created_at)
    }
    for (const l of won) expect(l.closed_at).not.toBeNull()
    for (const l of open) expect([l.closed_at, l.loss_reason_id]).toEqual([null, null])
    // both pipelines get deals, including closed ones
    expect(new Set(won.map((l) => l.pipeline_id)).size).toBe(2)
  })

  it('links every deal to exactly one main contact, some to a company', () => {
    for (const l of db.leads.rows) {
      const links = db.links.leadContacts.get(l.id) ?? []
      expect(links.filter((c) => c.is_main)).toHaveLength(1)
      expect(db.contacts.get(links[0]!.id)).toBeDefined()
    }
    const withCompany = db.leads.rows.filter((l) => db.links.leadCompany.has(l.id)).length
    expect(withCompany).toBeGreaterThan(20)
    expect(withCompany).toBeLessThan(db.leads.size)
  })

  it('gives contacts PHONE/EMAIL multitext values with WORK/MOB codes', () => {
    const phone = db.fieldsOf('contacts').rows.find((f) => f.code === 'PHONE')!
    expect(phone.type).toBe('multitext')
    const values = db.contacts.rows.flatMap((c) => c.custom_fields_values?.find((f) => f.field_code === 'PHONE')?.values ?? [])
    expect(values.length).toBeGreaterThanOrEqual(db.contacts.size)
    expect(new Set(values.map((v) => v.enum_code))).toEqual(new Set(['WORK', 'MOB']))
    for (const v of values) expect(phone.enums?.some((e) => e.id === v.enum_id && e.value === v.enum_code)).toBe(true)
    expect(db.contacts.rows.some((c) => c.custom_fields_values?.some((f) => f.field_code === 'EMAIL'))).toBe(true)
  })

  it('stores UTM as tracking_data fields with realistic, recurring mixes', () => {
    const tracking = db.fieldsOf('leads').rows.filter((f) => f.type === 'tracking_data')
    expect(tracking.map((f) => f.code)).toEqual([...TRACKING_CODES])
    const leads = db.leads.rows
    const bySource = (s: string) => leads.filter((l) => cf(l, 'UTM_SOURCE') === s)
    expect(bySource('yandex').length).toBeGreaterThan(20)
    for (const l of bySource('yandex')) expect([cf(l, 'UTM_MEDIUM'), typeof cf(l, 'YCLID')]).toEqual(['cpc', 'string'])
    for (const l of bySource('google')) expect(cf(l, 'GCLID')).toMatch(/^Cj0KCQ/)
    for (const l of bySource('vk')) expect(cf(l, 'UTM_MEDIUM')).toBe('paid_social')
    for (const l of bySource('telegram')) expect(cf(l, 'UTM_MEDIUM')).toBe('cpc')
    for (const l of bySource('email')) expect(cf(l, 'UTM_MEDIUM')).toBe('newsletter')
    for (const l of bySource('partners')) expect(cf(l, 'UTM_MEDIUM')).toBe('referral')
    // organic: referrer but no utm_source; direct: nothing at all
    expect(leads.some((l) => cf(l, 'REFERRER') && !cf(l, 'UTM_SOURCE'))).toBe(true)
    expect(leads.some((l) => l.custom_fields_values === null)).toBe(true)
    const campaigns = new Map<string, number>()
    for (const l of leads) {
      const c = cf(l, 'UTM_CAMPAIGN')
      if (c) campaigns.set(c, (campaigns.get(c) ?? 0) + 1)
    }
    expect(campaigns.get('brand_search')).toBeGreaterThan(5)
    expect(campaigns.get('spring_sale_2026')).toBeGreaterThan(1)
    expect(campaigns.has('webinar_may')).toBe(true)
    // spring campaigns only run in spring
    for (const l of leads.filter((x) => cf(x, 'UTM_CAMPAIGN') === 'spring_sale_2026')) {
      expect([2, 3, 4]).toContain(new Date(l.created_at * 1000).getUTCMonth())
    }
  })

  it('has the Канал select, a date and a numeric field on leads', () => {
    const fields = db.fieldsOf('leads').rows
    const channel = fields.find((f) => f.name === 'Канал')!
    expect(channel.type).toBe('select')
    expect(channel.enums!.length).toBeGreaterThanOrEqual(5)
    expect(fields.some((f) => f.type === 'date')).toBe(true)
    expect(fields.some((f) => f.type === 'numeric')).toBe(true)
    const used: FieldValue[] = db.leads.rows.flatMap((l) => l.custom_fields_values?.filter((f) => f.field_id === channel.id) ?? [])
    expect(used.length).toBeGreaterThan(100)
    for (const v of used) expect(channel.enums!.find((e) => e.id === v.values[0]!.enum_id)?.value).toBe(v.values[0]!.value)
  })

  it('plants HTML in some names so UIs must escape', () => {
    expect(db.leads.rows.some((l) => l.name === HTML_SAMPLES.lead)).toBe(true)
    expect(db.contacts.rows.some((c) => c.name === HTML_SAMPLES.contact)).toBe(true)
    expect(db.companies.rows.some((c) => c.name === HTML_SAMPLES.company)).toBe(true)
    expect(db.companies.rows.some((c) => /^(ООО|АО) «/.test(c.name))).toBe(true)
  })

  // Seeding speed is measured by `npm run bench`, not asserted here.
  it('seeds 100,000 deals and 60,000 contacts', () => {
    const big = seedAccount({ seed: 9, size: { deals: 100_000, contacts: 60_000 } })
    expect(big.leads.size).toBe(100_000)
    expect(big.contacts.size).toBe(60_000)
  })
})
