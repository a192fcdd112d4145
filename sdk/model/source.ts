import { z } from 'zod/mini'
import { useEnglishErrors } from '../zod-locale.js'

useEnglishErrors()

/** The UTM set as the CRM stored it; null where the CRM has no value. */
export const Utm = z.object({
  source: z.nullable(z.string()),
  medium: z.nullable(z.string()),
  campaign: z.nullable(z.string()),
  content: z.nullable(z.string()),
  term: z.nullable(z.string()),
})
export type Utm = z.infer<typeof Utm>

/** Advertising click ids; which ones exist depends on the CRM and the site's tracking. */
export const ClickIds = z.object({
  gclid: z.nullable(z.string()),
  yclid: z.nullable(z.string()),
  fbclid: z.nullable(z.string()),
})
export type ClickIds = z.infer<typeof ClickIds>

/**
 * Where a lead or deal came from. `channel` is the CRM's own channel/source notion when it has
 * one (Bitrix24 SOURCE_ID, Creatio LeadMedium); the marketing engine derives its own channel
 * codes from all of these fields, so adapters pass through what the CRM says, unchanged.
 */
export const Source = z.object({
  channel: z.nullable(z.string()),
  source: z.nullable(z.string()),
  campaign: z.nullable(z.string()),
  utm: Utm,
  clickIds: ClickIds,
  referrer: z.nullable(z.string()),
})
export type Source = z.infer<typeof Source>

export function emptySource(): Source {
  return {
    channel: null,
    source: null,
    campaign: null,
    utm: { source: null, medium: null, campaign: null, content: null, term: null },
    clickIds: { gclid: null, yclid: null, fbclid: null },
    referrer: null,
  }
}

/** What a caller may set on write: every part optional. */
export const SourceInput = z.partial(
  z.object({
    channel: z.nullable(z.string()),
    source: z.nullable(z.string()),
    campaign: z.nullable(z.string()),
    utm: z.partial(Utm),
    clickIds: z.partial(ClickIds),
    referrer: z.nullable(z.string()),
  }),
)
export type SourceInput = z.infer<typeof SourceInput>
