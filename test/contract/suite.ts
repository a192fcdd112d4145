import { afterEach, describe, expect, it } from 'vitest'
import {
  AbortError,
  AuthError,
  NotFoundError,
  UnexpectedResponseError,
  UnsupportedError,
  ValidationError,
  money,
  sumMoney,
  type Deal,
} from '../../sdk/index.js'
import type { ContractEnv, ContractHarness, HarnessOptions } from './harness.js'

/** Longest run of requests inside any one-second window of the log. */
export function maxPerSecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b)
  let best = 0
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= 1000) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

/**
 * The behaviour every adapter must share, run against each CRM's emulator. Written only against
 * the common model: a CRM that needs a special case here needs a fix in its adapter instead.
 */
export function contractSuite(h: ContractHarness): void {
  describe(`contract: ${h.name}`, () => {
    let env: ContractEnv | null = null
    const start = async (o?: HarnessOptions) => (env = await h.start(o))
    afterEach(async () => {
      await env?.close()
      env = null
    })

    const firstOpenStage = async (e: ContractEnv) => {
      const [pipeline] = await e.crm.pipelines.list().toArray()
      const stage = pipeline!.stages.find((s) => s.semantics === 'open')!
      const won = pipeline!.stages.find((s) => s.semantics === 'won')!
      return { pipeline: pipeline!, stage, won }
    }

    it('lists every deal exactly once across pages', async () => {
      const e = await start({ seedDeals: 620 })
      const seen: string[] = []
      let pages = 0
      for await (const page of e.crm.deals.list({ pageSize: 100 }).pages()) {
        expect(page.length).toBeLessThanOrEqual(100)
        pages++
        seen.push(...page.map((d) => d.id))
      }
      expect(pages).toBe(7)
      expect(new Set(seen).size).toBe(seen.length)
      expect(seen.sort()).toEqual(e.dealIds().sort())
    })

    it('maps deals onto the model: money, outcome, stage semantics, source', async () => {
      const e = await start()
      const deals = await e.crm.deals.list().toArray()
      const pipelines = await e.crm.pipelines.list().toArray()
      const stages = new Map(pipelines.flatMap((p) => p.stages).map((s) => [s.id, s]))
      expect(deals.length).toBeGreaterThan(0)
      for (const d of deals) {
        const stage = stages.get(d.stageId!)
        expect(stage, `stage ${d.stageId} of deal ${d.id}`).toBeDefined()
        expect(d.outcome).toBe(stage!.semantics)
        if (d.outcome !== 'open') expect(d.closedAt).toBeInstanceOf(Date)
        expect(d.createdAt).toBeInstanceOf(Date)
        if (d.amount) expect(Number.isSafeInteger(d.amount.minor)).toBe(true)
      }
      expect(deals.some((d) => d.outcome === 'won')).toBe(true)
      expect(deals.some((d) => d.outcome === 'lost')).toBe(true)
      expect(deals.some((d) => d.source.utm.source !== null && d.source.utm.campaign !== null)).toBe(true)
      const currency = deals.find((d) => d.amount)!.amount!.currency
      const total = sumMoney(
        deals.flatMap((d) => (d.amount ? [d.amount] : [])),
        currency,
      )
      expect(total.minor).toBe(deals.reduce((s, d) => s + (d.amount?.minor ?? 0), 0))
    })

    it('toArray refuses to truncate silently', async () => {
      const e = await start()
      await expect(e.crm.deals.list().toArray(5)).rejects.toThrow(/more than 5/)
    })

    it('filters by updatedSince, ids, stage, owner and search', async () => {
      const e = await start()
      const all = await e.crm.deals.list().toArray()
      const sorted = [...all].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      const since = sorted[Math.floor(sorted.length / 2)]!.updatedAt
      const recent = await e.crm.deals.list({ updatedSince: since }).toArray()
      expect(recent.map((d) => d.id).sort()).toEqual(all.filter((d) => d.updatedAt >= since).map((d) => d.id).sort())

      const ids = all.slice(0, 3).map((d) => d.id)
      expect((await e.crm.deals.list({ ids }).toArray()).map((d) => d.id).sort()).toEqual([...ids].sort())

      const won = all.find((d) => d.outcome === 'won')!
      const byStage = await e.crm.deals.list({ stageIds: [won.stageId!] }).toArray()
      expect(byStage.length).toBe(all.filter((d) => d.stageId === won.stageId).length)

      const owner = all.find((d) => d.ownerId)!.ownerId!
      const byOwner = await e.crm.deals.list({ ownerIds: [owner] }).toArray()
      expect(byOwner.length).toBe(all.filter((d) => d.ownerId === owner).length)

      const target = all[7]!
      const found = await e.crm.deals.list({ search: target.title }).toArray()
      expect(found.map((d) => d.id)).toContain(target.id)
    })

    it('filters by createdSince and pipelineId where the CRM can, and refuses them in advance where it cannot', async () => {
      const e = await start()
      const query = e.crm.capabilities.collections.deals.query
      const all = await e.crm.deals.list().toArray()
      if (query.includes('createdSince')) {
        const sorted = [...all].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        const since = sorted[Math.floor(sorted.length / 2)]!.createdAt
        const recent = await e.crm.deals.list({ createdSince: since }).toArray()
        const expected = all.filter((d) => d.createdAt >= since).map((d) => d.id)
        expect(expected.length).toBeLessThan(all.length)
        expect(recent.map((d) => d.id).sort()).toEqual(expected.sort())
      } else {
        expect(() => e.crm.deals.list({ createdSince: new Date() })).toThrow(UnsupportedError)
      }
      if (query.includes('pipelineId')) {
        const pipelineId = all.find((d) => d.pipelineId)!.pipelineId!
        const inPipeline = await e.crm.deals.list({ pipelineId }).toArray()
        expect(inPipeline.length).toBeGreaterThan(0)
        expect(inPipeline.map((d) => d.id).sort()).toEqual(all.filter((d) => d.pipelineId === pipelineId).map((d) => d.id).sort())
      } else {
        expect(() => e.crm.deals.list({ pipelineId: 'x' })).toThrow(UnsupportedError)
      }
    })

    it('gets one record, and NotFoundError for a missing id', async () => {
      const e = await start()
      const [first] = await e.crm.deals.list({ pageSize: 1 }).pages()[Symbol.asyncIterator]().next().then((r) => r.value as Deal[])
      const got = await e.crm.deals.get(first!.id, { include: ['raw'] })
      expect({ ...got, raw: undefined }).toEqual({ ...first, raw: undefined })
      expect(got.raw).toBeTypeOf('object')
      await expect(e.crm.deals.get('999999999')).rejects.toBeInstanceOf(NotFoundError)
    })

    it('creates and updates a deal, round-tripping money and UTM marks', async () => {
      const e = await start()
      const { stage, won } = await firstOpenStage(e)
      const contact = await e.crm.contacts.create({ name: 'Ирина Тестова', phones: ['+7 900 000-00-01'], emails: ['irina@example.com'] })
      expect(contact.phones).toEqual(['+7 900 000-00-01'])
      const created = await e.crm.deals.create({
        title: 'Contract deal <b>bold</b>',
        amount: money('150000', 'RUB'),
        stageId: stage.id,
        contactIds: [contact.id],
        source: { utm: { source: 'yandex', medium: 'cpc', campaign: 'contract_2026' }, clickIds: { yclid: '123' } },
      })
      expect(created.title).toBe('Contract deal <b>bold</b>')
      expect(created.amount).toEqual(money('150000', 'RUB'))
      expect(created.stageId).toBe(stage.id)
      expect(created.outcome).toBe('open')
      expect(created.contactId).toBe(contact.id)
      expect(created.source.utm).toMatchObject({ source: 'yandex', medium: 'cpc', campaign: 'contract_2026' })
      expect(created.source.clickIds.yclid).toBe('123')
      expect(e.dealIds()).toContain(created.id)

      const updated = await e.crm.deals.update(created.id, { stageId: won.id, title: 'Won it' })
      expect(updated.outcome).toBe('won')
      expect(updated.title).toBe('Won it')
      expect(updated.closedAt).toBeInstanceOf(Date)
      expect((await e.crm.deals.get(created.id)).outcome).toBe('won')
    })

    it('names the offending field on bad input, before sending anything', async () => {
      const e = await start()
      const before = e.log().length
      const err = await e.crm.deals.create({ title: '' }).catch((x: unknown) => x)
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as ValidationError).issues[0]!.path).toEqual(['title'])
      const err2 = await e.crm.deals.create({ title: 'x', amount: { minor: 1.5, currency: 'RUB' } }).catch((x: unknown) => x)
      expect((err2 as ValidationError).issues[0]!.path).toEqual(['amount', 'minor'])
      const err3 = await e.crm.contacts.create({ name: 'x', emails: ['not-an-email'] }).catch((x: unknown) => x)
      expect((err3 as ValidationError).issues[0]!.path).toEqual(['emails', 0])
      expect(e.log().length).toBe(before)
    })

    it('createMany: one outcome per input in order; a bad item fails alone and nothing is duplicated', async () => {
      const e = await start()
      const { stage } = await firstOpenStage(e)
      const field = await e.enumField()
      const before = e.dealIds().length
      const outcomes = await e.crm.deals.createMany([
        { title: 'Batch A', stageId: stage.id },
        { title: 'Batch B (unknown option)', customFields: { [field.key]: 'no-such-option' } },
        { title: 'Batch C (server rejects)', contactIds: [e.missingContactId] },
        { title: 'Batch D', stageId: stage.id, customFields: { [field.key]: field.optionId } },
      ])
      expect(outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3])
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true])
      const bad = outcomes[1]!
      if (bad.ok) throw new Error('expected failure')
      expect(bad.error).toBeInstanceOf(ValidationError)
      expect((bad.error as ValidationError).issues[0]!.path).toEqual(['customFields', field.key])
      const serverBad = outcomes[2]!
      if (serverBad.ok) throw new Error('expected failure')
      expect(serverBad.error).toBeInstanceOf(ValidationError)
      expect(e.dealIds().length).toBe(before + 2)
      const titles = (await e.crm.deals.list({ search: 'Batch' }).toArray()).map((d) => d.title).sort()
      expect(titles).toEqual(['Batch A', 'Batch D'])
    })

    it('updateMany reports a missing record without failing the rest', async () => {
      const e = await start()
      const [a, b] = await e.crm.deals.list({ pageSize: 2 }).pages()[Symbol.asyncIterator]().next().then((r) => r.value as Deal[])
      const out = await e.crm.deals.updateMany([
        { id: a!.id, patch: { title: 'Renamed A' } },
        { id: '999999999', patch: { title: 'Ghost' } },
        { id: b!.id, patch: { title: 'Renamed B' } },
      ])
      expect(out.map((o) => o.ok)).toEqual([true, false, true])
      expect((await e.crm.deals.get(a!.id)).title).toBe('Renamed A')
      expect((await e.crm.deals.get(b!.id)).title).toBe('Renamed B')
    })

    it('refreshes an expired token exactly once for 100 concurrent calls, and all succeed', async () => {
      // A generous rate on both sides: this test is about the refresh, not the limiter.
      const e = await start({ auth: 'oauth', serverRateLimit: 200, client: { rateLimit: { requestsPerSecond: 200, maxConcurrent: 50 } } })
      const [deal] = await e.crm.deals.list({ pageSize: 50 }).pages()[Symbol.asyncIterator]().next().then((r) => r.value as Deal[])
      e.expireAccessTokens()
      const before = e.refreshCount()
      const results = await Promise.all(Array.from({ length: 100 }, () => e.crm.deals.get(deal!.id)))
      expect(results.every((d) => d.id === deal!.id)).toBe(true)
      expect(e.refreshCount() - before).toBe(1)
    }, 60_000)

    it('raises AuthError for a rejected token, without leaking it', async () => {
      const e = await start({ auth: 'bad-token' })
      const err = await e.crm.deals.list().toArray().catch((x: unknown) => x)
      expect(err).toBeInstanceOf(AuthError)
      expect(String((err as Error).message)).not.toContain('bad-token-value')
    })

    it('never puts more than the configured requests in any one-second window', async () => {
      const e = await start({ latencyMs: 5 })
      const n = h.defaultRps * 3
      const first = await e.crm.deals.list().toArray(10_000)
      await Promise.all(first.slice(0, n).map((d) => e.crm.deals.get(d.id)))
      const times = e.log().map((r) => r.time)
      expect(times.length).toBeGreaterThanOrEqual(n)
      expect(maxPerSecond(times)).toBeLessThanOrEqual(h.defaultRps)
      expect(e.rateLimitedCount()).toBe(0)
    }, 60_000)

    it('backs off and recovers when the CRM throttles anyway', async () => {
      // The client thinks it may send 20/s; the emulator allows the CRM's real limit.
      const e = await start({ client: { rateLimit: { requestsPerSecond: 20, maxConcurrent: 20 }, rateLimitBackoffMs: 300 } })
      const deals = await e.crm.deals.list().toArray(10_000)
      const got = await Promise.all(deals.slice(0, 40).map((d) => e.crm.deals.get(d.id)))
      expect(got.map((d) => d.id)).toEqual(deals.slice(0, 40).map((d) => d.id))
      // It was throttled, slowed down, and never provoked the account block.
      expect(e.rateLimitedCount()).toBeGreaterThan(0)
      expect(e.log().some((r) => r.status === 403)).toBe(false)
    }, 60_000)

    it('turns a malformed CRM response into UnexpectedResponseError, not a TypeError', async () => {
      const e = await start()
      e.breakNextDealsPage()
      const err = await e.crm.deals.list().toArray().catch((x: unknown) => x)
      expect(err).toBeInstanceOf(UnexpectedResponseError)
      const { path, excerpt, message } = err as UnexpectedResponseError
      expect(path).not.toBe('')
      // The offending value itself, short, and named in the message with its path.
      expect(excerpt.length).toBeGreaterThan(0)
      expect(excerpt.length).toBeLessThanOrEqual(80)
      expect(excerpt).not.toBe('undefined')
      expect(message).toContain(path)
      expect(message).toContain(excerpt)
    })

    it('cancels with an AbortSignal', async () => {
      const e = await start({ latencyMs: 200 })
      const ac = new AbortController()
      const p = e.crm.deals.list().toArray().catch((x: unknown) => x)
      setTimeout(() => ac.abort(), 50)
      const err = await e.crm.deals.list({}, { signal: ac.signal }).toArray().catch((x: unknown) => x)
      expect(err).toBeInstanceOf(AbortError)
      await p
    })

    it('says in advance what it cannot do, and raises UnsupportedError when asked anyway', async () => {
      const e = await start()
      expect(e.crm.capabilities.collections.deals.query).toContain('updatedSince')
      expect(e.crm.capabilities.collections.pipelines.query).not.toContain('search')
      expect(() => e.crm.pipelines.list({ search: 'x' })).toThrow(UnsupportedError)
    })

    it('stores campaigns and spend after an idempotent setup()', async () => {
      const e = await start()
      const first = await e.crm.setup()
      const second = await e.crm.setup()
      expect(second.created).toEqual([])
      expect(second.existing.length).toBeGreaterThanOrEqual(first.created.length)
      const campaign = await e.crm.campaigns.create({
        name: 'Весенняя распродажа',
        channel: 'paid-search',
        utmCampaign: 'spring_sale_2026',
        startsAt: new Date('2026-03-01T00:00:00Z'),
        endsAt: new Date('2026-03-31T00:00:00Z'),
        plannedBudget: money('250000.50', 'RUB'),
      })
      expect(campaign.plannedBudget).toEqual(money('250000.50', 'RUB'))
      expect(campaign.approval).toBe('draft')
      expect(campaign.startsAt.toISOString()).toBe('2026-03-01T00:00:00.000Z')
      const spend = await e.crm.spend.createMany([
        { campaignId: campaign.id, date: new Date('2026-03-02T00:00:00Z'), amount: money('1000.10', 'RUB'), kind: 'actual' },
        { campaignId: campaign.id, date: new Date('2026-03-03T00:00:00Z'), amount: money('2000.20', 'RUB'), kind: 'committed', note: 'invoice' },
      ])
      expect(spend.every((s) => s.ok)).toBe(true)
      const all = await e.crm.spend.list().toArray()
      expect(sumMoney(all.map((s) => s.amount), 'RUB')).toEqual(money('3000.30', 'RUB'))
      const approved = await e.crm.campaigns.update(campaign.id, { approval: 'approved' })
      expect(approved.approval).toBe('approved')
      expect((await e.crm.campaigns.list().toArray()).map((c) => c.id)).toContain(campaign.id)
    })

    it('keeps the approval history with the campaign, and approval follows its last entry', async () => {
      const e = await start()
      await e.crm.setup()
      const [user] = await e.crm.users.list().toArray()
      const by = user!.id
      const amount = money('120000.50', 'RUB')
      const campaign = await e.crm.campaigns.create({
        name: 'Согласование',
        startsAt: new Date('2026-04-01T00:00:00Z'),
        endsAt: new Date('2026-04-30T00:00:00Z'),
        plannedBudget: amount,
      })
      expect(campaign.approvalHistory).toEqual([])
      expect(campaign.approvalHistoryDropped).toBe(0)
      const submit = { action: 'submit', from: 'draft', to: 'submitted', by, at: new Date('2026-03-20T09:15:30.123Z'), comment: 'Прошу <b>согласовать</b> & "быстро"', amount } as const
      const submitted = await e.crm.campaigns.update(campaign.id, { approvalHistory: [submit] })
      expect(submitted.approval).toBe('submitted')
      expect(submitted.approvalHistory).toEqual([submit])

      const revise = { action: 'request-revision', from: 'submitted', to: 'needs-revision', by, at: new Date('2026-03-21T10:00:00Z'), comment: 'Сократите на 10 %', amount } as const
      const resubmit = { ...submit, from: 'needs-revision', at: new Date('2026-03-22T10:00:00Z'), comment: null, amount: money('108000', 'RUB') } as const
      const approve = { action: 'approve', from: 'submitted', to: 'approved', by, at: new Date('2026-03-23T10:00:00Z'), comment: null, amount: null } as const
      const history = [submit, revise, resubmit, approve]
      await e.crm.campaigns.update(campaign.id, { approval: 'approved', approvalHistory: history })
      const read = await e.crm.campaigns.get(campaign.id)
      expect(read.approval).toBe('approved')
      expect(read.approvalHistory).toEqual(history)
      expect(read.approvalHistoryUnreadable).toBe(false)
      const listed = (await e.crm.campaigns.list().toArray()).find((c) => c.id === campaign.id)!
      expect(listed.approvalHistory.map((h) => h.action)).toEqual(['submit', 'request-revision', 'submit', 'approve'])

      // A state that contradicts the history is refused before anything is sent.
      const err = await e.crm.campaigns.update(campaign.id, { approval: 'draft', approvalHistory: history }).catch((x: unknown) => x)
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as ValidationError).issues[0]!.path).toEqual(['approval'])
      expect((await e.crm.campaigns.get(campaign.id)).approval).toBe('approved')
    })

    it('keeps the newest approval entries within the CRM field and counts the dropped ones', async () => {
      const e = await start()
      await e.crm.setup()
      const [user] = await e.crm.users.list().toArray()
      const campaign = await e.crm.campaigns.create({ name: 'Длинная история', startsAt: new Date('2026-05-01T00:00:00Z'), endsAt: new Date('2026-05-31T00:00:00Z') })
      // ~180 KB of log: more than any of the three fields takes.
      const history = Array.from({ length: 400 }, (_, i) => ({
        action: i % 2 ? 'withdraw' : 'submit',
        from: i % 2 ? 'submitted' : 'draft',
        to: i % 2 ? 'draft' : 'submitted',
        by: user!.id,
        at: new Date(Date.UTC(2026, 3, 1, 0, i)),
        comment: `${i}: ${'комментарий '.repeat(25)}`,
        amount: null,
      }) as const)
      await e.crm.campaigns.update(campaign.id, { approvalHistory: history, approvalHistoryDropped: 5 })
      const read = await e.crm.campaigns.get(campaign.id)
      expect(read.approvalHistory.length).toBeGreaterThan(10)
      expect(read.approvalHistory.length).toBeLessThan(400)
      expect(read.approvalHistory).toEqual(history.slice(400 - read.approvalHistory.length))
      expect(read.approvalHistoryDropped).toBe(5 + 400 - read.approvalHistory.length)
      expect(read.approval).toBe('draft')
    })
  })
}
