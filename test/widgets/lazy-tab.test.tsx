// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { LazyTab } from '../../widgets/hosts/lazy-tab.js'
import { I18nContext, createI18n, type Lang } from '../../widgets/ui/i18n.js'

afterEach(cleanup)

function Hello({ name }: { name: string }) {
  return <h2>Hello, {name}</h2>
}

/** A loader the test resolves or rejects by hand, like a chunk on a slow or broken network. */
function controlledLoader() {
  const calls: { resolve: (c: typeof Hello) => void; reject: (e: Error) => void }[] = []
  const load = () => new Promise<typeof Hello>((resolve, reject) => void calls.push({ resolve, reject }))
  return { load, calls }
}

const show = (load: () => Promise<typeof Hello>, lang: Lang = 'ru') =>
  render(
    <I18nContext.Provider value={createI18n(lang)}>
      <LazyTab load={load} props={{ name: 'Мир' }} />
    </I18nContext.Provider>,
  )

describe('LazyTab (a tab whose code is a lazy chunk)', () => {
  it('announces loading politely, then renders the tab with its props', async () => {
    const { load, calls } = controlledLoader()
    show(load)
    expect(screen.getByRole('status').textContent).toBe('Загружаем вкладку…')
    calls[0]!.resolve(Hello)
    expect((await screen.findByRole('heading')).textContent).toBe('Hello, Мир')
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('says so when the chunk fails to load, and retries from the keyboard-reachable button', async () => {
    const { load, calls } = controlledLoader()
    show(load, 'en')
    expect(screen.getByRole('status').textContent).toBe('Loading the tab…')
    calls[0]!.reject(new Error('ChunkLoadError'))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load part of the widget/)
    const retry = screen.getByRole('button', { name: 'Retry' })
    expect(retry.getAttribute('type')).toBe('button')
    fireEvent.click(retry)
    expect(calls).toHaveLength(2)
    expect(screen.getByRole('status').textContent).toBe('Loading the tab…')
    calls[1]!.resolve(Hello)
    expect((await screen.findByRole('heading')).textContent).toBe('Hello, Мир')
  })
})
