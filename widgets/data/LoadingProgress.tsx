import { useI18n } from '../ui/i18n.js'
import type { LoadProgress } from './account-data.js'

/**
 * Accessible progress of the first load (ARIA progressbar): a determinate value while reading
 * the cache, indeterminate (no aria-valuenow, a text value instead) while paging through a CRM
 * that does not say how many records it holds.
 */
export function LoadingProgress({ progress, label }: { progress: LoadProgress | null; label: string }) {
  const { t, locale } = useI18n()
  const loaded = progress?.loaded ?? 0
  const total = progress?.total ?? null
  const count = new Intl.NumberFormat(locale).format(loaded)
  const text =
    progress?.phase === 'cache' && total !== null
      ? t('data.fromCache', { count, total: new Intl.NumberFormat(locale).format(total) })
      : t('attr.loading', { count })
  const pct = total ? Math.min(100, Math.round((loaded / total) * 100)) : null
  return (
    <div class="ck-progress-wrap">
      <div
        class={`ck-progress${pct === null ? ' ck-progress--indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total !== null ? loaded : undefined}
        aria-valuetext={text}
      >
        <span class="ck-progress__bar" style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      <p class="ck-status" aria-live="polite">
        {text}
      </p>
    </div>
  )
}
