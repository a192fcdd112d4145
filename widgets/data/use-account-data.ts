import { useEffect, useState } from 'preact/hooks'
import type { Crm } from '../../sdk/index.js'
import { loadAccountData, type AccountData, type LoadOptions, type LoadProgress } from './account-data.js'

export interface AccountDataState {
  data: AccountData | null
  progress: LoadProgress | null
  error: string | null
}

/** The account's records for a widget: cached copy plus changes, with progress while loading. */
export function useAccountData(crm: Crm, account: string, options: Omit<LoadOptions, 'account' | 'signal' | 'onProgress'> = {}): AccountDataState {
  const [state, setState] = useState<AccountDataState>({ data: null, progress: null, error: null })
  useEffect(() => {
    const ac = new AbortController()
    setState({ data: null, progress: null, error: null })
    loadAccountData(crm, {
      ...options,
      account,
      signal: ac.signal,
      onProgress: (progress) => !ac.signal.aborted && setState((s) => ({ ...s, progress })),
    })
      .then((r) => !ac.signal.aborted && setState({ data: r.data, progress: null, error: null }))
      .catch((e: unknown) => !ac.signal.aborted && setState({ data: null, progress: null, error: e instanceof Error ? e.message : String(e) }))
    return () => ac.abort()
  }, [crm, account]) // options are read once per account
  return state
}

/** Cache key of the account a widget runs in when the host did not name it: the page's origin. */
export const defaultAccount = (): string => (typeof location === 'undefined' ? 'default' : location.host || 'default')
