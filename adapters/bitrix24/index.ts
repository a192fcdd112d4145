import type { Adapter } from '../../sdk/index.js'
import { createAuth } from './auth.js'
import { createBitrixDrivers } from './drivers.js'
import { classifyBitrixError } from './errors.js'
import { CLICK_ID_FIELDS } from './mappers/source.js'
import { resolveRestUrl, type Bitrix24Options } from './options.js'

export type { Bitrix24Options, Bitrix24Auth } from './options.js'
export { frameAuthFromPlacement } from './auth.js'
export { authorizeUrl, exchangeCode } from './auth-server.js'
export { parseEvent, type Bitrix24Event } from './events.js'
export { ENTITY_TYPE } from './query.js'
export { CAMPAIGN_TYPE_TITLE, SPEND_TYPE_TITLE, CAMPAIGN_FIELDS, SPEND_FIELDS } from './mappers/campaign.js'
export { CLICK_ID_FIELDS } from './mappers/source.js'
export { OperatingTracker } from './limits.js'
export { LIST_PAGE, BATCH_MAX } from './query.js'

/**
 * Standard plans drain 2 requests/s from a bucket of 50; Enterprise 5/s from 250 (research §0).
 * crmkit sends 5 % below the drain rate, so timer jitter never makes the bucket grow and the burst
 * capacity stays free for other integrations sharing the portal and IP.
 */
const PLAN_RPS = { standard: 1.9, enterprise: 4.75 } as const

/**
 * Bitrix24 REST over the universal `crm.item.*` methods. Reads and writes go through `batch`
 * (50 commands per request, 2,500 rows per export request); requests are spaced to the plan's
 * drain rate and each method's operating-time budget is tracked from `time.operating`.
 */
export function bitrix24(options: Bitrix24Options): Adapter {
  const baseURL = resolveRestUrl(options.auth)
  const rps = PLAN_RPS[options.plan ?? 'standard']
  return {
    crm: 'bitrix24',
    baseURL,
    leadIsDeal: false,
    limits: { requestsPerSecond: rps, maxConcurrent: rps, pageSize: 2_500, maxPageSize: 2_500, writeBatchSize: 50 },
    auth: (env) => createAuth(options.auth, baseURL, env),
    classifyError: classifyBitrixError,
    drivers: (env) =>
      createBitrixDrivers(env, {
        operatingBudgetSec: options.operatingBudgetSec ?? 480,
        clickIdFields: { ...CLICK_ID_FIELDS, ...options.clickIdFields },
      }),
    // The portal's origin only: a webhook's path holds its secret code.
    cardUrl: (entity, id) => `${new URL(baseURL).origin}/crm/${entity}/details/${encodeURIComponent(id)}/`,
  }
}
