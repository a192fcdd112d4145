import { describe, expect, it } from 'vitest'
import { createAmoCrmEmulator } from '../../../adapters/amocrm/testing/index.js'
import { setupAmoCrmEmulator } from '../../../adapters/amocrm/testing/node.js'

describe('emulator snapshots', () => {
  it('restores an account from its snapshot, edits included, and continues its id sequences', async () => {
    const { emulator: a, close } = setupAmoCrmEmulator({ seed: 4, size: { deals: 30, contacts: 10, companies: 3 }, rateLimit: false })
    const post = (path: string, body: unknown) =>
      fetch(`${a.baseUrl}/api/v4${path}`, { method: 'POST', headers: { Authorization: `Bearer ${a.longLivedToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect((await post('/leads', [{ name: 'Сделка после сида', price: 5000 }])).status).toBe(200)
    close()
    const saved = JSON.parse(JSON.stringify(a.snapshot()))

    const b = createAmoCrmEmulator({ seed: 999, state: saved, rateLimit: false })
    expect(b.snapshot()).toEqual(saved)
    expect(b.db.leads.rows.some((l) => l.name === 'Сделка после сида')).toBe(true)
    const maxLead = Math.max(...b.db.leads.rows.map((l) => l.id))
    expect(b.db.nextId('lead')).toBe(maxLead + 1)
    const maxContact = Math.max(...[...b.db.contacts.rows, ...b.db.companies.rows].map((c) => c.id))
    expect(b.db.nextId('company')).toBe(maxContact + 1)
    // reset() goes back to the seed, not to the snapshot.
    b.reset()
    expect(b.db.leads.rows.some((l) => l.name === 'Сделка после сида')).toBe(false)
  })
})
