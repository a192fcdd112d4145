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
      .catch((e: unknown) => {
        if (!ac.signal.aborted) setState({ kind: 'error', message: messageOf(e) })
      })
    return () => ac.abort()
  }, [crm])

  useEffect(() => reload(), [reload])

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
    try {
      const saved = await crm.campaigns.update(id, patch)
      setCampaigns((list) => list.map((c) => (c.id === id ? saved : c)))
      return null
    } catch (e) {
      setCampaigns((list) => list.map((c) => (c.id === id ? before : c)))
      const message = messageOf(e)
      setRejected(message)
      return message
    }
  }

  const remove = async (id: string) => {
    const before = current.current
    setCampaigns((list) => list.filter((c) => c.id !== id))
    try {
      await crm.campaigns.delete(id)
      return null
    } catch (e) {
      setCampaigns(before)
      const message = messageOf(e)
      setRejected(message)
      return message
    }
  }

  return { campaigns, actual, state, rejected, reload, create, update, remove, dismissRejected: () => setRejected(null) }
}
