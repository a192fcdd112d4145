import { describe, expect, it } from 'vitest'
import { ENTITY, createBitrix24Emulator, seedPortal } from '../../../adapters/bitrix24/testing/index.js'

const anchor = Date.parse('2026-11-01T00:00:00Z')
const size = { deals: 400, leads: 100, contacts: 80, companies: 10, users: 6 }

describe('Bitrix24 emulator: seeding', () => {
  it('is deterministic per seed', () => {
    const a = seedPortal({ seed: 9, size, anchor })
    const b = seedPortal({ seed: 9, size, anchor })
    const c = seedPortal({ seed: 10, size, anchor })
    const rows = (db: ReturnType<typeof seedPortal>) => JSON.stringify([...db.table(ENTITY.deal).values()])
    expect(rows(a)).toBe(rows(b))
    expect(rows(a)).not.toBe(rows(c))
    expect(createBitrix24Emulator({ seed: 9 }).webhookUrl).toBe(createBitrix24Emulator({ seed: 9 }).webhookUrl)
  })

  it('clickIdFields: false leaves out crmkit\'s click-id fields and their values, and nothing else changes', () => {
    const full = seedPortal({ seed: 9, size, anchor })
    const bare = seedPortal({ seed: 9, size, anchor, clickIdFields: false })
    expect(bare.userFields.some((f) => f.fieldName.startsWith('UF_CRM_CRMKIT_'))).toBe(false)
    expect(full.userFields.filter((f) => f.fieldName.startsWith('UF_CRM_CRMKIT_'))).toHaveLength(8)
    const strip = (db: ReturnType<typeof seedPortal>) =>
      JSON.stringify([...db.table(ENTITY.deal).values()].map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !k.startsWith('UF_CRM_CRMKIT_')))))
    expect(strip(bare)).toBe(strip(full))
    expect([...bare.table(ENTITY.deal).values()].some((d) => Object.keys(d).some((k) => k.startsWith('UF_CRM_CRMKIT_')))).toBe(false)
  })

  it('seeds a realistic portal: pipelines with won and lost stages, UTM marks, contacts with phones, converted leads linked to deals', () => {
    const db = seedPortal({ seed: 9, size, anchor })
    const deals = [...db.table(ENTITY.deal).values()]
    expect(deals).toHaveLength(400)
    expect(db.categories.map((c) => c.id)).toEqual([0, 1])
    for (const d of deals) {
      const stage = db.dealStage(String(d.stageId))!
      expect(stage.CATEGORY_ID).toBe(d.categoryId)
      expect(d.closed).toBe(stage.SEMANTICS ? 'Y' : 'N')
      expect(String(d.createdTime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/)
    }
    expect(deals.some((d) => d.stageSemanticId === 'S')).toBe(true)
    expect(deals.some((d) => d.stageSemanticId === 'F')).toBe(true)
    expect(deals.filter((d) => d.utmSource).length / deals.length).toBeGreaterThan(0.4)
    expect(deals.some((d) => d.UF_CRM_CRMKIT_YCLID)).toBe(true)
    expect(deals.some((d) => Number(d.opportunity) % 1 !== 0)).toBe(true) // kopecks
    const leads = new Map([...db.table(ENTITY.lead).values()].map((l) => [l.id, l]))
    const linked = deals.filter((d) => d.leadId)
    expect(linked.length).toBeGreaterThan(0)
    for (const d of linked) expect(leads.get(Number(d.leadId))!.stageSemanticId).toBe('S')
    const contacts = [...db.table(ENTITY.contact).values()]
    expect(contacts.some((c) => (c.fm as { typeId: string }[]).some((m) => m.typeId === 'PHONE'))).toBe(true)
  })
})
