import { emptySource, type Source, type SourceInput } from '../../../sdk/index.js'
import type { WireCustomFieldValue } from '../wire.js'
import type { WireFieldWrite } from './custom-fields.js'

/**
 * amoCRM keeps UTM marks and click ids as `tracking_data` custom fields with fixed codes, writable
 * by code in every account (research §2.5).
 */
export const TRACKING_CODES = {
  utm_source: 'UTM_SOURCE',
  utm_medium: 'UTM_MEDIUM',
  utm_campaign: 'UTM_CAMPAIGN',
  utm_content: 'UTM_CONTENT',
  utm_term: 'UTM_TERM',
  referrer: 'REFERRER',
  utm_referrer: 'UTM_REFERRER',
  gclid: 'GCLID',
  yclid: 'YCLID',
  fbclid: 'FBCLID',
} as const

/** Reads the tracking fields in one pass over the values (this runs for every deal exported). */
export function decodeSource(values: WireCustomFieldValue[] | null | undefined): Source {
  const s = emptySource()
  if (!values) return s
  let utmReferrer: string | null = null
  for (const f of values) {
    const code = f.field_code
    if (!code) continue
    const raw = f.values?.[0]?.value
    if ((typeof raw !== 'string' && typeof raw !== 'number') || raw === '') continue
    const v = String(raw)
    switch (code) {
      case 'UTM_SOURCE': s.utm.source = v; break
      case 'UTM_MEDIUM': s.utm.medium = v; break
      case 'UTM_CAMPAIGN': s.utm.campaign = v; break
      case 'UTM_CONTENT': s.utm.content = v; break
      case 'UTM_TERM': s.utm.term = v; break
      case 'REFERRER': s.referrer = v; break
      case 'UTM_REFERRER': utmReferrer = v; break
      case 'GCLID': s.clickIds.gclid = v; break
      case 'YCLID': s.clickIds.yclid = v; break
      case 'FBCLID': s.clickIds.fbclid = v; break
    }
  }
  s.referrer ??= utmReferrer
  // amoCRM has no separate source/campaign notions on a deal: the UTM values are the CRM's own.
  s.source = s.utm.source
  s.campaign = s.utm.campaign
  return s
}

export function encodeSource(input: SourceInput): WireFieldWrite[] {
  const out: WireFieldWrite[] = []
  const put = (code: string, value: string | null | undefined) => {
    if (value === undefined) return
    out.push({ field_code: code, values: value === null ? null : [{ value }] })
  }
  put('UTM_SOURCE', input.utm?.source ?? (input.source === undefined ? undefined : input.source))
  put('UTM_MEDIUM', input.utm?.medium)
  put('UTM_CAMPAIGN', input.utm?.campaign ?? (input.campaign === undefined ? undefined : input.campaign))
  put('UTM_CONTENT', input.utm?.content)
  put('UTM_TERM', input.utm?.term)
  put('REFERRER', input.referrer)
  put('GCLID', input.clickIds?.gclid)
  put('YCLID', input.clickIds?.yclid)
  put('FBCLID', input.clickIds?.fbclid)
  return out
}
