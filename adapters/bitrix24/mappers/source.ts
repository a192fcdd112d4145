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
 * Bitrix24 has UTM fields on every item (`utmSource` … `utmTerm`) and its own source dictionary
 * (`sourceId`: WEB, ADVERTISING, UC_…) which becomes `channel`. Click ids and the referrer live in
 * user fields (research §2.7).
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

/** `crm.item` fields for a source write; click ids need their user fields to exist. */
export function encodeSource(input: SourceInput, fields: ClickIdFields, existing: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (input.channel !== undefined) out.sourceId = input.channel ?? ''
  const utm = { ...input.utm }
  if (utm.source === undefined && input.source !== undefined) utm.source = input.source
  if (utm.campaign === undefined && input.campaign !== undefined) utm.campaign = input.campaign
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
