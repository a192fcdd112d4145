// The part of a Creatio site's data model the emulator serves: entity → columns, with lookups
// (`OwnerId` + navigation `Owner` → Contact) as Creatio exposes them over OData 4 (research §5).
export type ColType = 'Guid' | 'String' | 'Decimal' | 'Int32' | 'Boolean' | 'DateTimeOffset'
export interface ColumnDef {
  name: string
  type: ColType
  /** Target entity of a lookup column (`XxxId`); its navigation property is `Xxx`. */
  lookup?: string
}
export type EntitySchema = Map<string, ColumnDef>
export type SiteSchema = Map<string, EntitySchema>

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000'
export const EMPTY_DATE = '0001-01-01T00:00:00Z'

export interface SiteVariant {
  /** Marketing plans (CampaignPlanner, MktgActivity) installed. Default true. */
  marketingPlans?: boolean
  /** Lead.Utm*Str (Creatio 8.x) and crmkit's `Usr*` tracking columns on Opportunity. Default true. */
  utmColumns?: boolean
  /** crmkit's optional approval history column MktgActivity.UsrCrmkitApprovalLog. Default true. */
  approvalLogColumn?: boolean
  /**
   * A customer's own text column `UsrInn` (tax id) on Contact and Account, as integrators add one to
   * match records by. Default false: a stock site has none.
   */
  innColumns?: boolean
}

const s = (name: string): ColumnDef => ({ name, type: 'String' })
const d = (name: string): ColumnDef => ({ name, type: 'Decimal' })
const i = (name: string): ColumnDef => ({ name, type: 'Int32' })
const b = (name: string): ColumnDef => ({ name, type: 'Boolean' })
const t = (name: string): ColumnDef => ({ name, type: 'DateTimeOffset' })
const lk = (nav: string, target: string): ColumnDef => ({ name: `${nav}Id`, type: 'Guid', lookup: target })

const SYSTEM: ColumnDef[] = [
  { name: 'Id', type: 'Guid' },
  t('CreatedOn'),
  lk('CreatedBy', 'Contact'),
  t('ModifiedOn'),
  lk('ModifiedBy', 'Contact'),
  i('ProcessListeners'),
]

export function buildSchema(v: SiteVariant = {}): SiteSchema {
  const plans = v.marketingPlans !== false
  const utm = v.utmColumns !== false
  const approvalLog = v.approvalLogColumn !== false
  const inn = v.innColumns === true ? [s('UsrInn')] : []
  const lookupEntity = (...extra: ColumnDef[]) => [s('Name'), s('Description'), ...extra]
  const defs: Record<string, ColumnDef[]> = {
    Contact: [s('Name'), s('Surname'), s('GivenName'), s('MiddleName'), s('Email'), s('MobilePhone'), s('Phone'), s('HomePhone'), s('JobTitle'), lk('Account', 'Account'), lk('Owner', 'Contact'), s('Notes'), ...inn],
    Account: [s('Name'), s('Phone'), s('Web'), lk('Owner', 'Contact'), s('Notes'), ...inn],
    Lead: [
      s('LeadName'), s('Contact'), s('Account'), lk('QualifiedContact', 'Contact'), lk('QualifiedAccount', 'Account'),
      lk('QualifyStatus', 'QualifyStatus'), lk('Status', 'LeadStatus'), lk('LeadType', 'LeadType'), lk('LeadSource', 'LeadSource'),
      lk('LeadMedium', 'LeadMedium'), lk('Campaign', 'Campaign'), lk('Opportunity', 'Opportunity'), d('Budget'), s('Email'),
      s('MobilePhone'), s('BusinesPhone'), s('Website'), lk('Owner', 'Contact'), s('Commentary'), s('BpmHref'), s('BpmRef'),
      ...(utm ? ['UtmSourceStr', 'UtmMediumStr', 'UtmCampaignStr', 'UtmContentStr', 'UtmTermStr'].map(s) : []),
    ],
    Opportunity: [
      s('Title'), lk('Account', 'Account'), lk('Contact', 'Contact'), lk('Stage', 'OpportunityStage'), d('Amount'), d('Budget'),
      i('Probability'), t('DueDate'), lk('CloseReason', 'OpportunityCloseReason'), lk('LeadType', 'LeadType'), lk('Owner', 'Contact'),
      lk('Campaign', 'Campaign'), lk('LeadSource', 'LeadSource'), lk('LeadChannel', 'LeadMedium'), lk('MainLead', 'Lead'),
      t('ClosedOnDate'), s('Description'), lk('UsrDealType', 'UsrDealType'),
      ...(utm ? ['UsrUtmSource', 'UsrUtmMedium', 'UsrUtmCampaign', 'UsrUtmContent', 'UsrUtmTerm', 'UsrGclid', 'UsrYclid', 'UsrFbclid', 'UsrReferrer'].map(s) : []),
    ],
    OpportunityStage: [s('Name'), i('Number'), b('End'), b('Successful')],
    QualifyStatus: [s('Name'), i('StageNumber'), b('IsFinal'), b('Successful')],
    OpportunityCloseReason: lookupEntity(),
    LeadStatus: lookupEntity(),
    LeadType: lookupEntity(),
    LeadMedium: lookupEntity(),
    LeadSource: lookupEntity(lk('LeadMedium', 'LeadMedium')),
    UsrDealType: lookupEntity(),
    CampaignStatus: lookupEntity(),
    Campaign: [s('Name'), lk('CampaignStatus', 'CampaignStatus'), lk('Owner', 'Contact'), t('StartDate'), t('EndDate'), s('UtmCampaign'), i('TargetTotal'), s('Notes')],
    Event: [
      s('Name'), t('StartDate'), t('EndDate'), lk('Campaign', 'Campaign'), lk('Owner', 'Contact'), s('Goal'),
      d('PrimaryBudgetedCost'), d('PrimaryActualCost'), d('PrimaryExpectedRevenue'), d('PrimaryActualRevenue'),
      ...(plans ? [lk('UsrMktgActivity', 'MktgActivity')] : []),
    ],
    SysAdminUnit: [s('Name'), lk('Contact', 'Contact'), b('Active'), i('SysAdminUnitTypeValue')],
    ...(plans
      ? {
          CampaignPlanner: [s('Name'), t('StartDate'), t('DueDate'), lk('Owner', 'Contact'), d('PlannedBudget'), d('SpentBudget'), d('PrimaryPlannedBudget'), d('PrimarySpentBudget'), s('Notes')],
          MktgActivityStatus: lookupEntity(),
          MktgActivity: [
            s('Name'), lk('CampaignPlanner', 'CampaignPlanner'), lk('Channel', 'LeadMedium'), lk('Status', 'MktgActivityStatus'),
            t('StartDate'), t('DueDate'), lk('Owner', 'Contact'), d('PlannedBudget'), d('SpentBudget'), d('PrimaryPlannedBudget'),
            d('PrimarySpentBudget'), b('Approval'), s('Url'), s('Description'), s('UsrUtmCampaign'),
            ...(approvalLog ? [s('UsrCrmkitApprovalLog')] : []),
          ],
        }
      : {}),
  }
  const schema: SiteSchema = new Map()
  for (const [entity, cols] of Object.entries(defs)) schema.set(entity, new Map([...SYSTEM, ...cols].map((c) => [c.name, c])))
  return schema
}

export function defaultValue(c: ColumnDef): unknown {
  switch (c.type) {
    case 'Guid':
      return ZERO_GUID
    case 'String':
      return ''
    case 'Decimal':
    case 'Int32':
      return 0
    case 'Boolean':
      return false
    case 'DateTimeOffset':
      return EMPTY_DATE
  }
}

const NS = 'Terrasoft.Configuration.OData'
const edm = (t: ColType) => `Edm.${t}`

/** CSDL XML as `GET /0/odata/$metadata` returns it (trimmed to what clients read). */
export function metadataXml(schema: SiteSchema): string {
  const types: string[] = []
  const sets: string[] = []
  for (const [entity, cols] of schema) {
    const props: string[] = []
    const navs: string[] = []
    for (const c of cols.values()) {
      props.push(`<Property Name="${c.name}" Type="${edm(c.type)}"${c.name === 'Id' ? ' Nullable="false"' : ''} />`)
      if (c.lookup && schema.has(c.lookup)) navs.push(`<NavigationProperty Name="${c.name.slice(0, -2)}" Type="${NS}.${c.lookup}" />`)
    }
    types.push(`<EntityType Name="${entity}"><Key><PropertyRef Name="Id" /></Key>${props.join('')}${navs.join('')}</EntityType>`)
    sets.push(`<EntitySet Name="${entity}" EntityType="${NS}.${entity}" />`)
  }
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
    `<Schema Namespace="${NS}" xmlns="http://docs.oasis-open.org/odata/ns/edm">${types.join('')}` +
    `<EntityContainer Name="Default">${sets.join('')}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`
  )
}
