// Node-only convenience: an emulator already wired into a listening msw `setupServer`.
// Kept apart from index.ts because `msw/node` must never reach a browser bundle.
import { setupServer, type SetupServer } from 'msw/node'
import { createCreatioEmulator, type CreatioEmulator, type CreatioEmulatorOptions } from './emulator.js'

export interface CreatioEmulatorServer {
  emulator: CreatioEmulator
  server: SetupServer
  /** Stops intercepting (same as `server.close()`). */
  close(): void
}

/**
 * Creates an emulator and starts intercepting `fetch`/`http` in this process. Requests to other
 * hosts pass through unless `onUnhandledRequest` says otherwise. One msw server per process: to
 * combine with your own mocks, use `yourServer.use(...createCreatioEmulator().handlers)` instead.
 */
export function setupCreatioEmulator(
  options: CreatioEmulatorOptions = {},
  listen: { onUnhandledRequest?: 'bypass' | 'warn' | 'error' } = {},
): CreatioEmulatorServer {
  const emulator = createCreatioEmulator(options)
  const server = setupServer(...emulator.handlers)
  server.listen({ onUnhandledRequest: listen.onUnhandledRequest ?? 'bypass' })
  return { emulator, server, close: () => server.close() }
}

export * from './index.js'
