// Outbound events (ONCRMLEADADD, ONCRMDEALUPDATE, …): Bitrix24 POSTs them form-encoded with
// PHP-style keys and ids only (research §7). `application_token` proves the sender.
import { AuthError } from '../../sdk/index.js'
import { parsePhpQuery } from './php-query.js'

const crm = 'bitrix24'

export interface Bitrix24Event {
  /** Upper-case event name, e.g. `ONCRMDEALUPDATE`. */
  event: string
  /** The entity the event is about, when the name says (`deal`, `lead`, `contact`, `company`, `dynamic`). */
  entity: 'lead' | 'deal' | 'contact' | 'company' | 'dynamic' | null
  action: 'add' | 'update' | 'delete' | null
  /** `data[FIELDS][ID]`. */
  id: string | null
  /** Smart-process type for ONCRMDYNAMICITEM* events. */
  entityTypeId: number | null
  handlerId: string | null
  /** Unix seconds. */
  ts: number | null
  memberId: string | null
  domain: string | null
  /** The access token Bitrix24 attached (for online handlers), if any. */
  accessToken: string | null
}

/**
 * Parses an event body and checks `auth[application_token]` against the one saved at install
 * (constant-time). A missing or different token raises AuthError.
 */
export function parseEvent(body: string | URLSearchParams, applicationToken: string): Bitrix24Event {
  const p = parsePhpQuery(typeof body === 'string' ? body : body.toString())
  const auth = (p.auth && typeof p.auth === 'object' ? p.auth : {}) as Record<string, unknown>
  const token = typeof auth.application_token === 'string' ? auth.application_token : ''
  if (!applicationToken || !timingSafeEqual(token, applicationToken)) {
    throw new AuthError('Bitrix24 event rejected: application_token does not match', { crm, code: 'invalid_application_token' })
  }
  const event = String(p.event ?? '').toUpperCase()
  const m = /^ONCRM(LEAD|DEAL|CONTACT|COMPANY|DYNAMICITEM)(ADD|UPDATE|DELETE)(?:_(\d+))?$/.exec(event)
  const data = (p.data && typeof p.data === 'object' ? p.data : {}) as Record<string, unknown>
  const fields = (data.FIELDS && typeof data.FIELDS === 'object' ? data.FIELDS : {}) as Record<string, unknown>
  const ent = m?.[1]?.toLowerCase()
  return {
    event,
    entity: ent === 'dynamicitem' ? 'dynamic' : ((ent as Bitrix24Event['entity']) ?? null),
    action: (m?.[2]?.toLowerCase() as Bitrix24Event['action']) ?? null,
    id: fields.ID === undefined ? null : String(fields.ID),
    entityTypeId: fields.ENTITY_TYPE_ID !== undefined ? Number(fields.ENTITY_TYPE_ID) : m?.[3] ? Number(m[3]) : null,
    handlerId: p.event_handler_id === undefined ? null : String(p.event_handler_id),
    ts: p.ts === undefined ? null : Number(p.ts),
    memberId: typeof auth.member_id === 'string' ? auth.member_id : null,
    domain: typeof auth.domain === 'string' ? auth.domain : null,
    accessToken: typeof auth.access_token === 'string' ? auth.access_token : null,
  }
}

function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0)
  return diff === 0
}
