import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'

interface Props {
  label: string
  error?: string | undefined
  children: (attrs: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ComponentChildren
}

/** Label + control + its error, wired for screen readers (aria-invalid / aria-describedby). */
export function Field({ label, error, children }: Props) {
  const id = useId()
  const errorId = `${id}-error`
  return (
    <div class={`ck-field${error ? ' ck-field--error' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': error ? errorId : undefined })}
      {error && (
        <p class="ck-field__error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
