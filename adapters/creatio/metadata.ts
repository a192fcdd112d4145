/**
 * Reads Creatio's `$metadata` (CSDL XML) just enough to know which entity sets and columns this
 * site has, and decides from that how crmkit maps campaigns, spend and tracking (research §9.7).
 */
export interface EntityMeta {
  name: string
  /** Column → Edm type (`Edm.String`, `Edm.Guid`, `Edm.Decimal` …). */
  props: Map<string, string>
  /** Navigation (lookup) name → target entity, e.g. `Owner` → `Contact` (column `OwnerId`). */
  navs: Map<string, string>
}
export type SiteMetadata = Map<string, EntityMeta>

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]

export function parseMetadata(xml: string): SiteMetadata {
  const out: SiteMetadata = new Map()
  const typeRe = /<EntityType\b([^>]*)>([\s\S]*?)<\/EntityType>/g
  for (const m of xml.matchAll(typeRe)) {
    const name = attr(m[1]!, 'Name')
    if (!name) continue
    const meta: EntityMeta = { name, props: new Map(), navs: new Map() }
    for (const p of m[2]!.matchAll(/<Property\b([^>]*?)\/?>/g)) {
      const pn = attr(p[1]!, 'Name')
      if (pn) meta.props.set(pn, attr(p[1]!, 'Type') ?? 'Edm.String')
    }
    for (const p of m[2]!.matchAll(/<NavigationProperty\b([^>]*?)\/?>/g)) {
      const pn = attr(p[1]!, 'Name')
      const type = attr(p[1]!, 'Type')
      if (pn && type) meta.navs.set(pn, type.replace(/^Collection\(|\)$/g, '').split('.').pop()!)
    }
    out.set(name, meta)
  }
  // Only types exposed as entity sets are queryable.
  const sets = new Set([...xml.matchAll(/<EntitySet\b[^>]*\bName="([^"]+)"/g)].map((m) => m[1]!))
  if (sets.size) for (const k of [...out.keys()]) if (!sets.has(k)) out.delete(k)
  return out
}

/** Model source field → Creatio columns to look for, first present wins. */
export const TRACKING_CANDIDATES = {
  utmSource: ['UtmSourceStr', 'UsrUtmSource'],
  utmMedium: ['UtmMediumStr', 'UsrUtmMedium'],
  utmCampaign: ['UtmCampaignStr', 'UsrUtmCampaign'],
  utmContent: ['UtmContentStr', 'UsrUtmContent'],
  utmTerm: ['UtmTermStr', 'UsrUtmTerm'],
  gclid: ['UsrGclid'],
  yclid: ['UsrYclid'],
  fbclid: ['UsrFbclid'],
  referrer: ['BpmRef', 'UsrReferrer'],
  /** The landing URL (UTM marks and click ids in its query), read as a fallback. */
  landing: ['BpmHref'],
} as const
export type TrackingKey = keyof typeof TRACKING_CANDIDATES
export type TrackingColumns = Partial<Record<TrackingKey, string>>

export function trackingColumns(e: EntityMeta | undefined): TrackingColumns {
  const out: TrackingColumns = {}
  if (!e) return out
  for (const [key, candidates] of Object.entries(TRACKING_CANDIDATES) as [TrackingKey, readonly string[]][]) {
    const found = candidates.find((c) => e.props.has(c))
    if (found) out[key] = found
  }
  return out
}

/** crmkit's own link column on Event when campaigns live in MktgActivity. */
export const SPEND_ACTIVITY_COLUMN = 'UsrMktgActivityId'

export interface SiteCapabilities {
  /** `MktgActivity` (and `CampaignPlanner`): campaigns with channel, dates, budgets and approval. */
  marketingPlans: boolean
  /** Event has `PrimaryBudgetedCost` / `PrimaryActualCost`. */
  eventCosts: boolean
  /** Where crmkit campaigns live. */
  campaigns: 'MktgActivity' | 'Campaign' | null
  /** Where spend entries live and how they link to their campaign; null with the reason. */
  spend: { entity: 'Event'; link: string } | { entity: null; reason: string }
  tracking: { Lead: TrackingColumns; Opportunity: TrackingColumns }
}

export function probeCapabilities(meta: SiteMetadata): SiteCapabilities {
  const mktg = meta.get('MktgActivity')
  const marketingPlans = !!mktg && meta.has('CampaignPlanner')
  const event = meta.get('Event')
  const eventCosts = !!event && event.props.has('PrimaryActualCost') && event.props.has('PrimaryBudgetedCost')
  const campaigns = marketingPlans ? 'MktgActivity' : meta.has('Campaign') ? 'Campaign' : null
  let spend: SiteCapabilities['spend']
  if (!eventCosts) spend = { entity: null, reason: 'this site has no Event object with cost columns (PrimaryActualCost, PrimaryBudgetedCost)' }
  else if (campaigns === 'MktgActivity') {
    spend = event!.props.has(SPEND_ACTIVITY_COLUMN)
      ? { entity: 'Event', link: SPEND_ACTIVITY_COLUMN }
      : {
          entity: null,
          reason: `campaigns live in Marketing plans (MktgActivity) but Event has no ${SPEND_ACTIVITY_COLUMN} column to link costs to an activity; add it (see the crmkit Creatio README)`,
        }
  } else if (campaigns === 'Campaign') spend = { entity: 'Event', link: 'CampaignId' }
  else spend = { entity: null, reason: 'this site has neither Marketing plans (MktgActivity) nor Campaign' }
  return {
    marketingPlans,
    eventCosts,
    campaigns,
    spend,
    tracking: { Lead: trackingColumns(meta.get('Lead')), Opportunity: trackingColumns(meta.get('Opportunity')) },
  }
}

/**
 * Optional text column on MktgActivity for the approval history (crmkit's JSON log); add it as
 * "Unlimited length text" in the Creatio configuration to keep approval steps beyond the yes/no flag.
 */
export const APPROVAL_LOG_COLUMN = 'UsrCrmkitApprovalLog'

const TRACKING_NAMES = new Set<string>([...Object.values(TRACKING_CANDIDATES).flat(), SPEND_ACTIVITY_COLUMN, APPROVAL_LOG_COLUMN])

/** A column exposed as a custom field: type and lookup target from `$metadata`. */
export interface FieldColumn {
  column: string
  type: string
  lookup: string | null
  /** Display name; default: the column without `Usr` and `Id`. */
  name?: string
}

const column = (e: EntityMeta, name: string, type: string): FieldColumn => {
  const nav = name.endsWith('Id') ? name.slice(0, -2) : null
  return { column: name, type, lookup: nav && e.navs.has(nav) ? e.navs.get(nav)! : null }
}

/** Custom columns (Creatio's `Usr` prefix), minus those crmkit itself uses for tracking. */
export function customColumns(e: EntityMeta | undefined): FieldColumn[] {
  if (!e) return []
  const out: FieldColumn[] = []
  for (const [name, type] of e.props) {
    if (!name.startsWith('Usr') || TRACKING_NAMES.has(name)) continue
    out.push(column(e, name, type))
  }
  return out
}

/**
 * Standard columns the model has no field for (research §5.2), kept as custom fields under their
 * column names so reads do not drop them and writes can set them.
 */
export const STANDARD_FIELDS: Readonly<Record<string, readonly { column: string; name: string }[]>> = {
  Opportunity: [
    { column: 'Probability', name: 'Probability, %' },
    { column: 'DueDate', name: 'Expected close date' },
    { column: 'LeadTypeId', name: 'Customer need' },
  ],
}

/** Every column exposed as a custom field: the `Usr*` ones, then the standard ones this site has. */
export function fieldColumns(e: EntityMeta | undefined): FieldColumn[] {
  if (!e) return []
  const standard = (STANDARD_FIELDS[e.name] ?? []).flatMap((f) => {
    const type = e.props.get(f.column)
    return type ? [{ ...column(e, f.column, type), name: f.name }] : []
  })
  return [...customColumns(e), ...standard]
}
