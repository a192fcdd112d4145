import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, q } from './helpers.js'
import { DEFAULT_ANCHOR_DATE, EMPTY_DATE } from '../../../adapters/creatio/testing/index.js'

let stop: (() => void) | null = null
afterEach(() => {
  stop?.()
  stop = null
})

const anchor = Date.parse(DEFAULT_ANCHOR_DATE)
const DAY = 86_400_000

// The seeded site is the site as of its anchor date: nothing in it may have been modified (or
// closed) later than that. Deals used to get ModifiedOn = CreatedOn + up to 30 days with no cap, so
// deals created in the last month before the anchor were "modified" up to a month after it. Once the
// emulator's clock (Date.now) passed the anchor by less than that, those rows looked changed in the
// future: `ModifiedOn ge <now>` matched them, and bench:peers' incremental sync counted 1,004 rows
// for 1,000 changes (seed 1, 20,000 deals, run on 2026-11-29).
describe('Creatio emulator: seeded timestamps', () => {
  it('never seeds a ModifiedOn or ClosedOnDate after the anchor date, nor before CreatedOn', () => {
    const { e, close } = startEmulator({ seed: 1, size: { deals: 2_000, leads: 500, contacts: 50, accounts: 10 } })
    stop = close
    for (const [entity, rows] of e.db.tables) {
      for (const row of rows) {
        const created = Date.parse(String(row['CreatedOn']))
        const modified = Date.parse(String(row['ModifiedOn']))
        expect(modified, `${entity} ${String(row['Id'])} ModifiedOn ${String(row['ModifiedOn'])}`).toBeLessThan(anchor)
        expect(modified, `${entity} ${String(row['Id'])}`).toBeGreaterThanOrEqual(created)
        if (entity === 'Opportunity' && row['ClosedOnDate'] !== EMPTY_DATE) {
          expect(Date.parse(String(row['ClosedOnDate'])), `Opportunity ${String(row['Id'])} ClosedOnDate`).toBeLessThan(anchor)
        }
      }
    }
  })

  it('an incremental read after the anchor returns exactly the rows changed since, none seeded', async () => {
    // The emulator's clock two weeks past the anchor (the bench ran four weeks past it, with 20,000
    // deals, and got 4 seeded deals on top of its 1,000 changes).
    let t = anchor + 14 * DAY
    const { e, json, odata, close } = startEmulator({ seed: 1, size: { deals: 2_000, leads: 500, contacts: 50, accounts: 10 }, now: () => t })
    stop = close
    const since = new Date(t).toISOString()
    t += 1_000
    const changed = e.db.rows('Opportunity').filter((_, i) => i % 97 === 0).map((r) => String(r['Id']))
    for (const id of changed) {
      const res = await odata(`Opportunity(${id})`, { method: 'PATCH', body: JSON.stringify({ Title: `changed ${id}` }) })
      expect(res.status).toBe(204)
    }
    const deals = await json(`Opportunity?${q({ $filter: `ModifiedOn ge ${since}`, $select: 'Id', $orderby: 'Id' })}`)
    expect(deals.value.map((r) => r['Id']).sort()).toEqual([...changed].sort())
    // And no seeded lead or deal claims a change at or after the anchor.
    for (const entity of ['Opportunity', 'Lead']) {
      const seeded = await json(`${entity}?${q({ $filter: `ModifiedOn ge ${DEFAULT_ANCHOR_DATE} and ModifiedOn lt ${since}`, $select: 'Id,ModifiedOn' })}`)
      expect(seeded.value, entity).toEqual([])
    }
  })
})
