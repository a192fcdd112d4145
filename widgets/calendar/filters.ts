import type { Campaign } from '../../sdk/index.js'

export interface Filters {
  channels: string[]
  statuses: string[]
  owners: string[]
}

export const noFilters: Filters = { channels: [], statuses: [], owners: [] }

export function applyFilters(list: Campaign[], f: Filters): Campaign[] {
  return list.filter(
    (c) =>
      (!f.channels.length || f.channels.includes(c.channel ?? '')) &&
      (!f.statuses.length || f.statuses.includes(c.status)) &&
      (!f.owners.length || f.owners.includes(c.ownerId ?? '')),
  )
}

/**
 * Filters are remembered per user and account in localStorage: each marketer keeps their own view.
 * Storage can be missing or full (private mode, sandboxed frames), so failures only cost the memory.
 */
export function loadFilters(key: string): Filters {
  try {
    const raw = globalThis.localStorage?.getItem(key)
    if (!raw) return noFilters
    const f = JSON.parse(raw) as Partial<Filters>
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
    return { channels: list(f.channels), statuses: list(f.statuses), owners: list(f.owners) }
  } catch {
    return noFilters
  }
}

export function saveFilters(key: string, f: Filters): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(f))
  } catch {
    // not fatal: the filters just won't be remembered
  }
}
