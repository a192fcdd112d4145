import type { ComponentChildren } from 'preact'
import { useId, useLayoutEffect, useRef } from 'preact/hooks'

interface Props {
  title: string
  closeLabel: string
  onClose(): void
  children: ComponentChildren
}

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog per the WAI-ARIA dialog pattern: focus moves in and is trapped, Escape closes,
 * focus returns to whatever opened it. Rendered inside the widget's own root, so host styles and
 * host focus handling stay out.
 */
export function Dialog({ title, closeLabel, onClose, children }: Props) {
  const ref = useRef<HTMLDivElement>(null)
  const titleId = useId()

  // A layout effect, not useEffect: focus must be inside before the first paint, or a quick Tab
  // right after opening lands on the page behind the dialog.
  useLayoutEffect(() => {
    const opener = (ref.current?.getRootNode() as Document | ShadowRoot | undefined)?.activeElement as HTMLElement | null
    const first = ref.current?.querySelector<HTMLElement>(FOCUSABLE)
    first?.focus()
    return () => opener?.focus?.()
  }, [])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      onClose()
      return
    }
    if (e.key !== 'Tab' || !ref.current) return
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('disabled'))
    if (!items.length) return
    const active = (ref.current.getRootNode() as Document | ShadowRoot).activeElement
    const first = items[0]!
    const last = items[items.length - 1]!
    if (e.shiftKey && active === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && active === last) {
      e.preventDefault()
      first.focus()
    }
  }

  return (
    <div class="ck-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="ck-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} onKeyDown={onKeyDown}>
        <header class="ck-dialog__head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" class="ck-icon-button" aria-label={closeLabel} onClick={onClose}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  )
}
