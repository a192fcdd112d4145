import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { Crm } from '../../sdk/index.js'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../scripts/sandbox/server.js'
import type { CrmName } from '../../scripts/sandbox/state.js'
import { launch } from './chromium.js'

export interface HostFixture {
  sandbox: Sandbox
  /** The sandbox's own client of the CRM under test (sandbox.connect): outcomes are read through it. */
  crm: Crm
  browser: Browser
  /** Texts of the alert/confirm/prompt dialogs any page opened (see newPage). */
  dialogs: string[]
}

/**
 * What every browser test file of one host shares: a sandbox (no latency), a client of the CRM
 * under test and Chromium, started before the file's tests and closed after them. `prepare` runs
 * once the client exists (setup(), records the tests need).
 */
export function useHostFixture(crm: CrmName, sandbox: Omit<SandboxOptions, 'port' | 'latencyMs'>, prepare?: (f: HostFixture) => Promise<void>): HostFixture {
  const f = { dialogs: [] as string[] } as HostFixture
  beforeAll(async () => {
    f.sandbox = await startSandbox({ port: 0, latencyMs: 0, ...sandbox })
    f.crm = f.sandbox.connect(crm)
    await prepare?.(f)
    f.browser = await launch()
  }, 60_000)
  afterAll(async () => {
    await f.browser?.close()
    await f.crm?.close()
    await f.sandbox?.close()
  })
  return f
}
