import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator } from './helpers.js'

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
const post = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', body: JSON.stringify(body), headers })

describe('Creatio emulator: writes', () => {
  it('creates with a client Id (201 + Location), refuses the same Id twice, patches and deletes with 204', async () => {
    const { e, odata } = start()
    const id = '6a0c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e'
    const created = await odata('Lead', post({ Id: id, Contact: 'Анна', Account: 'ООО Ромашка' }))
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(`${e.siteUrl}/0/odata/Lead(${id})`)
    const body = (await created.json()) as Record<string, unknown>
    // Server-side logic fills the lead name; empty lookups are zero GUIDs, empty dates 0001-01-01.
    expect(body).toMatchObject({ Id: id, LeadName: 'Анна, ООО Ромашка', OwnerId: '00000000-0000-0000-0000-000000000000' })
    const again = await odata('Lead', post({ Id: id, LeadName: 'dup' }))
    expect(again.status).toBe(500)
    expect(JSON.stringify(await again.json())).toContain('PRIMARY KEY')
    expect((await odata(`Lead(${id})`, { method: 'PATCH', body: JSON.stringify({ LeadName: 'Renamed' }) })).status).toBe(204)
    expect(e.db.find('Lead', id)?.['LeadName']).toBe('Renamed')
    expect((await odata(`Lead(${id})`, { method: 'DELETE' })).status).toBe(204)
    expect((await odata(`Lead(${id})`)).status).toBe(404)
  })

  it('rejects unknown columns (400) and dangling lookups (500 with the FK message nested)', async () => {
    const { odata } = start()
    const unknown = await odata('Contact', post({ Name: 'x', Nope: 1 }))
    expect(unknown.status).toBe(400)
    const fk = await odata('Contact', post({ Name: 'x', AccountId: '6a0c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e' }))
    expect(fk.status).toBe(500)
    const env = (await fk.json()) as { error: { innererror: { internalexception: { message: string } } } }
    expect(env.error.innererror.internalexception.message).toMatch(/FOREIGN KEY constraint/)
  })

  it('sets ClosedOnDate when an opportunity reaches an End stage', async () => {
    const { e, odata } = start()
    const won = e.db.rows('OpportunityStage').find((s) => s['End'] === true && s['Successful'] === true)!
    const open = e.db.rows('Opportunity').find((o) => !e.db.find('OpportunityStage', String(o['StageId']))?.['End'])!
    await odata(`Opportunity(${String(open['Id'])})`, { method: 'PATCH', body: JSON.stringify({ StageId: won['Id'] }) })
    expect(String(e.db.find('Opportunity', String(open['Id']))!['ClosedOnDate'])).not.toMatch(/^0001/)
  })

  it('runs a JSON $batch: stops at the first failure unless Prefer: continue-on-error, at most 100', async () => {
    const { e, odata } = start()
    const requests = [
      { id: 'a', method: 'POST', url: 'Account', body: { Name: 'A' } },
      { id: 'b', method: 'POST', url: 'Account', body: { Name: 'B', Nope: true } },
      { id: 'c', method: 'POST', url: 'Account', body: { Name: 'C' } },
    ]
    const stopped = (await (await odata('$batch', post({ requests }))).json()) as { responses: { id: string; status: number }[] }
    expect(stopped.responses.map((r) => [r.id, r.status])).toEqual([
      ['a', 201],
      ['b', 400],
    ])
    const all = (await (await odata('$batch', post({ requests }, { Prefer: 'continue-on-error' }))).json()) as { responses: { id: string; status: number }[] }
    expect(all.responses.map((r) => r.status)).toEqual([201, 400, 201])
    const tooMany = await odata('$batch', post({ requests: Array.from({ length: 101 }, (_, i) => ({ id: String(i), method: 'GET', url: 'Account' })) }))
    expect(tooMany.status).toBe(400)
    expect(e.stats.batches).toBe(2)
    expect(e.log.filter((r) => r.path === '/0/odata/$batch').map((r) => r.batchSize)).toEqual([3, 3, 101])
  })
})
