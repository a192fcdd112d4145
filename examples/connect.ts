/**
 * How the examples reach a CRM: a real amoCRM account when AMOCRM_SUBDOMAIN / AMOCRM_TOKEN are
 * set, a running sandbox (`npm start`) when AMOCRM_BASE_URL is set, and otherwise an emulated
 * account started inside this process, so every example runs with no setup at all.
 */
import { createCrm, type Crm, type CrmOptions } from 'crmkit'
import { amocrm } from 'crmkit/amocrm'
import { setupAmoCrmEmulator } from 'crmkit/amocrm/testing/node'

export interface Connection {
  crm: Crm
  where: string
  close(): Promise<void>
}

export async function connect(options: CrmOptions & { seedDeals?: number; latencyMs?: number } = {}): Promise<Connection> {
  const { seedDeals, latencyMs, ...crmOptions } = options
  const token = process.env.AMOCRM_TOKEN
  if (process.env.AMOCRM_SUBDOMAIN || process.env.AMOCRM_BASE_URL) {
    if (!token) throw new Error('Set AMOCRM_TOKEN to a long-lived token of the account (never commit it)')
    const crm = createCrm(
      amocrm({
        ...(process.env.AMOCRM_BASE_URL ? { baseUrl: process.env.AMOCRM_BASE_URL } : { subdomain: process.env.AMOCRM_SUBDOMAIN! }),
        auth: { kind: 'long-lived-token', token },
      }),
      crmOptions,
    )
    return { crm, where: process.env.AMOCRM_BASE_URL ?? `${process.env.AMOCRM_SUBDOMAIN}.amocrm.ru`, close: () => crm.close() }
  }
  const emu = setupAmoCrmEmulator({
    seed: 1,
    size: { deals: seedDeals ?? 2_000, contacts: Math.ceil((seedDeals ?? 2_000) * 0.6) },
    latencyMs: latencyMs ?? 30,
  })
  const crm = createCrm(amocrm({ baseUrl: emu.emulator.baseUrl, auth: { kind: 'long-lived-token', token: emu.emulator.longLivedToken } }), crmOptions)
  return {
    crm,
    where: `emulated amoCRM (${emu.emulator.baseUrl}, in-process)`,
    close: async () => {
      await crm.close()
      emu.close()
    },
  }
}
