// crm.setup() for Bitrix24: the click-id user fields on leads and deals, the two smart processes
// and their user fields, created idempotently. Loaded by drivers.ts on first use, so widget
// bundles (which never set a portal up) do not carry it.
import { parseResponse, type CallContext, type SetupReport } from '../../sdk/index.js'
import { z } from 'zod/mini'
import type { Memo } from '../../sdk/memo.js'
import { CAMPAIGN_FIELDS, CAMPAIGN_TYPE_TITLE, SPEND_FIELDS, SPEND_TYPE_TITLE, ufName, type SpaRef } from './mappers/campaign.js'
import type { ClickIdFields } from './mappers/source.js'
import { ENTITY_TYPE, command } from './query.js'
import type { Rest } from './rest.js'
import { WireTypeList, WireUserFieldConfigList } from './wire.js'

const crm = 'bitrix24'

export interface SetupDeps {
  rest: Rest
  clickIds: ClickIdFields
  /** The drivers' field dictionary: read to see which fields exist, reset after adding some. */
  dictionary: Memo<{ fields: Record<'leads' | 'deals', Map<string, unknown>> }>
  /** The drivers' smart-process lookup, reset once the processes exist. */
  spa: { reset(): void }
}

export async function setupPortal({ rest, clickIds, dictionary, spa }: SetupDeps, ctx: CallContext): Promise<SetupReport> {
  const report: SetupReport = { created: [], existing: [] }
  // 1. Click-id and referrer fields on leads and deals.
  const d = await dictionary.get()
  const ufAdds: Record<string, string> = {}
  const labels: Record<string, string> = {}
  for (const [entity, method] of [['leads', 'crm.lead.userfield.add'], ['deals', 'crm.deal.userfield.add']] as const) {
    for (const [key, name] of Object.entries(clickIds)) {
      const label = `${entity}.${name}`
      if (d.fields[entity].has(name)) report.existing.push(label)
      else {
        ufAdds[`${entity}_${key}`] = command(method, {
          fields: { FIELD_NAME: name.replace(/^UF_CRM_/, ''), USER_TYPE_ID: key === 'referrer' ? 'url' : 'string', EDIT_FORM_LABEL: `${key} (crmkit)` },
        })
        labels[`${entity}_${key}`] = label
      }
    }
  }
  if (Object.keys(ufAdds).length) {
    let b
    try {
      b = await rest.batch(ufAdds, 'write', ctx)
    } finally {
      dictionary.reset()
    }
    const err = Object.entries(b.errors).find(([, e]) => e.code !== 'ERROR_FIELD_EXISTS')
    if (err) throw err[1]
    // ERROR_FIELD_EXISTS: another run created it since the dictionary was read.
    for (const [key, label] of Object.entries(labels)) (b.errors[key] ? report.existing : report.created).push(label)
  }
  // 2. The two smart processes, campaign → deals/leads as parent so a deal can name its campaign.
  const list = parseResponse(WireTypeList, (await rest.call('crm.type.list', {}, 'read', ctx)).result, crm, 'crm.type.list').types
  const ensureType = async (title: string, fields: Record<string, unknown>): Promise<SpaRef> => {
    const found = list.find((t) => t.title === title)
    if (found) {
      report.existing.push(title)
      return { id: Number(found.id), entityTypeId: Number(found.entityTypeId) }
    }
    const res = await rest.call('crm.type.add', { fields: { title, ...fields } }, 'write', ctx)
    const t = z.object({ type: z.object({ id: z.union([z.number(), z.string()]), entityTypeId: z.union([z.number(), z.string()]) }) }).parse(res.result).type
    report.created.push(title)
    return { id: Number(t.id), entityTypeId: Number(t.entityTypeId) }
  }
  const flags = { isBeginCloseDatesEnabled: 'Y', isClientEnabled: 'N', isStagesEnabled: 'N', isCategoriesEnabled: 'N', isUseInUserfieldEnabled: 'Y' }
  const campaign = await ensureType(CAMPAIGN_TYPE_TITLE, { ...flags, relations: { child: [{ entityTypeId: ENTITY_TYPE.deal }, { entityTypeId: ENTITY_TYPE.lead }] } })
  const spendType = await ensureType(SPEND_TYPE_TITLE, { ...flags, relations: { parent: [{ entityTypeId: campaign.entityTypeId }] } })
  // 3. Their user fields.
  for (const [ref, defs] of [[campaign, CAMPAIGN_FIELDS], [spendType, SPEND_FIELDS]] as const) {
    const entityId = `CRM_${ref.id}`
    const existing = parseResponse(WireUserFieldConfigList, (await rest.call('userfieldconfig.list', { moduleId: 'crm', filter: { entityId } }, 'read', ctx)).result, crm, 'userfieldconfig.list').fields
    for (const def of Object.values(defs)) {
      const name = ufName(ref, def.suffix)
      if (existing.some((f) => f.fieldName === name)) {
        report.existing.push(name)
        continue
      }
      await rest.call('userfieldconfig.add', { moduleId: 'crm', field: { entityId, fieldName: name, userTypeId: def.type, editFormLabel: { ru: def.label, en: def.label } } }, 'write', ctx)
      report.created.push(name)
    }
  }
  spa.reset()
  return report
}
