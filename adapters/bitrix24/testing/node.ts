// Node-only convenience: an emulator already wired into a listening msw `setupServer`.
// Kept apart from index.ts because `msw/node` must never reach a browser bundle.
import { setupServer, type SetupServer } from 'msw/node'
import { createBitrix24Emulator, type Bitrix24Emulator, type Bitrix24EmulatorOptions } from './emulator.js'

export interface Bitrix24EmulatorServer {
  emulator: Bitrix24Emulator
  server: SetupServer
  /** Stops intercepting (same as `server.close()`). */
  close(): void
}

/**
 * Creates an emulator and starts intercepting `fetch`/`http` in this process. One msw server per
 * process: to combine with your own mocks, use `yourServer.use(...createBitrix24Emulator().handlers)`.
 */
export function setupBitrix24Emulator(
  options: Bitrix24EmulatorOptions = {},
  listen: { onUnhandledRequest?: 'bypass' | 'warn' | 'error' } = {},
): Bitrix24EmulatorServer {
  const emulator = createBitrix24Emulator(options)
  const server = setupServer(...emulator.handlers)
  server.listen({ onUnhandledRequest: listen.onUnhandledRequest ?? 'bypass' })
  return { emulator, server, close: () => server.close() }
}

export * from './index.js'
