import type { Adapter } from '../../sdk/index.js'
import { createAuth } from './auth.js'
import { createAmoDrivers } from './drivers.js'
import { classifyAmoError } from './errors.js'
import { resolveBaseUrl, type AmoCrmOptions } from './options.js'

export type { AmoCrmOptions, AmoCrmAuth } from './options.js'
export { authorizeUrl, exchangeCode } from './auth.js'
export { CAMPAIGN_LIST, SPEND_LIST } from './drivers.js'
export { CAMPAIGN_FIELDS, SPEND_FIELDS } from './mappers/campaign.js'
export { TRACKING_CODES } from './mappers/source.js'
export { WON_STATUS, LOST_STATUS, parseStageId, stageId } from './mappers/deal.js'

/**
 * amoCRM (and Kommo) REST API v4. Defaults follow amoCRM's published limits: 7 requests/s per
 * integration, 250 records per page, 50 records per write (research §0).
 */
export function amocrm(options: AmoCrmOptions): Adapter {
  const baseURL = resolveBaseUrl(options)
  return {
    crm: 'amocrm',
    baseURL,
    leadIsDeal: true,
    limits: { requestsPerSecond: 7, maxConcurrent: 7, pageSize: 250, maxPageSize: 250, writeBatchSize: 50 },
    auth: (env) => createAuth(options.auth, baseURL, env),
    classifyError: classifyAmoError,
    drivers: (env) => createAmoDrivers(env, options.currency ? { currency: options.currency } : {}),
    // Lead and deal are one record ("сделка"); inside a widget baseURL is '' → root-relative.
    cardUrl: (entity, id) => `${baseURL}/${entity === 'contact' ? 'contacts' : 'leads'}/detail/${encodeURIComponent(id)}`,
  }
}
