import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { CrmError, addMoney, type Campaign, type CampaignCreate, type CampaignUpdate, type Crm, type Money } from '../../sdk/index.js'

export type LoadState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready' }

export interface CampaignStore {
  campaigns: Campaign[]
  /** Actual spend per campaign id (one currency per campaign; mixed currencies are left out). */
  actual: Map<string, Money>
  state: LoadState
  /** Last write the CRM refused (the change was rolled back), for a visible message. */
  rejected: string | null
  reload(): void
  create(input: CampaignCreate): Promise<string | null>
  remove(id: string): Promise<string | null>
  update(id: string, patch: CampaignUpdate): Promise<string | null>
  dismissRejected(): void
}

const messageOf = (e: unknown) => (e instanceof CrmError ? e.message : e instanceof Error ? e.message : String(e))

/**
 * Campaigns of the account with optimistic edits: the calendar moves a campaign at once and puts
 * it back, with a message, if the CRM refuses. Widgets never call fetch; all I/O is the Crm client.
 */
export function useCampaigns(crm: Crm): CampaignStore {
  const [campaigns, setCampaigns] = useState<Campaign[]>([])
  const [state, setState] = useState<LoadState>({ kind: 'loading' })
  const [rejected, setRejected] = useState<string | null>(null)
  const [actual, setActual] = useState<Map<string, Money>>(new Map())
  const current = useRef(campaigns)
  current.current = campaigns

  const reload = useCallback(() => {
    const ac = new AbortController()
    setState({ kind: 'loading' })
    crm.campaigns
      .list({}, { signal: ac.signal })
      .toArray(50_000)
      .then((list) => {
        setCampaigns(list)
        setState({ kind: 'ready' })
      })
      .catch((e: unknown) => {
        if (!ac.signal.aborted) setState({ kind: 'error', message: messageOf(e) })
      })
    // Spend is a second, optional layer: the calendar works without it.
    crm.spend
      .list({}, { signal: ac.signal })
      .toArray(200_000)
      .then((entries) => {
        const sums = new Map<string, Money>()
        for (const e of entries) {
          if (e.kind !== 'actual') continue
          const prev = sums.get(e.campaignId)
          if (!prev) sums.set(e.campaignId, e.amount)
          else if (prev.currency === e.amount.currency) sums.set(e.campaignId, addMoney(prev, e.amount))
        }
        setActual(sums)
      })
      .catch(() => undefined)
    return () => ac.abort()
  }, [crm])

  useEffect(() => reload(), [reload])

  // Writes to one campaign go out one at a time, in the order they were made: otherwise a first
  // edit held back by the rate limit (a 429, Bitrix24's 503) lands after the second and undoes it
  // in the CRM while the calendar shows the second.
  const queues = useRef(new Map<string, { tail: Promise<unknown>; latest: number }>())
  const enqueue = <T>(id: string, write: () => Promise<T>): { result: Promise<T>; isLatest: () => boolean } => {
    const queue = queues.current.get(id) ?? { tail: Promise.resolve(), latest: 0 }
    const seq = ++queue.latest
    const result = queue.tail.then(write)
    queue.tail = result.catch(() => undefined)
    queues.current.set(id, queue)
    return { result, isLatest: () => queue.latest === seq }
  }

  const create = async (input: CampaignCreate) => {
    try {
      const created = await crm.campaigns.create(input)
      setCampaigns((list) => [...list, created])
      return null
    } catch (e) {
      return messageOf(e)
    }
  }

  const update = async (id: string, patch: CampaignUpdate) => {
    const before = current.current.find((c) => c.id === id)
    if (!before) return 'unknown campaign'
    setCampaigns((list) => list.map((c) => (c.id === id ? ({ ...c, ...patch } as Campaign) : c)))
    const { result, isLatest } = enqueue(id, () => crm.campaigns.update(id, patch))
    try {
      const saved = await result
      // A newer edit is queued: its optimistic state stays on screen until it is saved in turn.
      if (isLatest()) setCampaigns((list) => list.map((c) => (c.id === id ? saved : c)))
      return null
    } catch (e) {
      if (isLatest()) {
        // Show what the CRM holds: earlier edits in the queue may have been saved, and a write
        // whose outcome is unknown may have been applied. `before` only when the CRM cannot say.
        const stored = await crm.campaigns.get(id).catch(() => before)
        if (isLatest()) setCampaigns((list) => list.map((c) => (c.id === id ? stored : c)))
      }
      const message = messageOf(e)
      setRejected(message)
      return message
    }
  }

  const remove = async (id: string) => {
    const removed = current.current.find((c) => c.id === id)
    setCampaigns((list) => list.filter((c) => c.id !== id))
    try {
      // After any edit still queued for it, so an edit cannot recreate or fail on a deleted record.
      await enqueue(id, () => crm.campaigns.delete(id)).result
      return null
    } catch (e) {
      // Put back only this campaign: other campaigns may have changed meanwhile.
      if (removed) setCampaigns((list) => (list.some((c) => c.id === id) ? list : [...list, removed]))
      const message = messageOf(e)
      setRejected(message)
      return message
    }
  }

  return { campaigns, actual, state, rejected, reload, create, update, remove, dismissRejected: () => setRejected(null) }
}
