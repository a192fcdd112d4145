import { ValidationError, emptySource, type Source, type SourceInput } from '../../../sdk/index.js'
import { str } from './scalars.js'

/** Default names of the user fields holding click ids and the referrer; `crm.setup()` creates them. */
export const CLICK_ID_FIELDS = {
  gclid: 'UF_CRM_CRMKIT_GCLID',
  yclid: 'UF_CRM_CRMKIT_YCLID',
  fbclid: 'UF_CRM_CRMKIT_FBCLID',
  referrer: 'UF_CRM_CRMKIT_REFERRER',
} as const
export type ClickIdFields = Record<keyof typeof CLICK_ID_FIELDS, string>

/**
 * How a write names a campaign: crmkit's campaign smart process is the parent of deals and leads
 * (`parentId{type}`), found by name or utm_campaign tag before the write.
 */
export interface CampaignLink {
  /** `parentId{entityTypeId}` of the campaign smart process. */
  field: string
  idOf(name: string): string | null
}

/**
 * Bitrix24 has UTM fields on every item (`utmSource` … `utmTerm`) and its own source dictionary
 * (`sourceId`: WEB, ADVERTISING, UC_…) which becomes `channel`. Click ids and the referrer live in
 * user fields (research §2.7). `campaign` is the utm campaign here; the driver replaces it with the
 * parent campaign's name where the item has one (that needs another read).
 */
export function decodeSource(item: Record<string, unknown>, fields: ClickIdFields): Source {
  const s = emptySource()
  s.channel = str(item.sourceId)
  s.utm.source = str(item.utmSource)
  s.utm.medium = str(item.utmMedium)
  s.utm.campaign = str(item.utmCampaign)
  s.utm.content = str(item.utmContent)
  s.utm.term = str(item.utmTerm)
  s.source = s.utm.source
  s.campaign = s.utm.campaign
  s.clickIds.gclid = str(item[fields.gclid])
  s.clickIds.yclid = str(item[fields.yclid])
  s.clickIds.fbclid = str(item[fields.fbclid])
  s.referrer = str(item[fields.referrer])
  return s
}

/**
 * `crm.item` fields for a source write; click ids need their user fields to exist. `campaign`
 * naming one of crmkit's campaigns links the item to it (its parent); null unlinks it; a name no
 * campaign has (or a portal without crmkit's campaigns) is kept as the utm campaign, as it reads
 * back.
 */
export function encodeSource(input: SourceInput, fields: ClickIdFields, existing: ReadonlySet<string>, campaign: CampaignLink | null = null): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (input.channel !== undefined) out.sourceId = input.channel ?? ''
  const utm = { ...input.utm }
  if (utm.source === undefined && input.source !== undefined) utm.source = input.source
  const parent = typeof input.campaign === 'string' && campaign ? campaign.idOf(input.campaign) : null
  if (campaign && input.campaign !== undefined) out[campaign.field] = parent ? Number(parent) : 0
  if (utm.campaign === undefined && input.campaign !== undefined && !parent) utm.campaign = input.campaign
  const map = { source: 'utmSource', medium: 'utmMedium', campaign: 'utmCampaign', content: 'utmContent', term: 'utmTerm' } as const
  for (const [k, f] of Object.entries(map)) {
    const v = utm[k as keyof typeof map]
    if (v !== undefined) out[f] = v ?? ''
  }
  const uf = (key: keyof ClickIdFields, value: string | null | undefined, path: string[]) => {
    if (value === undefined) return
    if (!existing.has(fields[key])) {
      throw new ValidationError(`${path.join('.')}: the portal has no field ${fields[key]}; run crm.setup() once`, {
        crm: 'bitrix24',
        issues: [{ path, message: `needs user field ${fields[key]} (created by crm.setup())`, code: 'unsupported_field' }],
      })
    }
    out[fields[key]] = value ?? ''
  }
  uf('gclid', input.clickIds?.gclid, ['source', 'clickIds', 'gclid'])
  uf('yclid', input.clickIds?.yclid, ['source', 'clickIds', 'yclid'])
  uf('fbclid', input.clickIds?.fbclid, ['source', 'clickIds', 'fbclid'])
  uf('referrer', input.referrer, ['source', 'referrer'])
  return out
}
