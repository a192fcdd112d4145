import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, q } from './helpers.js'
import { ZERO_GUID } from '../../../adapters/creatio/testing/index.js'

let stop: (() => void) | null = null
afterEach(() => {
  stop?.()
  stop = null
})
const start = (...a: Parameters<typeof startEmulator>) => {
  const s = startEmulator(...a)
  stop = s.close
  return s
}

describe('Creatio emulator: OData queries', () => {
  it('serves $metadata as CSDL, with or without Marketing plans', async () => {
    const { odata } = start()
    const xml = await (await odata('$metadata')).text()
    expect(xml).toContain('<EntitySet Name="MktgActivity"')
    expect(xml).toContain('<NavigationProperty Name="Owner"')
    stop!()
    const { odata: odata2 } = start({ site: { marketingPlans: false } })
    const xml2 = await (await odata2('$metadata')).text()
    expect(xml2).not.toContain('MktgActivity')
    expect(xml2).toContain('<EntitySet Name="Campaign"')
  })

  it('filters with comparisons, and/or/not, contains and Nav/Id', async () => {
    const { e, json } = start()
    const deals = e.db.rows('Opportunity')
    const owner = String(deals[0]!['OwnerId'])
    const byOwner = await json(`Opportunity?${q({ $filter: `Owner/Id eq ${owner}`, $select: 'Id' })}`)
    expect(byOwner.value.length).toBe(deals.filter((d) => d['OwnerId'] === owner).length)
    const since = String(deals[10]!['CreatedOn'])
    const recent = await json(`Opportunity?${q({ $filter: `CreatedOn ge ${since} and not (Amount eq 0)`, $select: 'Id' })}`)
    expect(recent.value.length).toBe(deals.filter((d) => Date.parse(String(d['CreatedOn'])) >= Date.parse(since) && d['Amount'] !== 0).length)
    const title = String(deals[3]!['Title'])
    const found = await json(`Opportunity?${q({ $filter: `contains(Title,'${title.slice(0, 12).toUpperCase().replace(/'/g, "''")}')`, $select: 'Id,Title' })}`)
    expect(found.value.map((r) => r['Id'])).toContain(deals[3]!['Id'])
    const noSource = await json(`Lead?${q({ $filter: 'LeadSource eq null', $select: 'Id,LeadSourceId' })}`)
    expect(noSource.value.every((r) => r['LeadSourceId'] === ZERO_GUID)).toBe(true)
    expect(noSource.value.length).toBeGreaterThan(0)
  })

  it('is as strict as Creatio: quoted dates 400, a lookup FK compared to a GUID 500, unknown columns 400', async () => {
    const { odata } = start()
    const quoted = await odata(`Lead?${q({ $filter: "CreatedOn ge '2026-01-01T00:00:00Z'" })}`)
    expect(quoted.status).toBe(400)
    expect(JSON.stringify(await quoted.json())).toContain('incompatible types')
    const fk = await odata(`Lead?${q({ $filter: 'OwnerId eq 173a3823-c7d6-4dbf-bcd3-1c6e1a3acdc9' })}`)
    expect(fk.status).toBe(500)
    expect((await fk.json()) as object).toMatchObject({ error: { message: 'An error has occurred.', innererror: { internalexception: { message: expect.stringMatching(/Owner\/Id/) } } } })
    expect((await odata(`Lead?${q({ $select: 'Nope' })}`)).status).toBe(400)
    expect((await odata('NoSuchEntity')).status).toBe(404)
  })

  it('selects, expands lookups, orders, pages and counts', async () => {
    const { e, json, odata } = start()
    const page = await json(`Opportunity?${q({ $select: 'Id,Title,StageId', $expand: 'Stage($select=Name,End)', $orderby: 'Title desc,Id', $top: '5', $skip: '2', $count: 'true' })}`)
    expect(page['@odata.count']).toBe(40)
    expect(page.value).toHaveLength(5)
    expect(Object.keys(page.value[0]!).sort()).toEqual(['Id', 'Stage', 'StageId', 'Title'])
    expect(Object.keys(page.value[0]!['Stage'] as object).sort()).toEqual(['End', 'Name'])
    const titles = [...e.db.rows('Opportunity')].map((r) => String(r['Title'])).sort((a, b) => b.localeCompare(a))
    expect(page.value.map((r) => r['Title'])).toEqual(titles.slice(2, 7))
    const only = await json(`Lead?${q({ $count: 'true', $top: '0' })}`)
    expect(only).toMatchObject({ '@odata.count': 60, value: [] })
    expect(await (await odata('Lead/$count')).text()).toBe('60')
  })

  it('never answers more than 20,000 rows', async () => {
    const { json } = start({ size: { leads: 20_050, deals: 5, contacts: 5, accounts: 1 } })
    const all = await json(`Lead?${q({ $select: 'Id', $count: 'true' })}`)
    expect(all['@odata.count']).toBe(20_050)
    expect(all.value).toHaveLength(20_000)
    const big = await json(`Lead?${q({ $select: 'Id', $top: '50000', $skip: '20000', $orderby: 'Id' })}`)
    expect(big.value).toHaveLength(50)
  }, 30_000)

  it('seeds deterministically, with UTM marks and lead sources', async () => {
    const a = start({ seed: 42 })
    const rowsA = JSON.stringify(a.e.db.rows('Lead'))
    a.close()
    const b = start({ seed: 42 })
    expect(JSON.stringify(b.e.db.rows('Lead'))).toBe(rowsA)
    const leads = b.e.db.rows('Lead')
    expect(leads.filter((l) => l['UtmSourceStr'] && l['LeadSourceId'] !== ZERO_GUID).length).toBeGreaterThan(leads.length / 2)
    expect(leads.some((l) => String(l['BpmHref']).includes('utm_campaign='))).toBe(true)
    b.close()
    const c = start({ seed: 43 })
    expect(JSON.stringify(c.e.db.rows('Lead'))).not.toBe(rowsA)
  })
})

