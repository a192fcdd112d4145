/**
 * Who may approve budgets inside the Bitrix24 app. The app's own setting (`app.option.set({ options:
 * { approvers: '1,7' } })`, an application option stored by the portal) lists user ids; until it is
 * set, the portal's administrators approve, which is what a new install expects.
 */
import type { Bitrix24Frame } from './frame.js'
import { callRest } from './rest.js'

export interface Approvers {
  userId: string | null
  approverIds: string[]
}

export function parseApproverIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/) : []
  return [...new Set(list.map((v) => String(v).trim()).filter((v) => /^\d+$/.test(v)))]
}

export async function resolveApprovers(frame: Bitrix24Frame, fetchImpl: typeof fetch = fetch): Promise<Approvers> {
  const [profile, option] = await Promise.all([
    callRest<{ ID?: unknown; ADMIN?: unknown }>(frame, 'profile', {}, fetchImpl).catch(() => null),
    callRest<unknown>(frame, 'app.option.get', { option: 'approvers' }, fetchImpl).catch(() => null),
  ])
  const userId = profile?.ID === undefined || profile.ID === null ? null : String(profile.ID)
  const configured = parseApproverIds(option)
  if (configured.length) return { userId, approverIds: configured }
  return { userId, approverIds: userId && (profile?.ADMIN === true || profile?.ADMIN === 'Y') ? [userId] : [] }
}
