// Deterministic demo portal: users, two deal pipelines with their stages, lead statuses, sources,
// user fields (including crmkit's click-id fields), companies, contacts with phones and e-mails,
// leads and deals with realistic UTM marks. Same seed → identical portal.
import { Bitrix24Db, ENTITY, portalDate, semanticLetter, type StatusRow, type UserField } from './db.js'
import { createRandom, deriveSeed, type Random } from '../../../sdk/testing/random.js'

export interface SeedSize {
  deals: number
  leads: number
  contacts: number
  companies: number
  users: number
}

export const DEFAULT_SIZE: SeedSize = { deals: 300, leads: 150, contacts: 200, companies: 40, users: 8 }
export const DEFAULT_ANCHOR_DATE = '2026-11-01T00:00:00Z'

export interface SeedOptions {
  seed: number
  size: SeedSize
  /** End of the seeded year, ms. */
  anchor: number
  /** Create crmkit's click-id fields and fill some click ids (default true, as after `crm.setup()`). */
  clickIdFields?: boolean
}

/** Fields crmkit writes click ids and the referrer to; `crm.setup()` creates them when missing. */
export const CLICK_ID_FIELDS = {
  gclid: 'UF_CRM_CRMKIT_GCLID',
  yclid: 'UF_CRM_CRMKIT_YCLID',
  fbclid: 'UF_CRM_CRMKIT_FBCLID',
  referrer: 'UF_CRM_CRMKIT_REFERRER',
} as const

const FIRST = ['Анна', 'Иван', 'Ольга', 'Сергей', 'Мария', 'Дмитрий', 'Елена', 'Алексей', 'Наталья', 'Павел', 'Ірина', 'Тарас']
const LAST = ['Петрова', 'Смирнов', 'Кузнецова', 'Попов', 'Васильева', 'Соколов', 'Михайлова', 'Новиков', 'Шевченко', 'Коваленко']
const COMPANY = ['ООО «Ромашка»', 'АО «Вектор»', 'ИП Орлов', 'ООО «СтройМир»', 'ТОВ «Світанок»', 'ООО «Альфа-Логистик»', 'ЗАО «Северный ветер»']
const PRODUCTS = ['Поставка оборудования', 'Внедрение CRM', 'Годовая подписка', 'Консультация', 'Сайт под ключ', 'Доставка', 'Обучение персонала']
const UTM: readonly (readonly [[string, string, string[]], number])[] = [
  [['yandex', 'cpc', ['brand_search', 'spring_sale_2026', 'retargeting_q2']], 5],
  [['google', 'cpc', ['brand_search', 'black_friday']], 3],
  [['vk', 'cpm', ['lookalike_2026', 'video_15s']], 2],
  [['telegram', 'social', ['channel_post']], 1],
  [['email', 'newsletter', ['digest_march']], 1],
]
const SOURCES = ['CALL', 'EMAIL', 'WEB', 'ADVERTISING', 'PARTNER', 'RECOMMENDATION', 'TRADE_SHOW', 'WEBFORM', 'CALLBACK', 'RC_GENERATOR', 'STORE', 'OTHER']
const SOURCE_NAMES = ['Call', 'E-mail', 'Website', 'Advertising', 'Existing client', 'By recommendation', 'Trade show', 'CRM form', 'Callback', 'Sales generator', 'Online store', 'Other']

export function seedPortal(o: SeedOptions): Bitrix24Db {
  const db = new Bitrix24Db()
  const r = (stream: string) => createRandom(deriveSeed(o.seed, stream))
  const rs = r('structure')
  seedUsers(db, rs, o.size.users)
  seedDictionaries(db)
  const clickIds = o.clickIdFields ?? true
  seedUserFields(db, clickIds)
  const yearAgo = o.anchor - 365 * 86_400_000
  const userIds = db.users.filter((u) => u.ACTIVE).map((u) => Number(u.ID))

  const rc = r('companies')
  db.startIdsAt(ENTITY.company, 11)
  for (let i = 0; i < o.size.companies; i++) {
    const created = yearAgo + rc.int(0, 300) * 86_400_000
    db.insert(ENTITY.company, {
      title: `${rc.pick(COMPANY)} #${i + 1}`,
      assignedById: rc.pick(userIds),
      createdBy: 1,
      updatedBy: 1,
      createdTime: portalDate(created),
      updatedTime: portalDate(created + rc.int(0, 60) * 86_400_000),
      opened: 'Y',
      fm: [],
    })
  }
  const companyIds = [...db.table(ENTITY.company).keys()]

  const rp = r('contacts')
  db.startIdsAt(ENTITY.contact, 101)
  for (let i = 0; i < o.size.contacts; i++) {
    const first = rp.pick(FIRST)
    const last = rp.pick(LAST)
    const created = yearAgo + rp.int(0, 330) * 86_400_000 + rp.int(0, 86_399) * 1000
    const fm: Record<string, unknown>[] = []
    let fmId = 1_000 + i * 3
    if (rp.chance(0.9)) fm.push({ id: fmId++, typeId: 'PHONE', valueType: rp.pick(['WORK', 'MOBILE']), value: `+7 9${rp.int(10, 99)} ${rp.int(100, 999)}-${rp.int(10, 99)}-${rp.int(10, 99)}` })
    if (rp.chance(0.7)) fm.push({ id: fmId++, typeId: 'EMAIL', valueType: 'WORK', value: `contact${i + 1}@example.com` })
    db.insert(ENTITY.contact, {
      name: first,
      lastName: last,
      secondName: null,
      honorific: null,
      companyId: rp.chance(0.5) && companyIds.length ? rp.pick(companyIds) : 0,
      assignedById: rp.pick(userIds),
      createdBy: 1,
      updatedBy: 1,
      createdTime: portalDate(created),
      updatedTime: portalDate(created + rp.int(0, 40) * 86_400_000),
      opened: 'Y',
      sourceId: rp.pick(SOURCES),
      fm,
    })
  }
  const contactIds = [...db.table(ENTITY.contact).keys()]

  const rl = r('leads')
  db.startIdsAt(ENTITY.lead, 1001)
  const leadStatuses = db.stagesOf('STATUS')
  for (let i = 0; i < o.size.leads; i++) {
    const created = yearAgo + rl.int(0, 360) * 86_400_000 + rl.int(0, 86_399) * 1000
    const status = rl.weighted(leadStatuses.map((s) => [s, s.SEMANTICS === 'S' ? 3 : s.SEMANTICS === 'F' ? 2 : 2] as const))
    db.insert(ENTITY.lead, {
      title: `Лид #${i + 1}: ${rl.pick(PRODUCTS)}`,
      name: rl.pick(FIRST),
      lastName: rl.pick(LAST),
      stageId: status.STATUS_ID,
      stageSemanticId: semanticLetter(status),
      opportunity: rl.int(1, 300) * 500,
      currencyId: 'RUB',
      isManualOpportunity: 'N',
      sourceId: rl.pick(SOURCES),
      sourceDescription: null,
      assignedById: rl.pick(userIds),
      createdBy: 1,
      updatedBy: 1,
      createdTime: portalDate(created),
      updatedTime: portalDate(created + rl.int(0, 30) * 3_600_000),
      movedTime: portalDate(created),
      dateClosed: status.SEMANTICS ? portalDate(created + 86_400_000) : null,
      contactId: rl.chance(0.6) ? rl.pick(contactIds) : null,
      companyId: 0,
      opened: 'Y',
      ...utmFields(rl),
      fm: [],
    })
  }
  const convertedLeads = [...db.table(ENTITY.lead).values()].filter((l) => l.stageSemanticId === 'S').map((l) => l.id)

  const rd = r('deals')
  db.startIdsAt(ENTITY.deal, 5001)
  const pipelines = db.categories.map((c) => ({ c, stages: db.stagesOf(c.id === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${c.id}`) }))
  const enumField = db.userFields.find((f) => f.entityId === 'CRM_DEAL' && f.userTypeId === 'enumeration')!
  let leadCursor = 0
  for (let i = 0; i < o.size.deals; i++) {
    const { c, stages } = rd.weighted(pipelines.map((p) => [p, p.c.id === 0 ? 4 : 1] as const))
    const stage = rd.weighted(stages.map((s) => [s, s.SEMANTICS === 'S' ? 2 : s.SEMANTICS === 'F' ? 1.2 : 1] as const))
    const created = yearAgo + rd.int(0, 360) * 86_400_000 + rd.int(0, 86_399) * 1000
    const updated = Math.min(o.anchor - 1000, created + rd.int(0, 45 * 86_400) * 1000)
    const closed = stage.SEMANTICS !== null
    const contacts = rd.chance(0.8) ? [rd.pick(contactIds)] : []
    if (contacts.length && rd.chance(0.15)) contacts.push(rd.pick(contactIds))
    const kopecks = rd.chance(0.3) ? rd.int(1, 99) : 0
    const rub = rd.int(5, 2_000) * 100
    const leadId = rd.chance(0.3) && leadCursor < convertedLeads.length ? convertedLeads[leadCursor++]! : null
    const uf: Record<string, unknown> = { UF_CRM_DELIVERY: rd.chance(0.6) ? rd.pick(enumField.enum).id : null }
    const utm = utmFields(rd)
    // The draws happen either way, so the rest of the portal is the same with or without the fields.
    const yclid = utm.utmSource === 'yandex' && rd.chance(0.7) ? String(rd.int(1e9, 9e9)) : null
    const gclid = utm.utmSource === 'google' && rd.chance(0.7) ? `Cj0K${rd.string(20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}` : null
    if (clickIds && yclid) uf[CLICK_ID_FIELDS.yclid] = yclid
    if (clickIds && gclid) uf[CLICK_ID_FIELDS.gclid] = gclid
    db.insert(ENTITY.deal, {
      title: `${rd.pick(PRODUCTS)} — сделка ${i + 1}`,
      categoryId: c.id,
      stageId: stage.STATUS_ID,
      stageSemanticId: semanticLetter(stage),
      closed: closed ? 'Y' : 'N',
      opportunity: kopecks ? Number(`${rub}.${String(kopecks).padStart(2, '0')}`) : rub,
      currencyId: 'RUB',
      isManualOpportunity: 'Y',
      taxValue: 0,
      probability: null,
      typeId: 'SALE',
      assignedById: rd.pick(userIds),
      createdBy: 1,
      updatedBy: 1,
      createdTime: portalDate(created),
      updatedTime: portalDate(updated),
      movedTime: portalDate(updated),
      begindate: portalDate(created - (created % 86_400_000)),
      closedate: portalDate((closed ? updated : created + 14 * 86_400_000)),
      opened: 'Y',
      contactId: contacts[0] ?? null,
      contactIds: contacts,
      companyId: rd.chance(0.4) && companyIds.length ? rd.pick(companyIds) : 0,
      leadId,
      sourceId: rd.pick(SOURCES),
      sourceDescription: null,
      ...utm,
      observers: [],
      ...uf,
    })
  }
  return db
}

function utmFields(r: Random): Record<string, string | null> {
  if (!r.chance(0.6)) return { utmSource: null, utmMedium: null, utmCampaign: null, utmContent: null, utmTerm: null }
  const [source, medium, campaigns] = r.weighted(UTM)
  return {
    utmSource: source,
    utmMedium: medium,
    utmCampaign: r.pick(campaigns),
    utmContent: r.chance(0.4) ? r.pick(['banner_a', 'banner_b', 'video_15s']) : null,
    utmTerm: medium === 'cpc' && r.chance(0.5) ? r.pick(['crm', 'купить crm', 'bitrix24 integration']) : null,
  }
}

function seedUsers(db: Bitrix24Db, r: Random, n: number): void {
  for (let i = 1; i <= Math.max(1, n); i++) {
    db.users.push({
      ID: String(i),
      ACTIVE: i === 1 || !r.chance(0.15),
      NAME: r.pick(FIRST),
      LAST_NAME: r.pick(LAST),
      EMAIL: `user${i}@example.com`,
      WORK_POSITION: i === 1 ? 'Администратор' : 'Менеджер',
    })
  }
}

function seedDictionaries(db: Bitrix24Db): void {
  const add = (row: Omit<StatusRow, 'ID' | 'NAME_INIT' | 'COLOR' | 'SYSTEM'> & { SYSTEM?: 'Y' | 'N' }) =>
    db.statuses.push({ ID: db.nextStatusId++, NAME_INIT: row.NAME, COLOR: null, SYSTEM: 'N', ...row })
  SOURCES.forEach((id, i) => add({ ENTITY_ID: 'SOURCE', STATUS_ID: id, NAME: SOURCE_NAMES[i]!, SORT: (i + 1) * 10, CATEGORY_ID: null, SEMANTICS: null }))
  add({ ENTITY_ID: 'SOURCE', STATUS_ID: 'UC_7KQ2ZD', NAME: 'Яндекс Директ', SORT: 130, CATEGORY_ID: null, SEMANTICS: null })
  const leads: [string, string, 'S' | 'F' | null][] = [
    ['NEW', 'Не обработан', null], ['IN_PROCESS', 'В работе', null], ['PROCESSED', 'Обработан', null],
    ['CONVERTED', 'Качественный лид', 'S'], ['JUNK', 'Некачественный лид', 'F'],
  ]
  leads.forEach(([id, name, sem], i) => add({ ENTITY_ID: 'STATUS', STATUS_ID: id, NAME: name, SORT: (i + 1) * 10, CATEGORY_ID: null, SEMANTICS: sem, SYSTEM: 'Y', EXTRA: extra(sem) }))
  db.categories.push({ id: 0, name: 'Общая', sort: 100, entityTypeId: 2, isDefault: 'Y' })
  db.categories.push({ id: 1, name: 'Повторные продажи', sort: 200, entityTypeId: 2, isDefault: 'N' })
  const stages: [string, string, 'S' | 'F' | null, boolean?][] = [
    ['NEW', 'Новая', null], ['PREPARATION', 'Подготовка документов', null], ['PREPAYMENT_INVOICE', 'Счёт на предоплату', null],
    ['EXECUTING', 'В работе', null], ['FINAL_INVOICE', 'Финальный счёт', null], ['WON', 'Сделка успешна', 'S'],
    ['LOSE', 'Сделка провалена', 'F'], ['APOLOGY', 'Анализ причины провала', 'F', true],
  ]
  for (const c of db.categories) {
    const prefix = c.id === 0 ? '' : `C${c.id}:`
    stages.forEach(([id, name, sem, apology], i) =>
      add({
        ENTITY_ID: c.id === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${c.id}`,
        STATUS_ID: `${prefix}${id}`,
        NAME: name,
        SORT: (i + 1) * 10,
        CATEGORY_ID: c.id,
        SEMANTICS: sem,
        SYSTEM: sem || id === 'NEW' ? 'Y' : 'N',
        EXTRA: extra(sem, apology),
      }),
    )
  }
}

function extra(sem: 'S' | 'F' | null, apology = false): StatusRow['EXTRA'] {
  return { SEMANTICS: sem === 'S' ? 'success' : sem === 'F' ? (apology ? 'apology' : 'failure') : 'process', COLOR: sem === 'S' ? '#7BD500' : sem === 'F' ? '#FF5752' : '#39A8EF' }
}

function seedUserFields(db: Bitrix24Db, clickIds: boolean): void {
  const add = (f: Omit<UserField, 'id' | 'multiple' | 'mandatory' | 'enum'> & Partial<UserField>) =>
    db.userFields.push({ id: db.nextUserFieldId++, multiple: 'N', mandatory: 'N', enum: [], ...f })
  for (const entityId of clickIds ? ['CRM_LEAD', 'CRM_DEAL'] : []) {
    add({ entityId, fieldName: CLICK_ID_FIELDS.gclid, userTypeId: 'string', title: 'GCLID (crmkit)' })
    add({ entityId, fieldName: CLICK_ID_FIELDS.yclid, userTypeId: 'string', title: 'YCLID (crmkit)' })
    add({ entityId, fieldName: CLICK_ID_FIELDS.fbclid, userTypeId: 'string', title: 'FBCLID (crmkit)' })
    add({ entityId, fieldName: CLICK_ID_FIELDS.referrer, userTypeId: 'url', title: 'Referrer (crmkit)' })
  }
  add({
    entityId: 'CRM_DEAL',
    fieldName: 'UF_CRM_DELIVERY',
    userTypeId: 'enumeration',
    title: 'Способ доставки',
    enum: [
      { id: 41, value: 'Курьер', def: 'N', sort: 10 },
      { id: 42, value: 'Самовывоз', def: 'N', sort: 20 },
      { id: 43, value: 'Почта России', def: 'N', sort: 30 },
    ],
  })
  add({ entityId: 'CRM_DEAL', fieldName: 'UF_CRM_1741600000', userTypeId: 'string', title: 'Промокод' })
  add({ entityId: 'CRM_DEAL', fieldName: 'UF_CRM_1741600100', userTypeId: 'money', title: 'Бюджет клиента' })
}
