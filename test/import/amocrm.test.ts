import { describe, expect, it } from 'vitest'
import { amocrmImport } from './harness.js'
import { importSuite } from './suite.js'

importSuite(amocrmImport)

describe('amoCRM: contacts.import lookup', () => {
  it('searching per key (few rows) and scanning the whole collection find the same duplicates', async () => {
    const { crm, close } = await amocrmImport.start()
    try {
      await crm.contacts.createMany([{ name: 'Анна Смирнова', phones: ['8 (999) 111-22-33'], emails: ['anna@example.com'] }])
      const rows = [{ name: 'Анна', phones: '+7 999 111 22 33' }, { name: 'A', emails: 'ANNA@example.com' }, { name: 'Новый', phones: '+7 999 111 22 34' }]
      const searched = await crm.contacts.import(rows, { dryRun: true })
      const scanned = await crm.contacts.import(rows, { dryRun: true, index: 'scan' })
      expect(searched.index).toBe('search')
      expect(scanned.index).toBe('scan')
      expect(searched.rows.map((r) => [r.action, r.id])).toEqual(scanned.rows.map((r) => [r.action, r.id]))
      expect(searched.rows.map((r) => r.action)).toEqual(['skip', 'skip', 'create'])
    } finally {
      await close()
    }
  })
})
