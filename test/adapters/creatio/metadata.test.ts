import { describe, expect, it } from 'vitest'
import { customColumns, fieldColumns, parseMetadata, probeCapabilities } from '../../../adapters/creatio/metadata.js'
import { buildSchema, metadataXml } from '../../../adapters/creatio/testing/index.js'

describe('Creatio $metadata probe', () => {
  it('reads entity sets, columns and lookups from CSDL', () => {
    const meta = parseMetadata(metadataXml(buildSchema()))
    expect(meta.get('Opportunity')?.props.get('Amount')).toBe('Edm.Decimal')
    expect(meta.get('Opportunity')?.navs.get('Owner')).toBe('Contact')
    expect(customColumns(meta.get('Opportunity')).map((c) => c.column)).toEqual(['UsrDealTypeId'])
  })

  it('exposes the Usr* columns and the standard deal columns the model has no field for, as the site has them', () => {
    const meta = parseMetadata(metadataXml(buildSchema()))
    expect(fieldColumns(meta.get('Opportunity'))).toEqual([
      { column: 'UsrDealTypeId', type: 'Edm.Guid', lookup: 'UsrDealType' },
      { column: 'Probability', type: 'Edm.Int32', lookup: null, name: 'Probability, %' },
      { column: 'DueDate', type: 'Edm.DateTimeOffset', lookup: null, name: 'Expected close date' },
      { column: 'LeadTypeId', type: 'Edm.Guid', lookup: 'LeadType', name: 'Customer need' },
    ])
    // A trimmed site: only what its $metadata lists.
    const bare = parseMetadata('<EntityType Name="Opportunity"><Property Name="Id" Type="Edm.Guid"/><Property Name="Probability" Type="Edm.Int32"/></EntityType>')
    expect(fieldColumns(bare.get('Opportunity')).map((c) => c.column)).toEqual(['Probability'])
    expect(fieldColumns(meta.get('Lead')).map((c) => c.column)).toEqual(customColumns(meta.get('Lead')).map((c) => c.column))
  })

  it('chooses Marketing plans for campaigns when the site has them', () => {
    const caps = probeCapabilities(parseMetadata(metadataXml(buildSchema())))
    expect(caps.marketingPlans).toBe(true)
    expect(caps.campaigns).toBe('MktgActivity')
    expect(caps.spend).toEqual({ entity: 'Event', link: 'UsrMktgActivityId' })
    expect(caps.tracking.Lead).toMatchObject({ utmSource: 'UtmSourceStr', landing: 'BpmHref', referrer: 'BpmRef' })
    expect(caps.tracking.Opportunity).toMatchObject({ utmSource: 'UsrUtmSource', yclid: 'UsrYclid' })
  })

  it('falls back to Campaign + Event costs without Marketing plans, and to no UTM columns', () => {
    const caps = probeCapabilities(parseMetadata(metadataXml(buildSchema({ marketingPlans: false, utmColumns: false }))))
    expect(caps.campaigns).toBe('Campaign')
    expect(caps.spend).toEqual({ entity: 'Event', link: 'CampaignId' })
    expect(caps.tracking.Opportunity.utmSource).toBeUndefined()
    expect(caps.tracking.Lead.utmSource).toBeUndefined()
    expect(caps.tracking.Lead.landing).toBe('BpmHref')
  })

  it('says why spend cannot be stored when Event has no costs', () => {
    const xml = '<EntityType Name="Campaign"><Property Name="Id" Type="Edm.Guid"/></EntityType><EntityType Name="Event"><Property Name="Id" Type="Edm.Guid"/></EntityType>'
    const caps = probeCapabilities(parseMetadata(xml))
    expect(caps.spend.entity).toBeNull()
    expect('reason' in caps.spend && caps.spend.reason).toMatch(/PrimaryActualCost/)
  })
})
