import type { Adapter } from '../../sdk/index.js'
import { createAuth } from './auth.js'
import { createCreatioDrivers } from './drivers.js'
import { classifyCreatioError, classifyCreatioSuccess } from './errors.js'
import { odataRoot, resolveSiteUrl, type CreatioOptions } from './options.js'

export type { CreatioOptions, CreatioAuth } from './options.js'
export { login, discoverTokenUrl, clientCredentialsToken, parseSetCookie } from './auth-server.js'
export { BATCH_LIMIT, CRMKIT_PLAN, createCreatioDrivers, type CreatioDrivers, type Site } from './drivers.js'
export { errorText, classifyCreatioError, classifyCreatioSuccess } from './errors.js'
export { parseMetadata, probeCapabilities, TRACKING_CANDIDATES, SPEND_ACTIVITY_COLUMN, type SiteCapabilities, type SiteMetadata } from './metadata.js'
export { DEAL_PIPELINE, LEAD_PIPELINE, stageSemantics } from './mappers/records.js'
export * as odata from './odata.js'

const CARD_PAGES = { deal: 'Opportunities_FormPage', lead: 'Leads_FormPage', contact: 'Contacts_FormPage' } as const

/**
 * Creatio over OData 4. No rate limit is published (research §3.7), so the defaults are a
 * concurrency cap of 4 with a gentle 10 requests/s, 500-row pages (at most 20,000, Creatio's cap)
 * and `$batch` writes of up to 100 requests.
 */
export function creatio(options: CreatioOptions): Adapter {
  const siteUrl = resolveSiteUrl(options)
  const maxConcurrent = options.maxConcurrent ?? 4
  return {
    crm: 'creatio',
    baseURL: siteUrl,
    leadIsDeal: false,
    limits: { requestsPerSecond: 10, maxConcurrent, pageSize: 500, maxPageSize: 20_000, writeBatchSize: 100 },
    auth: () => createAuth(options.auth, siteUrl),
    classifyError: classifyCreatioError,
    classifySuccess: classifyCreatioSuccess,
    drivers: (env) => createCreatioDrivers(env, { root: odataRoot(options), currency: options.currency ?? 'RUB' }),
    // Freedom UI form pages (Creatio 8, research creatio.md §7); the shell always lives under /0.
    cardUrl: (entity, id) => `${siteUrl}/0/Shell/#Card/${CARD_PAGES[entity]}/edit/${encodeURIComponent(id)}`,
  }
}
