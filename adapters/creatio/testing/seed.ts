// Deterministic, realistic seeding: the same seed gives the same site, byte for byte.
import { createRandom, type Random } from '../../../sdk/testing/random.js'
import { ZERO_GUID, defaultValue, type SiteSchema } from './schema.js'

export interface SeedSize {
  leads: number
  deals: number
  contacts: number
  accounts: number
  users: number
}
export const DEFAULT_SIZE: SeedSize = { leads: 300, deals: 150, contacts: 80, accounts: 15, users: 6 }
export const DEFAULT_ANCHOR_DATE = '2026-11-01T00:00:00Z'

export type Row = Record<string, unknown>
export type Tables = Map<string, Row[]>

export const LEAD_MEDIUMS = ['Paid search', 'Organic search', 'Email', 'Social media', 'Media advertising', 'Referral', 'Direct'] as const
/** Lead source → (utm_source, default channel). */
export const LEAD_SOURCES: [string, string, (typeof LEAD_MEDIUMS)[number]][] = [
  ['Yandex', 'yandex', 'Paid search'],
  ['Google', 'google', 'Paid search'],
  ['VK', 'vk', 'Social media'],
  ['Telegram', 'telegram', 'Social media'],
  ['Email newsletter', 'email', 'Email'],
  ['Partner site', 'partner', 'Referral'],
]
export const OPPORTUNITY_STAGES: [string, boolean, boolean][] = [
  ['Qualification', false, false],
  ['Presentation', false, false],
  ['Proposal', false, false],
  ['Negotiation', false, false],
  ['Closed won', true, true],
  ['Closed lost', true, false],
]
export const QUALIFY_STATUSES: [string, boolean, boolean][] = [
  ['Qualification', false, false],
  ['Nurturing', false, false],
  ['Awaiting sale', false, false],
  ['Qualified', true, true],
  ['Disqualified', true, false],
]
const FIRST = ['Анна', 'Иван', 'Мария', 'Олег', 'Елена', 'Дмитрий', 'Ольга', 'Сергей', 'Наталья', 'Андрей', "O'Brien", 'Тарас', 'Оксана']
const LAST = ['Петрова', 'Смирнов', 'Коваленко', 'Шевченко', 'Иванова', 'Кузнецов', 'Бондаренко', 'Соколова', 'Мельник', 'Попов']
const COMPANIES = ['Северный ветер', 'Ромашка', 'ТехноПром', 'Agro Invest', 'Днепр Логистик', 'Сибирь Софт', 'Вектор', 'Astra Group', 'Альфа Строй', 'Kyiv Digital']
const NEEDS = ['Внедрение CRM', 'Поставка оборудования', 'Консалтинг', 'Обучение', 'Лицензии', 'Интеграция 1С']

export interface SeedOptions {
  seed?: number
  size?: Partial<SeedSize>
  anchorDate?: string | number | Date
}

/** Fills every table of `schema` with a consistent, deterministic site. */
export function seedSite(schema: SiteSchema, o: SeedOptions = {}): Tables {
  const size = { ...DEFAULT_SIZE, ...o.size }
  const r = createRandom(o.seed ?? 1)
  const anchor = new Date(o.anchorDate ?? DEFAULT_ANCHOR_DATE).getTime()
  const yearMs = 365 * 86_400_000
  const iso = (ms: number) => new Date(ms).toISOString()
  // The site as of the anchor: nothing was changed (or closed) after it, or an incremental read
  // (`ModifiedOn ge <now>`) would return seeded rows as if they had just changed.
  const lastChange = anchor - 1
  const tables: Tables = new Map([...schema.keys()].map((k) => [k, []]))
  const blank = (entity: string): Row => {
    const row: Row = {}
    for (const c of schema.get(entity)!.values()) row[c.name] = defaultValue(c)
    return row
  }
  const add = (entity: string, values: Row, at = anchor - yearMs): Row => {
    if (!schema.has(entity)) return values
    const row: Row = { ...blank(entity), Id: r.guid(), CreatedOn: iso(at), ModifiedOn: iso(at), ...values }
    for (const k of Object.keys(row)) if (!schema.get(entity)!.has(k)) delete row[k]
    tables.get(entity)!.push(row)
    return row
  }
  const lookup = (entity: string, names: readonly string[], extra: (i: number) => Row = () => ({})) =>
    names.map((Name, i) => add(entity, { Name, ...extra(i) }))

  const mediums = lookup('LeadMedium', LEAD_MEDIUMS)
  const mediumId = (name: string) => String(mediums.find((m) => m['Name'] === name)!['Id'])
  const sources = lookup('LeadSource', LEAD_SOURCES.map((s) => s[0]), (i) => ({ LeadMediumId: mediumId(LEAD_SOURCES[i]![2]) }))
  const stages = lookup('OpportunityStage', OPPORTUNITY_STAGES.map((s) => s[0]), (i) => ({ Number: i + 1, End: OPPORTUNITY_STAGES[i]![1], Successful: OPPORTUNITY_STAGES[i]![2] }))
  const qualify = lookup('QualifyStatus', QUALIFY_STATUSES.map((s) => s[0]), (i) => ({ StageNumber: i + 1, IsFinal: QUALIFY_STATUSES[i]![1], Successful: QUALIFY_STATUSES[i]![2] }))
  const reasons = lookup('OpportunityCloseReason', ['Выбрали конкурента', 'Нет бюджета', 'Не отвечает', 'Сделка выиграна'])
  lookup('LeadStatus', ['New', 'In progress'])
  const leadTypes = lookup('LeadType', NEEDS.slice(0, 4))
  lookup('UsrDealType', ['New business', 'Upsell', 'Renewal'])
  const campaignStatuses = lookup('CampaignStatus', ['Planned', 'In progress', 'Completed', 'Stopped'])
  const activityStatuses = lookup('MktgActivityStatus', ['Planned', 'In progress', 'Completed', 'Cancelled'])

  // Employees: a contact per user; owners of everything are these contacts.
  const employees: Row[] = []
  for (let u = 0; u < size.users; u++) {
    const given = r.pick(FIRST)
    const sur = r.pick(LAST)
    const c = add('Contact', { Name: `${given} ${sur}`, GivenName: given, Surname: sur, Email: `user${u + 1}@crmkit.example`, JobTitle: 'Менеджер' })
    employees.push(c)
    add('SysAdminUnit', { Name: `${given} ${sur}`, ContactId: c['Id'], Active: u !== size.users - 1 || size.users < 3, SysAdminUnitTypeValue: 4 })
  }
  add('SysAdminUnit', { Name: 'All employees', SysAdminUnitTypeValue: 0, Active: true })
  const owner = () => String(r.pick(employees.length ? employees : [{ Id: ZERO_GUID }])['Id'])

  const accounts: Row[] = []
  for (let k = 0; k < size.accounts; k++) {
    accounts.push(add('Account', { Name: `${COMPANIES[k % COMPANIES.length]}${k >= COMPANIES.length ? ` ${Math.floor(k / COMPANIES.length) + 1}` : ''}`, OwnerId: owner(), Web: `https://company${k + 1}.example` }, anchor - yearMs + k * 3_600_000))
  }
  const customers: Row[] = []
  for (let k = 0; k < size.contacts; k++) {
    const given = r.pick(FIRST)
    const sur = r.pick(LAST)
    customers.push(
      add('Contact', {
        Name: `${sur} ${given}`,
        GivenName: given,
        Surname: sur,
        Email: r.chance(0.8) ? `client${k + 1}@mail.example` : '',
        MobilePhone: `+7 9${r.int(10, 99)} ${r.int(100, 999)}-${r.int(10, 99)}-${r.int(10, 99)}`,
        Phone: r.chance(0.3) ? `+380 44 ${r.int(100, 999)} ${r.int(10, 99)} ${r.int(10, 99)}` : '',
        AccountId: accounts.length && r.chance(0.7) ? r.pick(accounts)['Id'] : ZERO_GUID,
        OwnerId: owner(),
      }, anchor - yearMs + k * 1_800_000),
    )
  }

  const campaigns = Array.from({ length: 6 }, (_, k) => {
    const start = anchor - yearMs + k * 60 * 86_400_000
    return add('Campaign', {
      Name: ['Весенняя распродажа', 'Летний вебинар', 'Black Friday', 'Новый год', 'Осенний запуск', 'Ретаргетинг'][k],
      UtmCampaign: ['spring_sale', 'summer_webinar', 'black_friday', 'new_year', 'autumn_launch', 'retargeting'][k],
      StartDate: iso(start),
      EndDate: iso(start + 30 * 86_400_000),
      CampaignStatusId: campaignStatuses[k < 4 ? 2 : 1]!['Id'],
      OwnerId: owner(),
      TargetTotal: r.int(100, 1000),
    }, start - 86_400_000)
  })
  for (const [k, c] of campaigns.slice(0, 3).entries()) {
    add('Event', { Name: `Конференция ${k + 1}`, StartDate: c['StartDate'], EndDate: c['EndDate'], CampaignId: c['Id'], OwnerId: owner(), PrimaryBudgetedCost: 50_000 * (k + 1), PrimaryActualCost: 45_000 * (k + 1) + 0.5, Goal: 'Лиды' })
  }
  if (schema.has('MktgActivity')) {
    const plan = add('CampaignPlanner', { Name: 'Маркетинговый план 2026', StartDate: iso(anchor - yearMs), DueDate: iso(anchor), OwnerId: owner(), PlannedBudget: 1_200_000, PrimaryPlannedBudget: 1_200_000 })
    for (let k = 0; k < 4; k++) {
      const start = anchor - yearMs + k * 90 * 86_400_000
      const planned = 100_000 + k * 25_000
      add('MktgActivity', {
        Name: ['Контекст Яндекс Q1', 'VK таргет Q2', 'Email-рассылки Q3', 'Вебинары Q4'][k],
        CampaignPlannerId: plan['Id'],
        ChannelId: mediumId(['Paid search', 'Social media', 'Email', 'Referral'][k]!),
        StatusId: activityStatuses[k < 3 ? 2 : 1]!['Id'],
        StartDate: iso(start),
        DueDate: iso(start + 89 * 86_400_000),
        OwnerId: owner(),
        PlannedBudget: planned,
        PrimaryPlannedBudget: planned,
        SpentBudget: planned - 5_000,
        PrimarySpentBudget: planned - 5_000,
        Approval: k < 3,
        UsrUtmCampaign: ['yandex_q1', 'vk_q2', 'email_q3', 'webinars_q4'][k],
      }, start - 86_400_000)
    }
  }

  const utmOf = (k: number) => {
    const src = LEAD_SOURCES[k % LEAD_SOURCES.length]!
    const camp = campaigns[k % campaigns.length]!
    return { src, camp, medium: src[2] === 'Paid search' ? 'cpc' : src[2] === 'Email' ? 'email' : 'social' }
  }
  const leads: Row[] = []
  const leadTimes = spread(r, size.leads, anchor - yearMs, anchor)
  for (let k = 0; k < size.leads; k++) {
    const tracked = r.chance(0.75)
    const { src, camp, medium } = utmOf(r.int(0, 1000))
    const given = r.pick(FIRST)
    const sur = r.pick(LAST)
    const company = r.chance(0.6) ? r.pick(COMPANIES) : ''
    const q = r.next()
    const status = qualify[q < 0.5 ? 0 : q < 0.65 ? 1 : q < 0.75 ? 2 : q < 0.88 ? 3 : 4]!
    const click = src[1] === 'google' ? `gclid=${r.guid().slice(0, 12)}` : src[1] === 'yandex' ? `yclid=${r.int(1e6, 9e6)}` : ''
    const created = leadTimes[k]!
    leads.push(
      add('Lead', {
        LeadName: `${r.pick(NEEDS)} / ${given} ${sur}${company ? `, ${company}` : ''}`,
        Contact: `${given} ${sur}`,
        Account: company,
        QualifyStatusId: status['Id'],
        LeadTypeId: r.pick(leadTypes)['Id'],
        LeadSourceId: tracked ? sources[LEAD_SOURCES.indexOf(src)]!['Id'] : ZERO_GUID,
        LeadMediumId: tracked ? mediumId(src[2]) : ZERO_GUID,
        CampaignId: tracked ? camp['Id'] : ZERO_GUID,
        Budget: r.chance(0.5) ? r.int(10, 500) * 1000 : 0,
        Email: r.chance(0.7) ? `lead${k + 1}@mail.example` : '',
        MobilePhone: `+7 9${r.int(10, 99)} ${r.int(100, 999)}-${r.int(10, 99)}-${r.int(10, 99)}`,
        OwnerId: owner(),
        QualifiedContactId: status['Successful'] && customers.length ? r.pick(customers)['Id'] : ZERO_GUID,
        BpmHref: tracked ? `https://shop.example/landing?utm_source=${src[1]}&utm_medium=${medium}&utm_campaign=${camp['UtmCampaign']}${click ? `&${click}` : ''}` : '',
        BpmRef: tracked ? (src[1] === 'google' ? 'https://www.google.com/' : src[1] === 'yandex' ? 'https://yandex.ru/' : '') : '',
        UtmSourceStr: tracked ? src[1] : '',
        UtmMediumStr: tracked ? medium : '',
        UtmCampaignStr: tracked ? String(camp['UtmCampaign']) : '',
        UtmContentStr: tracked && r.chance(0.3) ? 'banner_a' : '',
        UtmTermStr: tracked && src[2] === 'Paid search' ? 'crm система' : '',
      }, created),
    )
    const row = leads[leads.length - 1]!
    row['ModifiedOn'] = iso(Math.min(lastChange, created + r.int(0, 20) * 86_400_000 * (r.chance(0.5) ? 1 : 0)))
  }

  const dealTimes = spread(r, size.deals, anchor - yearMs, anchor)
  for (let k = 0; k < size.deals; k++) {
    const stage = k % 7 === 3 ? stages[4]! : k % 7 === 5 ? stages[5]! : r.pick(stages)
    const created = dealTimes[k]!
    const tracked = r.chance(0.7)
    const { src, camp, medium } = utmOf(r.int(0, 1000))
    const candidate = leads.length && r.chance(0.4) ? r.pick(leads) : null
    // One opportunity per lead: Lead.OpportunityId and Opportunity.MainLeadId point at each other.
    const lead = candidate && candidate['OpportunityId'] === ZERO_GUID ? candidate : null
    const closed = stage['End'] === true
    const modified = Math.min(lastChange, created + r.int(0, 30) * 86_400_000)
    const amount = r.chance(0.9) ? r.int(5, 2000) * 1000 + (r.chance(0.2) ? r.int(1, 99) / 100 : 0) : 0
    const deal = add('Opportunity', {
      Title: `${r.pick(NEEDS)} — ${accounts.length ? r.pick(accounts)['Name'] : 'клиент'} #${k + 1}`,
      AccountId: accounts.length && r.chance(0.8) ? r.pick(accounts)['Id'] : ZERO_GUID,
      ContactId: customers.length && r.chance(0.85) ? r.pick(customers)['Id'] : ZERO_GUID,
      StageId: stage['Id'],
      Amount: amount,
      Budget: amount,
      Probability: closed ? (stage['Successful'] ? 100 : 0) : r.int(10, 80),
      DueDate: iso(created + 45 * 86_400_000),
      CloseReasonId: closed ? (stage['Successful'] ? reasons[3]!['Id'] : r.pick(reasons.slice(0, 3))['Id']) : ZERO_GUID,
      LeadTypeId: r.pick(leadTypes)['Id'],
      OwnerId: owner(),
      CampaignId: tracked ? camp['Id'] : ZERO_GUID,
      LeadSourceId: tracked ? sources[LEAD_SOURCES.indexOf(src)]!['Id'] : ZERO_GUID,
      LeadChannelId: tracked ? mediumId(src[2]) : ZERO_GUID,
      MainLeadId: lead ? lead['Id'] : ZERO_GUID,
      ClosedOnDate: closed ? iso(modified) : '0001-01-01T00:00:00Z',
      UsrDealTypeId: r.chance(0.5) ? tables.get('UsrDealType')![r.int(0, 2)]!['Id'] : ZERO_GUID,
      UsrUtmSource: tracked ? src[1] : '',
      UsrUtmMedium: tracked ? medium : '',
      UsrUtmCampaign: tracked ? String(camp['UtmCampaign']) : '',
      UsrGclid: tracked && src[1] === 'google' ? r.guid().slice(0, 12) : '',
      UsrYclid: tracked && src[1] === 'yandex' ? String(r.int(1e6, 9e6)) : '',
      UsrReferrer: tracked && src[1] === 'google' ? 'https://www.google.com/' : '',
    }, created)
    deal['ModifiedOn'] = iso(modified)
    if (lead && schema.get('Lead')?.has('OpportunityId')) lead['OpportunityId'] = deal['Id']
  }
  return tables
}

/** Sorted creation times with distinct milliseconds, spread over [from, to). */
function spread(r: Random, n: number, from: number, to: number): number[] {
  const step = (to - from) / Math.max(1, n)
  return Array.from({ length: n }, (_, k) => Math.floor(from + k * step + r.next() * step * 0.5))
}
