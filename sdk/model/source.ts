import { z } from 'zod'

/** The UTM set as the CRM stored it; null where the CRM has no value. */
export const Utm = z.object({
  source: z.string().nullable(),
  medium: z.string().nullable(),
  campaign: z.string().nullable(),
  content: z.string().nullable(),
  term: z.string().nullable(),
})
export type Utm = z.infer<typeof Utm>

/** Advertising click ids; which ones exist depends on the CRM and the site's tracking. */
export const ClickIds = z.object({
  gclid: z.string().nullable(),
  yclid: z.string().nullable(),
  fbclid: z.string().nullable(),
})
export type ClickIds = z.infer<typeof ClickIds>

/**
 * Where a lead or deal came from. `channel` is the CRM's own channel/source notion when it has
 * one (Bitrix24 SOURCE_ID, Creatio LeadMedium); the marketing engine derives its own channel
 * codes from all of these fields, so adapters pass through what the CRM says, unchanged.
 */
export const Source = z.object({
  channel: z.string().nullable(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  utm: Utm,
  clickIds: ClickIds,
  referrer: z.string().nullable(),
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
export const SourceInput = z
  .object({
    channel: z.string().nullable(),
    source: z.string().nullable(),
    campaign: z.string().nullable(),
    utm: Utm.partial(),
    clickIds: ClickIds.partial(),
    referrer: z.string().nullable(),
  })
  .partial()
export type SourceInput = z.infer<typeof SourceInput>
