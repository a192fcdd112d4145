/**
 * How the multi-CRM examples reach each CRM. Per CRM, real credentials from the environment win:
 *
 *   amoCRM    AMOCRM_SUBDOMAIN or AMOCRM_BASE_URL (the running sandbox), plus AMOCRM_TOKEN
 *   Bitrix24  BITRIX24_WEBHOOK_URL (https://portal.bitrix24.ru/rest/1/xxxx/)
 *   Creatio   CREATIO_URL, CREATIO_USER, CREATIO_PASSWORD
 *
 * Otherwise the CRM is an emulated account inside this process (all of them on one msw server,
 * since a process can have only one), so every example runs with no setup at all.
 */
import { setupServer } from 'msw/node'
import type { RequestHandler } from 'msw'
import { createCrm, type Crm, type CrmOptions } from 'crmkit'
import { amocrm } from 'crmkit/amocrm'
import { createAmoCrmEmulator } from 'crmkit/amocrm/testing'
import { bitrix24 } from 'crmkit/bitrix24'
import { createBitrix24Emulator } from 'crmkit/bitrix24/testing'
import { creatio } from 'crmkit/creatio'
import { createCreatioEmulator } from 'crmkit/creatio/testing'

export const CRM_KINDS = ['amocrm', 'bitrix24', 'creatio'] as const
export type CrmKind = (typeof CRM_KINDS)[number]

export function crmKind(value: string | undefined, flag: string): CrmKind {
  if (!CRM_KINDS.includes(value as CrmKind)) throw new Error(`${flag} must be one of ${CRM_KINDS.join(', ')} (got "${value}")`)
  return value as CrmKind
}

export interface Connected {
  crm: Crm
  where: string
  /** True for an account emulated inside this process. */
  emulated: boolean
}

export interface EmulatedSize {
  deals?: number
  contacts?: number
  companies?: number
}

/** Connects to each named CRM (a name may repeat: two emulated accounts of the same CRM). */
export async function connectCrms(
  kinds: readonly CrmKind[],
  o: { size?: (kind: CrmKind, i: number) => EmulatedSize; latencyMs?: number; client?: CrmOptions } = {},
): Promise<{ crms: Connected[]; close(): Promise<void> }> {
  const handlers: RequestHandler[] = []
  const crms = kinds.map((kind, i): Connected => {
    const real = fromEnv(kind, o.client)
    if (real) return real
    const size = o.size?.(kind, i) ?? {}
    const latencyMs = o.latencyMs ?? 10
    // Distinct hosts, so two emulated accounts of one CRM do not answer each other's requests.
    if (kind === 'amocrm') {
      const e = createAmoCrmEmulator({ seed: 1 + i, subdomain: `example${i}`, size: { deals: size.deals ?? 300, contacts: size.contacts ?? 200, companies: size.companies ?? 30 }, latencyMs })
      handlers.push(...e.handlers)
      return { crm: createCrm(amocrm({ baseUrl: e.baseUrl, auth: { kind: 'long-lived-token', token: e.longLivedToken } }), o.client), where: `emulated amoCRM (${e.baseUrl})`, emulated: true }
    }
    if (kind === 'bitrix24') {
      const e = createBitrix24Emulator({ seed: 1 + i, domain: `example${i}.bitrix24.ru`, size: { deals: size.deals ?? 300, leads: 50, contacts: size.contacts ?? 200, companies: size.companies ?? 30 }, latencyMs })
      handlers.push(...e.handlers)
      return { crm: createCrm(bitrix24({ auth: { kind: 'webhook', url: e.webhookUrl } }), o.client), where: `emulated Bitrix24 (${e.baseUrl})`, emulated: true }
    }
    const e = createCreatioEmulator({ seed: 1 + i, siteUrl: `https://example${i}.creatio.com`, size: { deals: size.deals ?? 300, leads: 50, contacts: size.contacts ?? 200, accounts: size.companies ?? 30 }, latencyMs })
    handlers.push(...e.handlers)
    return { crm: createCrm(creatio({ siteUrl: e.siteUrl, auth: { kind: 'cookie', ...e.credentials } }), o.client), where: `emulated Creatio (${e.siteUrl})`, emulated: true }
  })
  const server = handlers.length ? setupServer(...handlers) : null
  server?.listen({ onUnhandledRequest: 'bypass' })
  return {
    crms,
    async close() {
      await Promise.all(crms.map((c) => c.crm.close()))
      server?.close()
    },
  }
}

function fromEnv(kind: CrmKind, client: CrmOptions | undefined): Connected | null {
  const env = process.env
  if (kind === 'amocrm' && (env.AMOCRM_SUBDOMAIN || env.AMOCRM_BASE_URL)) {
    if (!env.AMOCRM_TOKEN) throw new Error('Set AMOCRM_TOKEN to a long-lived token of the account (never commit it)')
    const where = env.AMOCRM_BASE_URL ? { baseUrl: env.AMOCRM_BASE_URL } : { subdomain: env.AMOCRM_SUBDOMAIN! }
    return { crm: createCrm(amocrm({ ...where, auth: { kind: 'long-lived-token', token: env.AMOCRM_TOKEN } }), client), where: env.AMOCRM_BASE_URL ?? `${env.AMOCRM_SUBDOMAIN}.amocrm.ru`, emulated: false }
  }
  if (kind === 'bitrix24' && env.BITRIX24_WEBHOOK_URL) {
    return { crm: createCrm(bitrix24({ auth: { kind: 'webhook', url: env.BITRIX24_WEBHOOK_URL } }), client), where: new URL(env.BITRIX24_WEBHOOK_URL).host, emulated: false }
  }
  if (kind === 'creatio' && env.CREATIO_URL) {
    if (!env.CREATIO_USER || !env.CREATIO_PASSWORD) throw new Error('Set CREATIO_USER and CREATIO_PASSWORD along with CREATIO_URL')
    return { crm: createCrm(creatio({ siteUrl: env.CREATIO_URL, auth: { kind: 'cookie', userName: env.CREATIO_USER, password: env.CREATIO_PASSWORD } }), client), where: env.CREATIO_URL, emulated: false }
  }
  return null
}
