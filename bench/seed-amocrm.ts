/** Time to seed a large emulated account (what `npm start` and the export bench wait for). Target < 3 s. */
import { seedAccount } from 'crmkit/amocrm/testing'

export function benchSeed(deals = 100_000, contacts = 60_000): { deals: number; contacts: number; ms: number } {
  const started = performance.now()
  const db = seedAccount({ seed: 9, size: { deals, contacts } })
  return { deals: db.leads.size, contacts: db.contacts.size, ms: performance.now() - started }
}
