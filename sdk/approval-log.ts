import { ValidationError, type CrmName } from './errors.js'
import { ApprovalEntry, ApprovalState } from './model/entities.js'

/**
 * A campaign's approval history is stored by every adapter as compact JSON in one text field of the
 * CRM (amoCRM CRMKIT_APPROVAL_LOG, Bitrix24 UF_CRM_{id}_CRMKIT_APPROVAL_LOG, Creatio
 * UsrCrmkitApprovalLog). One field keeps the history with the record it describes and needs no
 * extra entity per CRM; the price is a size limit, so the oldest entries are dropped (and counted)
 * when the log would not fit.
 *
 * Format (version 1): `{"v":1,"d":<dropped>,"e":[{"a","f","t","by","at","c","m"}…]}` with `at` an ISO
 * instant and `m` the amount as `"<minor> <currency>"` (exact, no floating point).
 */

export interface ApprovalLog {
  /** Oldest first. */
  entries: ApprovalEntry[]
  /** How many older entries were dropped to fit the field. */
  dropped: number
  /** The stored text was not a log crmkit wrote (edited by hand?); `entries` holds what could be read. */
  unreadable: boolean
}

export const EMPTY_APPROVAL_LOG: ApprovalLog = Object.freeze({ entries: [], dropped: 0, unreadable: false }) as ApprovalLog

interface WireEntry {
  a: string
  f: string
  t: string
  by: string
  at: string
  c: string | null
  m: string | null
}

const toWire = (e: ApprovalEntry): WireEntry => ({
  a: e.action,
  f: e.from,
  t: e.to,
  by: e.by,
  at: e.at.toISOString(),
  c: e.comment,
  m: e.amount ? `${e.amount.minor} ${e.amount.currency}` : null,
})

function fromWire(w: unknown): ApprovalEntry | null {
  if (!w || typeof w !== 'object') return null
  const o = w as Record<string, unknown>
  let amount: unknown = null
  if (typeof o.m === 'string') {
    const m = /^(-?\d+) ([A-Z]{3})$/.exec(o.m)
    if (!m) return null
    amount = { minor: Number(m[1]), currency: m[2] }
  } else if (o.m != null) return null
  const at = typeof o.at === 'string' ? new Date(o.at) : null
  if (!at || Number.isNaN(at.getTime())) return null
  const parsed = ApprovalEntry.safeParse({ action: o.a, from: o.f, to: o.t, by: o.by, at, comment: o.c ?? null, amount })
  return parsed.success ? parsed.data : null
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length

/** Reads a stored log. Empty or missing text is an empty history; text crmkit did not write is flagged, never thrown. */
export function decodeApprovalLog(text: unknown): ApprovalLog {
  if (text == null || (typeof text === 'string' && text.trim() === '')) return { entries: [], dropped: 0, unreadable: false }
  if (typeof text !== 'string') return { entries: [], dropped: 0, unreadable: true }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return { entries: [], dropped: 0, unreadable: true }
  }
  if (!doc || typeof doc !== 'object' || (doc as { v?: unknown }).v !== 1 || !Array.isArray((doc as { e?: unknown }).e)) {
    return { entries: [], dropped: 0, unreadable: true }
  }
  const d = (doc as { d?: unknown }).d
  const entries: ApprovalEntry[] = []
  let bad = 0
  for (const w of (doc as { e: unknown[] }).e) {
    const e = fromWire(w)
    if (e) entries.push(e)
    else bad++
  }
  const dropped = typeof d === 'number' && Number.isSafeInteger(d) && d >= 0 ? d : 0
  return { entries, dropped, unreadable: bad > 0 || dropped !== d }
}

/**
 * Serialises a history to fit `maxBytes` (UTF-8) of the CRM field, keeping the newest entries and
 * counting the dropped ones on top of `alreadyDropped`. An entry too big to fit even alone is a
 * ValidationError naming its comment, so nothing is cut silently.
 */
export function encodeApprovalLog(
  entries: readonly ApprovalEntry[],
  opts: { maxBytes: number; alreadyDropped?: number; crm: CrmName },
): string {
  const wires = entries.map((e) => JSON.stringify(toWire(e)))
  let kept = wires.length
  let size = 0
  // Walk from the newest; the header's size depends on the dropped count, so re-check with it.
  const header = (dropped: number) => `{"v":1,"d":${dropped},"e":[]}`.length
  const base = opts.alreadyDropped ?? 0
  for (let i = wires.length - 1; i >= 0; i--) {
    const next = size + utf8Bytes(wires[i]!) + (size ? 1 : 0)
    if (next + header(base + i) > opts.maxBytes) break
    size = next
    kept = i
  }
  if (kept === wires.length && wires.length > 0) {
    const last = wires.length - 1
    throw new ValidationError(`approvalHistory.${last}.comment: too long for the CRM field (${opts.maxBytes} bytes for the whole log)`, {
      crm: opts.crm,
      issues: [{ path: ['approvalHistory', last, 'comment'], message: `is too long to store (the log may take ${opts.maxBytes} bytes)`, code: 'too_big' }],
    })
  }
  return `{"v":1,"d":${base + kept},"e":[${wires.slice(kept).join(',')}]}`
}

/** The state the last entry left the budget in, or `fallback` when there is none. */
export function stateAfter(entries: readonly ApprovalEntry[], fallback: ApprovalState): ApprovalState {
  return entries.length ? entries[entries.length - 1]!.to : fallback
}

/**
 * What a campaign write stores for approval: `approval` follows the last history entry (given both,
 * they must agree), and `log` is the encoded history (undefined when the write leaves it alone).
 */
export function approvalWrite(
  input: { approval?: ApprovalState | undefined; approvalHistory?: readonly ApprovalEntry[] | undefined; approvalHistoryDropped?: number | undefined },
  opts: { maxBytes: number; crm: CrmName },
): { approval: ApprovalState | undefined; log: string | undefined } {
  const history = input.approvalHistory
  if (history === undefined) return { approval: input.approval, log: undefined }
  const last = history.length ? history[history.length - 1]!.to : undefined
  if (input.approval !== undefined && last !== undefined && input.approval !== last) {
    throw new ValidationError(`approval: must match the last approvalHistory entry ("${last}")`, {
      crm: opts.crm,
      issues: [{ path: ['approval'], message: `must match the last approvalHistory entry ("${last}")`, code: 'invalid' }],
    })
  }
  const log = encodeApprovalLog(history, { maxBytes: opts.maxBytes, alreadyDropped: input.approvalHistoryDropped ?? 0, crm: opts.crm })
  return { approval: input.approval ?? last, log }
}
