import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCrm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { startSandbox } from '../../scripts/sandbox/server.js'

describe('sandbox state', () => {
  it('keeps edits across a restart and does not seed demo campaigns twice', async () => {
    const stateFile = join(await mkdtemp(join(tmpdir(), 'crmkit-')), 'state.json')
    const first = await startSandbox({ port: 0, deals: 50, latencyMs: 0, stateFile })
    const connect = (url: string, token: string) => createCrm(amocrm({ baseUrl: url, auth: { kind: 'long-lived-token', token } }))
    let crm = connect(first.url, first.amocrm.longLivedToken)
    const seeded = (await crm.campaigns.list().toArray()).length
    expect(seeded).toBeGreaterThan(20)
    await crm.campaigns.create({ name: 'Переживёт перезапуск', startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: new Date('2026-12-05T00:00:00Z') })
    await crm.close()
    await first.close()

    const second = await startSandbox({ port: 0, deals: 50, latencyMs: 0, stateFile })
    crm = connect(second.url, second.amocrm.longLivedToken)
    const names = (await crm.campaigns.list().toArray()).map((c) => c.name)
    expect(names).toContain('Переживёт перезапуск')
    expect(names.length).toBe(seeded + 1)
    await crm.close()
    await second.close()
  }, 60_000)

  it('keeps Bitrix24 and Creatio edits (and the app install) across a restart, in one versioned file', async () => {
    const stateFile = join(await mkdtemp(join(tmpdir(), 'crmkit-')), 'state.json')
    const first = await startSandbox({ port: 0, deals: 40, latencyMs: 0, stateFile })
    const counts: Record<string, number> = {}
    for (const name of ['bitrix24', 'creatio'] as const) {
      const crm = first.connect(name)
      counts[name] = (await crm.campaigns.list().toArray()).length
      expect(counts[name]).toBeGreaterThan(20)
      await crm.campaigns.create({ name: `Переживёт перезапуск (${name})`, startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: new Date('2026-12-05T00:00:00Z') })
      await crm.close()
    }
    first.bitrix24.db.app.installed = true
    await fetch(`${first.url}/bitrix24/portal/install-finish`, { method: 'POST' }) // without the page's session: refused, changes nothing
    await first.close()
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { version: number }
    expect(saved.version).toBe(2)

    const second = await startSandbox({ port: 0, deals: 40, latencyMs: 0, stateFile })
    expect(second.bitrix24.db.app.installed).toBe(true)
    for (const name of ['bitrix24', 'creatio'] as const) {
      const crm = second.connect(name)
      const names = (await crm.campaigns.list().toArray()).map((c) => c.name)
      expect(names).toContain(`Переживёт перезапуск (${name})`)
      // Seeded once: the demo campaigns are not added again on the second start.
      expect(names.length).toBe(counts[name]! + 1)
      await crm.close()
    }
    await second.close()
  }, 90_000)
})

describe('sandbox request logs', () => {
  it('each emulator keeps a bounded log (logLimit), newest entries last', async () => {
    const sandbox = await startSandbox({ port: 0, deals: 20, latencyMs: 0, campaigns: false, logLimit: 4 })
    try {
      for (const name of ['amocrm', 'bitrix24', 'creatio'] as const) {
        const crm = sandbox.connect(name)
        for (let i = 0; i < 12; i++) await crm.users.list().toArray()
        await crm.close()
        const log = sandbox[name].log
        expect(log.length, name).toBeGreaterThanOrEqual(4)
        expect(log.length, name).toBeLessThan(8)
        expect(log.map((e) => e.time), name).toEqual([...log.map((e) => e.time)].sort((a, b) => a - b))
      }
    } finally {
      await sandbox.close()
    }
  }, 60_000)
})
