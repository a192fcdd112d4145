import type { Crm, CrmOptions } from '../../sdk/index.js'

export interface LoggedRequest {
  /** ms since epoch when the emulator received the request */
  time: number
  method: string
  path: string
  status: number
}

export interface HarnessOptions {
  auth?: 'token' | 'oauth' | 'bad-token'
  latencyMs?: number
  /** Emulator's own limit (requests/s); defaults to the CRM's real one. */
  serverRateLimit?: number | false
  client?: CrmOptions
  seedDeals?: number
}

/** One CRM's emulator + adapter, as the shared contract suite drives them. */
export interface ContractEnv {
  crm: Crm
  /** Every request the emulator saw, for rate and refresh assertions. */
  log(): LoggedRequest[]
  /** Ids of all deals the emulator holds (ground truth for exports). */
  dealIds(): string[]
  /** Makes every issued access token expired (OAuth harness). */
  expireAccessTokens(): void
  refreshCount(): number
  rateLimitedCount(): number
  /** The next deals page answers with a well-formed envelope holding a broken record. */
  breakNextDealsPage(): void
  /** A field the contract may write through `customFields`, and an option id of it. */
  enumField(): Promise<{ key: string; optionId: string }>
  /** An existing id that the CRM will reject as a contact link (server-side validation). */
  missingContactId: string
  close(): Promise<void>
}

export interface ContractHarness {
  name: string
  /** Requests per second the adapter is configured for by default. */
  defaultRps: number
  start(options?: HarnessOptions): Promise<ContractEnv>
}
