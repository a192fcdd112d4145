// One emulated account per CRM for the import suite, each with its emulator at hand so tests can
// add what the seed lacks (a custom field to match on) and count what was really written.
import { createCrm, type Crm } from '../../sdk/index.js'
import type { ImportTraits } from '../../sdk/adapter.js'
import { amocrm } from '../../adapters/amocrm/index.js'
import { CONTACT_IMPORT_TRAITS as AMOCRM_TRAITS } from '../../adapters/amocrm/import-traits.js'
import { setupAmoCrmEmulator } from '../../adapters/amocrm/testing/node.js'
import { bitrix24 } from '../../adapters/bitrix24/index.js'
import { CONTACT_IMPORT_TRAITS as BITRIX24_TRAITS } from '../../adapters/bitrix24/import-traits.js'
import { setupBitrix24Emulator } from '../../adapters/bitrix24/testing/node.js'
import { creatio } from '../../adapters/creatio/index.js'
import { CONTACT_IMPORT_TRAITS as CREATIO_TRAITS } from '../../adapters/creatio/import-traits.js'
import { setupCreatioEmulator } from '../../adapters/creatio/testing/node.js'

export interface ImportHarness {
  name: string
  /** What the adapter declares for contacts: the suite expects the CRM to behave accordingly. */
  contactTraits: ImportTraits
  start(): Promise<{
    crm: Crm
    /** A text custom field on contacts the suite can match on (every emulated account gets one). */
    contactKeyField: string
    /** The same on companies. */
    companyKeyField: string
    close(): Promise<void>
  }>
}

// The emulators run without rate limits: the suite checks decisions, not pacing (the limiter has
// its own tests), and the CRMs' real limits (Bitrix24's 2 requests/s) made each file take a minute.
const fast = { retry: { baseDelayMs: 20, maxDelayMs: 200 }, rateLimit: { requestsPerSecond: 50 } }

export const amocrmImport: ImportHarness = {
  name: 'amoCRM',
  contactTraits: AMOCRM_TRAITS,
  async start() {
    const { emulator, close } = setupAmoCrmEmulator({ seed: 3, size: { deals: 20, contacts: 40, companies: 10 }, latencyMs: 0, rateLimit: false }, { onUnhandledRequest: 'error' })
    // A company field as an account admin would add one (the seed has only phone, e-mail, web, address).
    const db = emulator.db
    db.fieldsOf('companies').insert({
      id: db.nextId('field'), name: 'ИНН', type: 'text', account_id: db.account.id, code: 'INN', sort: 1000, is_api_only: false, enums: null,
      group_id: null, required_statuses: [], is_deletable: true, is_predefined: false, entity_type: 'companies', remind: null,
    })
    const crm = createCrm(amocrm({ baseUrl: emulator.baseUrl, auth: { kind: 'long-lived-token', token: emulator.longLivedToken } }), fast)
    // The seed's "Должность" (POSITION) text field stands in for a customer's own key field.
    return { crm, contactKeyField: 'POSITION', companyKeyField: 'INN', close: async () => (await crm.close(), close()) }
  },
}

export const bitrix24Import: ImportHarness = {
  name: 'Bitrix24',
  contactTraits: BITRIX24_TRAITS,
  async start() {
    const { emulator, close } = setupBitrix24Emulator({ seed: 3, size: { deals: 20, leads: 10, contacts: 40, companies: 10 }, latencyMs: 0, rateLimit: false }, { onUnhandledRequest: 'error' })
    // User fields as a portal admin would add them (crm.contact.userfield.add, crm.company.userfield.add).
    for (const entityId of ['CRM_CONTACT', 'CRM_COMPANY']) {
      emulator.db.userFields.push({ id: emulator.db.nextUserFieldId++, entityId, fieldName: 'UF_CRM_INN', userTypeId: 'string', title: 'ИНН', multiple: 'N', mandatory: 'N', enum: [] })
    }
    const crm = createCrm(bitrix24({ auth: { kind: 'webhook', url: emulator.webhookUrl } }), fast)
    return { crm, contactKeyField: 'UF_CRM_INN', companyKeyField: 'UF_CRM_INN', close: async () => (await crm.close(), close()) }
  },
}

export const creatioImport: ImportHarness = {
  name: 'Creatio',
  contactTraits: CREATIO_TRAITS,
  async start() {
    const { emulator, close } = setupCreatioEmulator(
      { seed: 3, size: { deals: 20, leads: 10, contacts: 40, accounts: 10 }, latencyMs: 0, rateLimit: false, site: { innColumns: true } },
      { onUnhandledRequest: 'error' },
    )
    const crm = createCrm(creatio({ siteUrl: emulator.siteUrl, auth: { kind: 'cookie', ...emulator.credentials } }), fast)
    // The site's own UsrInn columns (a customer's key field; Creatio exposes Usr* columns as custom fields).
    return { crm, contactKeyField: 'UsrInn', companyKeyField: 'UsrInn', close: async () => (await crm.close(), close()) }
  },
}
