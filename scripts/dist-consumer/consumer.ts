// A consumer of the built package, type-checked without the 'source' condition, so the names
// resolve to dist/*.d.ts exactly as they do for someone who installed crmkit from npm.
// (.ci/run: `npm run check:dist`, after the build.)
import { createCrm, CrmError, money, type Deal } from 'crmkit'
import { amocrm } from 'crmkit/amocrm'
import { createAmoCrmEmulator } from 'crmkit/amocrm/testing'
import { bitrix24 } from 'crmkit/bitrix24'
import { creatio } from 'crmkit/creatio'
import { attributionReport, createChannelClassifier } from 'crmkit/marketing'

export async function titles(token: string): Promise<string[]> {
  const crm = createCrm(amocrm({ subdomain: 'acme', auth: { kind: 'long-lived-token', token } }))
  const out: string[] = []
  for await (const deal of crm.deals.list({ updatedSince: new Date('2026-01-01') })) {
    const d: Deal = deal
    out.push(`${d.title} ${d.amount?.minor ?? ''} ${d.outcome} ${d.source.utm.campaign ?? ''}`)
  }
  return out
}

export const unused = [bitrix24, creatio, createAmoCrmEmulator, attributionReport, createChannelClassifier, money('1.00', 'RUB'), CrmError]
