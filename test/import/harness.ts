// One emulated account per CRM for the import suite, each with its emulator at hand so tests can
// add what the seed lacks (a custom field to match on) and count what was really written.
import { createCrm, type Crm } from '../../sdk/index.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { setupAmoCrmEmulator } from '../../adapters/amocrm/testing/node.js'
import { bitrix24 } from '../../adapters/bitrix24/index.js'
import { setupBitrix24Emulator } from '../../adapters/bitrix24/testing/node.js'
import { creatio } from '../../adapters/creatio/index.js'
import { setupCreatioEmulator } from '../../adapters/creatio/testing/node.js'

export interface ImportHarness {
  name: string
  start(): Promise<{
    crm: Crm
    /** A text custom field on contacts the suite can match on, or null when the emulated site has none. */
    contactKeyField: string | null
    close(): Promise<void>
  }>
}

const fast = { retry: { baseDelayMs: 20, maxDelayMs: 200 } }

export const amocrmImport: ImportHarness = {
  name: 'amoCRM',
  async start() {
    const { emulator, close } = setupAmoCrmEmulator({ seed: 3, size: { deals: 20, contacts: 40, companies: 10 }, latencyMs: 0 }, { onUnhandledRequest: 'error' })
    const crm = createCrm(amocrm({ baseUrl: emulator.baseUrl, auth: { kind: 'long-lived-token', token: emulator.longLivedToken } }), fast)
    // The seed's "Должность" (POSITION) text field stands in for a customer's own key field.
    return { crm, contactKeyField: 'POSITION', close: async () => (await crm.close(), close()) }
  },
}

export const bitrix24Import: ImportHarness = {
  name: 'Bitrix24',
  async start() {
    const { emulator, close } = setupBitrix24Emulator({ seed: 3, size: { deals: 20, leads: 10, contacts: 40, companies: 10 }, latencyMs: 0, rateLimit: false }, { onUnhandledRequest: 'error' })
    // A user field as a portal admin would add one (crm.contact.userfield.add).
    emulator.db.userFields.push({ id: emulator.db.nextUserFieldId++, entityId: 'CRM_CONTACT', fieldName: 'UF_CRM_INN', userTypeId: 'string', title: 'ИНН', multiple: 'N', mandatory: 'N', enum: [] })
    const crm = createCrm(bitrix24({ auth: { kind: 'webhook', url: emulator.webhookUrl } }), fast)
    return { crm, contactKeyField: 'UF_CRM_INN', close: async () => (await crm.close(), close()) }
  },
}

export const creatioImport: ImportHarness = {
  name: 'Creatio',
  async start() {
    const { emulator, close } = setupCreatioEmulator({ seed: 3, size: { deals: 20, leads: 10, contacts: 40, accounts: 10 }, latencyMs: 0, rateLimit: false }, { onUnhandledRequest: 'error' })
    const crm = createCrm(creatio({ siteUrl: emulator.siteUrl, auth: { kind: 'cookie', ...emulator.credentials } }), fast)
    // The emulated site has no Usr* column on Contact; custom keys are covered on the other two.
    return { crm, contactKeyField: null, close: async () => (await crm.close(), close()) }
  },
}
