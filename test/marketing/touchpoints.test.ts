import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../sdk/errors.js'
import { emptySource, type Deal, type Lead, type Source } from '../../sdk/model/index.js'
import {
  attribute,
  buildJourneys,
  createConverter,
  creditByKey,
  createChannelClassifier,
  groupTouchCredit,
  journeysFromPaths,
  touchpointsFromCrm,
  type Conversion,
  type Touchpoint,
} from '../../sdk/marketing/index.js'

const d = (s: string) => new Date(`${s}T12:00:00Z`)
const src = (utm: Partial<Source['utm']>, extra: Partial<Source> = {}): Source => ({ ...emptySource(), ...extra, utm: { ...emptySource().utm, ...utm } })

function lead(id: string, contactId: string | null, at: string, source: Source, dealId: string | null = null): Lead {
  return { id, createdAt: d(at), updatedAt: d(at), customFields: {}, title: id, status: 'open', amount: null, pipelineId: null, stageId: null, ownerId: null, contactId, companyId: null, dealId, source }
}
function deal(id: string, contactId: string | null, at: string, source: Source, won?: { at: string; rub: number }, leadId: string | null = null): Deal {
  return {
    id, createdAt: d(at), updatedAt: d(at), customFields: {}, title: id,
    amount: won ? { minor: won.rub * 100, currency: 'RUB' } : null, pipelineId: null, stageId: null,
    outcome: won ? 'won' : 'open', closedAt: won ? d(won.at) : null, lossReason: null, ownerId: null,
    contactId, contactIds: contactId ? [contactId] : [], companyId: null, leadId, source,
  }
}

describe('touchpointsFromCrm', () => {
  it('turns leads and deals into touches and lead/deal/won conversions with revenue', () => {
    const { touchpoints, conversions } = touchpointsFromCrm({
      leads: [lead('L1', 'C1', '2026-03-01', src({ source: 'yandex', medium: 'cpc' }))],
      deals: [deal('D1', 'C1', '2026-03-05', src({ source: 'newsletter', medium: 'email' }), { at: '2026-03-20', rub: 1500 }, 'L1')],
    })
    expect(touchpoints.map((t) => [t.channel, t.leadId, t.dealId])).toEqual([
      ['paid-search', 'L1', null],
      ['email', null, 'D1'],
    ])
    expect(conversions.map((c) => c.kind)).toEqual(['lead', 'deal', 'won'])
    expect(conversions[2]!.value).toEqual({ minor: 150_000, currency: 'RUB' })
  })

  it('amoCRM: a lead and a deal that are one record make one touch with both roles', () => {
    const s = src({ source: 'vk', medium: 'cpc' })
    const { touchpoints } = touchpointsFromCrm({
      leads: [lead('7', 'C1', '2026-03-01', s, '7')],
      deals: [deal('7', 'C1', '2026-03-01', s, undefined, '7')],
    })
    expect(touchpoints).toHaveLength(1)
    expect(touchpoints[0]).toMatchObject({ channel: 'paid-social', leadId: '7', dealId: '7' })
  })

  it('classifies with a custom classifier when given one', () => {
    const leads = [lead('L1', 'C1', '2026-03-01', src({ source: 'yandex', medium: 'cpc' })), lead('L2', 'C2', '2026-03-02', src({ source: 'vk', medium: 'cpc' }))]
    const deals = [deal('D1', 'C1', '2026-03-03', src({ source: 'newsletter', medium: 'email' }), undefined, 'L1')]
    // The business's own code for Yandex Direct, the defaults for everything else.
    const classify = createChannelClassifier({ rules: [{ source: ['yandex'], medium: ['cpc'], channel: 'yandex-direct' }] })
    expect(touchpointsFromCrm({ leads, deals, classify }).touchpoints.map((t) => t.channel)).toEqual(['yandex-direct', 'paid-social', 'email'])
    // Any function of the source will do; it sees the record's own source.
    const seen: (string | null)[] = []
    const byMedium = touchpointsFromCrm({ leads, deals, classify: (s) => (seen.push(s?.utm?.source ?? null), `m:${s?.utm?.medium}`) })
    expect(byMedium.touchpoints.map((t) => t.channel)).toEqual(['m:cpc', 'm:cpc', 'm:email'])
    expect(seen).toEqual(['yandex', 'vk', 'newsletter'])
    // Without one, the default rules apply.
    expect(touchpointsFromCrm({ leads, deals }).touchpoints[0]!.channel).toBe('paid-search')
  })

  it('W-shaped over CRM data credits the lead- and deal-creation touches', () => {
    const { touchpoints, conversions } = touchpointsFromCrm({
      leads: [lead('L1', 'C1', '2026-03-02', src({ source: 'yandex', medium: 'cpc' }))],
      deals: [deal('D1', 'C1', '2026-03-04', src({}, { referrer: 'https://t.me/channel' }), { at: '2026-03-10', rub: 1000 }, 'L1')],
    })
    const extra: Touchpoint[] = [
      { contactId: 'C1', at: d('2026-03-01'), channel: 'social' },
      { contactId: 'C1', at: d('2026-03-03'), channel: 'email' },
      { contactId: 'C1', at: d('2026-03-05'), channel: 'email' },
    ]
    const j = buildJourneys([...touchpoints, ...extra], conversions, { kind: 'won' })
    expect(j.conversions.length).toBe(1)
    const c = creditByKey(attribute(j, 'w-shaped'))
    // social first 0.3, paid-search lead 0.3, messengers deal 0.3, two email touches 0.05 each.
    expect(c.social).toBeCloseTo(0.3, 12)
    expect(c['paid-search']).toBeCloseTo(0.3, 12)
    expect(c.messengers).toBeCloseTo(0.3, 12)
    expect(c.email).toBeCloseTo(0.1, 12)
    expect(j.value[0]).toBe(100_000)
  })
})

describe('buildJourneys', () => {
  const touches: Touchpoint[] = [
    { contactId: 'A', at: d('2026-01-01'), channel: 'email', campaign: 'jan' },
    { contactId: 'A', at: d('2026-01-10'), channel: 'search', campaign: 'brand' },
    { contactId: 'A', at: d('2026-02-10'), channel: 'social', campaign: 'feb' },
    { contactId: 'B', at: d('2026-01-05'), channel: 'social', campaign: 'feb' },
  ]
  const conv: Conversion[] = [
    { contactId: 'A', at: d('2026-01-15'), kind: 'lead' },
    { contactId: 'Z', at: d('2026-01-15'), kind: 'lead' },
  ]

  it('cuts journeys at conversions, keeps the tail and the never-converting contacts as null paths, counts touchless conversions', () => {
    const j = buildJourneys(touches, conv, { kind: 'lead' })
    const paths = [...j.conversions].map((c, p) => ({ c, keys: [...j.touchKey.subarray(j.pathStart[p]!, j.pathStart[p + 1]!)].map((k) => j.keys[k]) }))
    expect(paths).toEqual([
      { c: 1, keys: ['email', 'search'] },
      { c: 0, keys: ['social'] },
      { c: 0, keys: ['social'] },
    ])
    expect(j.unattributed).toBe(1)
  })

  it('applies the lookback window before weighting', () => {
    const j = buildJourneys(touches, conv, { kind: 'lead', lookbackDays: 7 })
    expect(creditByKey(attribute(j, 'linear'))).toMatchObject({ search: 1 })
  })

  it('regroups rule-based credit by any touch attribute (campaign)', () => {
    const j = buildJourneys(touches, conv, { kind: 'lead' })
    const r = attribute(j, 'linear', { keepTouchWeights: true })
    const byCampaign = groupTouchCredit(j, r, (i) => touches[i]!.campaign ?? '(none)')
    expect(Object.fromEntries([...byCampaign].map(([k, v]) => [k, v.conversions]))).toEqual({ jan: 0.5, brand: 0.5 })
  })

  it('converts revenue in several currencies with the supplied rates, once per conversion', () => {
    const conv2: Conversion[] = [
      { contactId: 'A', at: d('2026-01-15'), kind: 'won', value: { minor: 10_000, currency: 'USD' } },
      { contactId: 'B', at: d('2026-01-06'), kind: 'won', value: { minor: 500_000, currency: 'RUB' } },
    ]
    expect(() => buildJourneys(touches, conv2, { kind: 'won' })).toThrow(ValidationError)
    const j = buildJourneys(touches, conv2, { kind: 'won', converter: createConverter({ base: 'RUB', rates: { USD: '92.5' } }) })
    expect([...j.value].sort((a, b) => a - b)).toEqual([0, 500_000, 925_000])
    expect(j.currency).toBe('RUB')
  })

  it('names the bad field', () => {
    try {
      buildJourneys([{ contactId: 'A', at: new Date('nope'), channel: 'x' }], [], { kind: 'lead' })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError)
      expect((e as ValidationError).issues[0]!.path).toEqual(['touchpoints', 0, 'at'])
    }
  })

  it('journeysFromPaths: a negative or non-numeric value is a ValidationError naming the row', () => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      try {
        journeysFromPaths([{ path: ['a'], conversions: 1, value: 10 }, { path: ['b'], conversions: 1, value }])
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError)
        expect((e as ValidationError).issues[0]).toMatchObject({ path: ['rows', 1, 'value'], code: 'too_small' })
      }
    }
    expect(journeysFromPaths([{ path: ['a'], conversions: 1, value: 0 }]).value[0]).toBe(0)
  })
})
