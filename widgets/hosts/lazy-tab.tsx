import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useI18n } from '../ui/i18n.js'

export interface LazyTabProps<P extends object> {
  /** Loads the tab's code: a dynamic import(), so webpack gives each tab its own chunk. */
  load: () => Promise<ComponentType<P>>
  props: P
}

type State<P> = { kind: 'loading' } | { kind: 'failed' } | { kind: 'ready'; Tab: ComponentType<P> }

/**
 * Renders a tab whose code loads on demand: a status line while the chunk downloads, and a
 * retry when it fails (a flaky network must not leave an empty panel).
 */
export function LazyTab<P extends object>({ load, props }: LazyTabProps<P>) {
  const { t } = useI18n()
  const [state, setState] = useState<State<P>>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let live = true
    setState({ kind: 'loading' })
    load().then(
      (Tab) => live && setState({ kind: 'ready', Tab }),
      () => live && setState({ kind: 'failed' }),
    )
    return () => {
      live = false
    }
  }, [load, attempt])

  if (state.kind === 'ready') return <state.Tab {...props} />
  if (state.kind === 'failed') {
    return (
      <p class="ck-alert" role="alert">
        {t('chunk.loadFailed')}{' '}
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          {t('calendar.retry')}
        </button>
      </p>
    )
  }
  return (
    <p class="ck-status" role="status">
      {t('tab.loading')}
    </p>
  )
}
