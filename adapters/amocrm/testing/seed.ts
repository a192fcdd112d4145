// Deterministic, realistic demo account: Russian-language names, two pipelines, contacts with
// phones/emails, companies, a year of deals with UTM tracking fields. Never reads the wall clock:
// every timestamp derives from `anchorDate`, every choice from the seeded PRNG.
import {
  AmoDb, type Company, type Contact, type FieldDef, type FieldScope, type FieldType,
  type FieldValue, type Lead, type Status, type Tag, type User,
} from './db.js'
import { createRandom, deriveSeed, type Random } from '../../../sdk/testing/random.js'

export interface SeedSize { deals: number; contacts: number; companies: number; users: number }

export interface SeedOptions {
  seed?: number
  /** End of the seeded year of history. Default `2026-11-01T00:00:00Z`. */
  anchorDate?: string | number | Date
  size?: Partial<SeedSize>
  subdomain?: string
  /** Seed the "Товары" list (false when the plan has no lists). Default true. */
  catalogs?: boolean
}

export const DEFAULT_SIZE: SeedSize = { deals: 300, contacts: 200, companies: 40, users: 8 }
export const DEFAULT_ANCHOR_DATE = '2026-11-01T00:00:00Z'

/** Codes of amoCRM's predefined `tracking_data` fields (research §2.5). */
export const TRACKING_CODES = [
  'UTM_SOURCE', 'UTM_MEDIUM', 'UTM_CAMPAIGN', 'UTM_CONTENT', 'UTM_TERM', 'UTM_REFERRER', 'REFERRER',
  'ROISTAT', 'OPENSTAT_SERVICE', 'OPENSTAT_CAMPAIGN', 'OPENSTAT_AD', 'OPENSTAT_SOURCE', 'FROM',
  'GCLIENTID', '_YM_UID', '_YM_COUNTER', 'GCLID', 'YCLID', 'FBCLID',
] as const

/** Tracking codes whose values are unique per visit (click ids, visitor ids). */
const UNIQUE_CODES = new Set<string>(['UTM_CONTENT', 'GCLID', 'YCLID', 'FBCLID', '_YM_UID', 'GCLIENTID'])

/** Names that UIs must render escaped. */
export const HTML_SAMPLES = {
  lead: '<b>VIP</b> клиент <script>alert(1)</script>',
  contact: '<img src=x onerror=alert(1)> Иван "Хакер" Петров',
  company: 'ООО «<i>Ромашка</i>» & Co <script>alert(\'x\')</script>',
  utmContent: '<svg onload=alert(1)>',
} as const

const DAY = 86_400

// ---- name pools -----------------------------------------------------------------------------

const MALE = ['Александр', 'Дмитрий', 'Максим', 'Сергей', 'Андрей', 'Алексей', 'Артём', 'Илья', 'Кирилл', 'Михаил', 'Никита', 'Роман', 'Егор', 'Иван', 'Павел', 'Владимир', 'Денис', 'Евгений', 'Игорь', 'Олег', 'Константин', 'Николай', 'Виктор', 'Григорий']
const FEMALE = ['Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Екатерина', 'Татьяна', 'Ирина', 'Светлана', 'Юлия', 'Анастасия', 'Дарья', 'Ксения', 'Полина', 'Виктория', 'Алина', 'Марина', 'Вероника', 'Софья', 'Людмила']
// Every surname ends in -ов/-ев/-ёв/-ин, so the feminine form is "+а".
const SURNAMES = ['Смирнов', 'Иванов', 'Кузнецов', 'Соколов', 'Попов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов', 'Петров', 'Волков', 'Соловьёв', 'Васильев', 'Зайцев', 'Павлов', 'Семёнов', 'Голубев', 'Виноградов', 'Богданов', 'Воробьёв', 'Фёдоров', 'Михайлов', 'Беляев', 'Тарасов', 'Белов', 'Комаров', 'Орлов', 'Киселёв', 'Макаров', 'Андреев', 'Ковалёв', 'Ильин', 'Гусев', 'Титов', 'Кузьмин', 'Баранов', 'Куликов', 'Алексеев', 'Степанов', 'Яковлев', 'Сорокин', 'Сергеев', 'Романов', 'Захаров', 'Борисов', 'Королёв', 'Герасимов', 'Григорьев']
const FIXED_USERS: [string, string][] = [['Анна', 'Смирнова'], ['Дмитрий', 'Иванов'], ['Екатерина', 'Кузнецова'], ['Сергей', 'Попов'], ['Ольга', 'Васильева'], ['Алексей', 'Соколов'], ['Мария', 'Новикова'], ['Игорь', 'Морозов']]
const COMPANY_WORDS = ['Ромашка', 'Вектор', 'Альфа-Строй', 'ТехноСервис', 'СеверЛес', 'Гранит', 'Меридиан', 'Лидер', 'Прогресс', 'Импульс', 'Орбита', 'Спектр', 'Эталон', 'Стройинвест', 'Агрокомплекс', 'Медиагрупп', 'Логистик Про', 'Дельта', 'Феникс', 'Атлант', 'Волга-Трейд', 'УралМаш Сервис', 'Балтика Консалт', 'Сибирские Окна']
const POSITIONS = ['Генеральный директор', 'Коммерческий директор', 'Менеджер по закупкам', 'Маркетолог', 'Руководитель отдела продаж', 'Главный бухгалтер', 'Офис-менеджер']
const MAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'list.ru']
const PRODUCTS: [string, number, number][] = [
  ['Внедрение CRM', 80_000, 450_000], ['Лицензии CRM на год', 20_000, 250_000],
  ['Обучение отдела продаж', 30_000, 150_000], ['Настройка интеграций', 25_000, 120_000],
  ['Аудит воронки продаж', 15_000, 60_000], ['Разработка виджета', 50_000, 300_000],
  ['Техподдержка (абонемент)', 10_000, 90_000], ['Корпоративный тариф', 150_000, 1_500_000],
]
const SEARCH_TERMS = ['crm система', 'купить crm', 'внедрение crm', 'crm для малого бизнеса', 'amocrm цена', 'автоматизация продаж', 'воронка продаж настройка']
const LEAD_TAGS = ['VIP', 'Повторная продажа', 'Вебинар', 'Опт', 'Тендер', '<u>важно</u>']
const LEAD_NAME_KINDS = [['auto', 15], ['product', 25], ['product_client', 35], ['site', 15], ['call', 10]] as const
const CHANNELS = ['Контекстная реклама', 'Таргетированная реклама', 'Email-рассылка', 'Мессенджеры', 'Органический поиск', 'Прямой заход', 'Партнёры'] as const

const TRANSLIT: Record<string, string> = { а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya' }
const translitCache = new Map<string, string>()
/** Latin spelling for e-mails; cached because the name pools are small and seeding is hot. */
function translit(s: string): string {
  let out = translitCache.get(s)
  if (out === undefined) translitCache.set(s, (out = [...s.toLowerCase()].map((c) => TRANSLIT[c] ?? c).join('')))
  return out
}

// ---- traffic mixes (UTM) --------------------------------------------------------------------

type Mix = 'yandex' | 'google' | 'vk' | 'telegram' | 'email' | 'organic' | 'direct' | 'partners'
const MIXES: [Mix, number][] = [['yandex', 24], ['google', 12], ['vk', 10], ['telegram', 6], ['email', 7], ['organic', 15], ['direct', 16], ['partners', 10]]

/** Seasonal campaign running at a given date, so campaign names recur within their window. */
function seasonalCampaign(d: Date): string {
  const m = d.getUTCMonth()
  const y = d.getUTCFullYear()
  if (m === 11) return `new_year_${y + 1}`
  if (m === 0) return `new_year_${y}`
  if (m === 1) return `winter_b2b_${y}`
  if (m <= 4) return `spring_sale_${y}`
  if (m <= 7) return `summer_promo_${y}`
  if (m <= 9) return `autumn_launch_${y}`
  return `black_friday_${y}`
}

function trackingFor(mix: Mix, created: number, r: Random, ymCounter: string): { utm: Partial<Record<(typeof TRACKING_CODES)[number], string>>; channel: (typeof CHANNELS)[number] | null } {
  const date = new Date(created * 1000)
  const ymUid = () => `1${r.string(18, '0123456789')}`
  const paid = () => r.weighted([['brand_search', 35], [seasonalCampaign(date), 45], ['retargeting', 20]] as const)
  switch (mix) {
    case 'yandex':
      return { channel: 'Контекстная реклама', utm: { UTM_SOURCE: 'yandex', UTM_MEDIUM: 'cpc', UTM_CAMPAIGN: paid(), UTM_CONTENT: String(r.int(10_000_000_000, 99_999_999_999)), UTM_TERM: r.pick(SEARCH_TERMS), UTM_REFERRER: 'https://yandex.ru/', YCLID: r.string(19, '0123456789'), _YM_UID: ymUid(), _YM_COUNTER: ymCounter } }
    case 'google':
      return { channel: 'Контекстная реклама', utm: { UTM_SOURCE: 'google', UTM_MEDIUM: 'cpc', UTM_CAMPAIGN: paid(), UTM_TERM: r.pick(SEARCH_TERMS), UTM_REFERRER: 'https://www.google.com/', GCLID: `Cj0KCQ${r.string(42, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}`, GCLIENTID: `${r.int(100_000_000, 999_999_999)}.${created - r.int(0, 30 * DAY)}` } }
    case 'vk':
      return { channel: 'Таргетированная реклама', utm: { UTM_SOURCE: 'vk', UTM_MEDIUM: 'paid_social', UTM_CAMPAIGN: r.weighted([[seasonalCampaign(date), 60], ['retargeting', 25], ['lookalike_audience', 15]] as const), UTM_CONTENT: `banner_${r.pick(['a', 'b', 'c'])}`, UTM_REFERRER: 'https://vk.com/', _YM_UID: ymUid(), _YM_COUNTER: ymCounter } }
    case 'telegram':
      return { channel: 'Мессенджеры', utm: { UTM_SOURCE: 'telegram', UTM_MEDIUM: 'cpc', UTM_CAMPAIGN: r.chance(0.6) ? 'tg_ads_channels' : seasonalCampaign(date), UTM_REFERRER: 'https://t.me/' } }
    case 'email': {
      const campaign = date.getUTCMonth() === 3 || date.getUTCMonth() === 4 ? 'webinar_may' : r.pick(['digest_weekly', 'product_update'])
      return { channel: 'Email-рассылка', utm: { UTM_SOURCE: 'email', UTM_MEDIUM: 'newsletter', UTM_CAMPAIGN: campaign, UTM_CONTENT: r.pick(['header_button', 'footer_link', 'cta_main']) } }
    }
    case 'organic':
      return { channel: 'Органический поиск', utm: { REFERRER: r.pick(['https://yandex.ru/', 'https://www.google.com/', 'https://ya.ru/', 'https://dzen.ru/']), _YM_UID: ymUid(), _YM_COUNTER: ymCounter } }
    case 'partners':
      return { channel: 'Партнёры', utm: { UTM_SOURCE: 'partners', UTM_MEDIUM: 'referral', UTM_CAMPAIGN: 'partner_program', UTM_CONTENT: `partner_${r.pick(['alfa', 'beta', 'gamma', 'delta'])}`, REFERRER: 'https://partner-portal.ru/' } }
    case 'direct':
      return { channel: r.chance(0.5) ? 'Прямой заход' : null, utm: {} }
  }
}

// ---- helpers --------------------------------------------------------------------------------

export function toUnixSeconds(date: string | number | Date): number {
  const ms = date instanceof Date ? date.getTime() : typeof date === 'number' ? date : Date.parse(date)
  if (!Number.isFinite(ms)) throw new Error(`invalid anchorDate: ${String(date)}`)
  return Math.floor(ms / 1000)
}

function phone(r: Random): string {
  const code = `9${r.int(10, 99)}`
  const a = r.int(100, 999), b = r.int(10, 99), c = r.int(10, 99)
  // Real accounts hold phones in mixed formats; search must match by digits.
  switch (r.int(0, 2)) {
    case 0: return `+7${code}${a}${b}${c}`
    case 1: return `+7 ${code} ${a}-${b}-${c}`
    default: return `8 (${code}) ${a}-${b}-${c}`
  }
}

interface FieldBuilder { def(scope: FieldScope, name: string, type: FieldType, opts?: { code?: string; enums?: readonly string[]; predefined?: boolean; catalogId?: number }): FieldDef }

function fieldBuilder(db: AmoDb): FieldBuilder {
  return {
    def(scope, name, type, opts = {}) {
      const table = db.fieldsOf(scope)
      const def: FieldDef = {
        id: db.nextId('field'), name, type, account_id: db.account.id, code: opts.code ?? null,
        sort: (table.size + 1) * 10, is_api_only: false,
        enums: opts.enums ? opts.enums.map((value, i) => ({ id: db.nextId('enum'), value, sort: (i + 1) * 10 })) : null,
        group_id: null, required_statuses: [], is_deletable: !opts.predefined, is_predefined: !!opts.predefined,
        entity_type: scope.startsWith('catalogs') ? 'catalogs' : scope, remind: null,
        ...(opts.catalogId !== undefined ? { catalog_id: opts.catalogId } : {}),
      }
      return table.insert(def)
    },
  }
}

/** Builds the stored value of one field; `value` items follow the field type's wire shape. */
function fv(def: FieldDef, values: FieldValue['values']): FieldValue {
  return { field_id: def.id, field_name: def.name, field_code: def.code, field_type: def.type, values }
}

function enumValue(def: FieldDef, value: string): FieldValue {
  const e = def.enums?.find((x) => x.value === value)
  if (!e) throw new Error(`no enum ${value} in ${def.name}`)
  const code = def.type === 'multitext' ? e.value : null
  return fv(def, [{ value: e.value, enum_id: e.id, enum_code: code }])
}

function multitext(def: FieldDef, items: [string, string][]): FieldValue {
  return fv(def, items.map(([value, code]) => {
    const e = def.enums?.find((x) => x.value === code)
    return { value, enum_id: e?.id ?? 0, enum_code: code }
  }))
}

// ---- the seed -------------------------------------------------------------------------------

export function seedAccount(options: SeedOptions = {}): AmoDb {
  const seed = options.seed ?? 1
  const size: SeedSize = { ...DEFAULT_SIZE, ...options.size }
  const anchor = toUnixSeconds(options.anchorDate ?? DEFAULT_ANCHOR_DATE)
  const subdomain = options.subdomain ?? 'acme'
  const r = createRandom(deriveSeed(seed, 'seed'))

  const db = new AmoDb({
    id: 30_000_000 + (deriveSeed(seed, 'account') % 1_000_000), name: `Демо-аккаунт «${subdomain}»`, subdomain,
    created_at: anchor - 3 * 365 * DAY, created_by: 0, updated_at: anchor - 30 * DAY, updated_by: 0,
    country: 'RU', currency: 'RUB', currency_symbol: '₽', customers_mode: 'disabled', is_unsorted_on: true,
    is_loss_reason_enabled: true, is_helpbot_enabled: false, is_technical_account: false,
    contact_name_display_order: 1, timezone: 'Europe/Moscow',
  })
  const accountId = db.account.id
  const fields = fieldBuilder(db)

  // Users: the first one is the account admin (the long-lived token acts as them).
  const users: User[] = []
  for (let i = 0; i < size.users; i++) {
    const [first, last] = FIXED_USERS[i] ?? (i % 2 ? [r.pick(MALE), r.pick(SURNAMES)] : [r.pick(FEMALE), `${r.pick(SURNAMES)}а`])
    const admin = i === 0
    const level = admin ? 'A' : 'M'
    const crud = { view: 'A', edit: level, add: 'A', delete: admin ? 'A' : 'D', export: admin ? 'A' : 'D' }
    users.push(db.users.insert({
      id: db.nextId('user'), name: `${first} ${last}`, email: `${translit(first)[0]}.${translit(last)}${i >= FIXED_USERS.length ? i : ''}@${subdomain}-demo.ru`, lang: 'ru',
      rights: { leads: crud, contacts: crud, companies: crud, mail_access: true, catalog_access: true, is_admin: admin, is_free: false, is_active: true, group_id: null, role_id: null },
    }))
  }
  if (users.length === 0) throw new Error('size.users must be at least 1')

  // Pipelines: every one has "unsorted" (type 1) plus 142 won / 143 lost.
  const pipelineDefs: [string, string[]][] = [
    ['Продажи', ['Первичный контакт', 'Переговоры', 'Принимают решение', 'Согласование договора']],
    ['Партнёры', ['Новая заявка', 'Квалификация', 'Презентация', 'Подписание договора', 'Запуск']],
  ]
  const colors = ['#99ccff', '#ffff99', '#ffcc66', '#ff9966', '#deff81']
  pipelineDefs.forEach(([name, working], pi) => {
    const id = db.nextId('pipeline')
    const status = (sid: number, sname: string, sort: number, color: string, type: 0 | 1 = 0, editable = true): Status =>
      ({ id: sid, name: sname, sort, is_editable: editable, pipeline_id: id, color, type, account_id: accountId })
    const statuses = [
      status(db.nextId('status'), 'Неразобранное', 10, '#c1c1c1', 1, false),
      ...working.map((w, i) => status(db.nextId('status'), w, (i + 2) * 10, colors[i % colors.length] as string)),
      status(142, 'Успешно реализовано', 10_000, '#CCFF66', 0, false),
      status(143, 'Закрыто и не реализовано', 11_000, '#D5D8DB', 0, false),
    ]
    db.pipelines.insert({ id, name, sort: pi + 1, is_main: pi === 0, is_unsorted_on: true, is_archive: false, account_id: accountId, _embedded: { statuses } })
  })

  const reasons = ['Дорого', 'Выбрали конкурента', 'Не дозвонились', 'Нет бюджета', 'Потребность неактуальна'].map((name, i) =>
    db.lossReasons.insert({ id: db.nextId('lossReason'), name, sort: (i + 1) * 10_000, created_at: anchor - 700 * DAY, updated_at: anchor - 700 * DAY }))

  // Custom field definitions.
  const tracking = new Map(TRACKING_CODES.map((code) => [code, fields.def('leads', code.toLowerCase(), 'tracking_data', { code, predefined: true })]))
  const channelField = fields.def('leads', 'Канал', 'select', { enums: CHANNELS })
  const meetingField = fields.def('leads', 'Дата встречи', 'date')
  const seatsField = fields.def('leads', 'Количество лицензий', 'numeric')
  const positionField = fields.def('contacts', 'Должность', 'text', { code: 'POSITION', predefined: true })
  const phoneEnums = ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER']
  const emailEnums = ['WORK', 'PRIV', 'OTHER']
  const contactPhone = fields.def('contacts', 'Телефон', 'multitext', { code: 'PHONE', enums: phoneEnums, predefined: true })
  const contactEmail = fields.def('contacts', 'Email', 'multitext', { code: 'EMAIL', enums: emailEnums, predefined: true })
  const companyPhone = fields.def('companies', 'Телефон', 'multitext', { code: 'PHONE', enums: phoneEnums, predefined: true })
  const companyEmail = fields.def('companies', 'Email', 'multitext', { code: 'EMAIL', enums: emailEnums, predefined: true })
  const companyWeb = fields.def('companies', 'Web', 'url', { code: 'WEB', predefined: true })
  const companyAddress = fields.def('companies', 'Адрес', 'textarea', { code: 'ADDRESS', predefined: true })

  const tags: Tag[] = LEAD_TAGS.map((name, i) => db.tags.leads.insert({ id: db.nextId('tag'), name, color: i === 0 ? 'FFCE5A' : null }))

  // Companies, then contacts (they share an id sequence, as in amoCRM).
  const yearStart = anchor - 365 * DAY
  const companies: Company[] = []
  for (let i = 0; i < size.companies; i++) {
    const word = r.pick(COMPANY_WORDS)
    const name = i === 1 ? HTML_SAMPLES.company
      : r.weighted([[`ООО «${word}»`, 60], [`АО «${word}»`, 15], [`ИП ${r.pick(SURNAMES)} ${r.pick(MALE)[0]}. ${r.pick(MALE)[0]}.`, 25]] as const)
    const created = yearStart - 90 * DAY + Math.floor(((i + r.next()) * 300 * DAY) / size.companies)
    const site = `${translit(word).replace(/[^a-z]/g, '')}${r.int(1, 99)}.ru`
    const responsible = r.pick(users).id
    companies.push(db.companies.insert({
      id: db.nextId('company'), name, responsible_user_id: responsible, group_id: 0, created_by: responsible, updated_by: responsible,
      created_at: created, updated_at: created + r.int(0, 60 * DAY), closest_task_at: null, is_deleted: false,
      custom_fields_values: [multitext(companyPhone, [[phone(r), 'WORK']]), multitext(companyEmail, [[`info@${site}`, 'WORK']]), fv(companyWeb, [{ value: `https://${site}` }]),
        ...(r.chance(0.5) ? [fv(companyAddress, [{ value: `г. ${r.pick(['Москва', 'Санкт-Петербург', 'Казань', 'Екатеринбург', 'Новосибирск'])}, ул. ${r.pick(['Ленина', 'Мира', 'Садовая', 'Советская'])}, д. ${r.int(1, 120)}` }])] : [])],
      account_id: accountId, _embedded: { tags: [] },
    }))
  }

  const contacts: Contact[] = []
  const contactsStart = yearStart - 60 * DAY
  const contactsSpan = anchor - contactsStart - DAY
  for (let i = 0; i < size.contacts; i++) {
    const female = r.chance(0.5)
    const first = r.pick(female ? FEMALE : MALE)
    const surname = r.pick(SURNAMES)
    const last = female ? `${surname}а` : surname
    const created = contactsStart + Math.floor(((i + r.next()) * contactsSpan) / size.contacts)
    const phones: [string, string][] = [[phone(r), r.chance(0.6) ? 'MOB' : 'WORK']]
    if (r.chance(0.15)) phones.push([phone(r), 'WORK'])
    const cf: FieldValue[] = [multitext(contactPhone, phones)]
    if (r.chance(0.75)) cf.push(multitext(contactEmail, [[`${translit(first)}.${translit(last)}${r.chance(0.4) ? r.int(1, 99) : ''}@${r.pick(MAIL_DOMAINS)}`, r.chance(0.7) ? 'WORK' : 'PRIV']]))
    if (r.chance(0.3)) cf.unshift(fv(positionField, [{ value: r.pick(POSITIONS) }]))
    const responsible = r.pick(users).id
    const contact = db.contacts.insert({
      id: db.nextId('contact'), name: i === 2 ? HTML_SAMPLES.contact : `${first} ${last}`, first_name: first, last_name: last,
      responsible_user_id: responsible, group_id: 0, created_by: responsible, updated_by: responsible,
      created_at: created, updated_at: Math.min(anchor - 1, created + r.int(0, 45 * DAY)), closest_task_at: null,
      is_deleted: false, is_unsorted: false, custom_fields_values: cf, account_id: accountId, _embedded: { tags: [] },
    })
    contacts.push(contact)
    if (companies.length > 0 && r.chance(0.45)) db.links.setContactCompany(contact.id, r.pick(companies).id)
  }

  // Deals, spread evenly over the year before the anchor (ids grow with created_at).
  const pipelines = db.pipelines.rows
  const working = pipelines.map((p) => p._embedded.statuses.filter((s) => s.type === 0 && s.id !== 142 && s.id !== 143))
  const unsorted = pipelines.map((p) => p._embedded.statuses.find((s) => s.type === 1) as Status)
  const ymCounter = String(r.int(10_000_000, 99_999_999))
  // Low-cardinality values (utm_source, campaign, channel…) are shared between leads: seeding 100k
  // deals is allocation-bound. Safe because writes replace field values, never mutate them.
  const internedValues = new Map<string, FieldValue>()
  const interned = (def: FieldDef, value: string): FieldValue => {
    const key = `${def.id}|${value}`
    let v = internedValues.get(key)
    if (!v) internedValues.set(key, (v = def.enums ? enumValue(def, value) : fv(def, [{ value }])))
    return v
  }
  const window = Math.max(1, Math.ceil(contacts.length * 0.15))
  for (let j = 0; j < size.deals; j++) {
    const id = db.nextId('lead')
    const created = yearStart + Math.floor(((j + r.next()) * (365 * DAY - DAY)) / size.deals)
    const pi = r.chance(0.8) ? 0 : 1
    const pipeline = pipelines[pi] ?? db.mainPipeline()
    const roll = r.next()
    const outcome = roll < 0.25 ? 'won' : roll < 0.5 ? 'lost' : 'open'
    let statusId: number
    if (outcome === 'won') statusId = 142
    else if (outcome === 'lost') statusId = 143
    else if (anchor - created < 14 * DAY && r.chance(0.3)) statusId = (unsorted[pi] as Status).id
    else statusId = r.pick(working[pi] as Status[]).id
    const closed = outcome === 'open' ? null : Math.min(anchor - 60, created + r.int(3600, 60 * DAY))
    const updated = closed ?? Math.min(anchor - 1, created + r.int(0, 30 * DAY))
    const [product, lo, hi] = r.pick(PRODUCTS)
    const price = r.chance(0.08) ? 0 : Math.round(r.int(lo, hi) / 1000) * 1000
    const responsible = r.pick(users).id

    // Contacts created around the same time are likeliest; some customers come back.
    let contact: Contact | undefined
    if (contacts.length > 0) {
      const hi = Math.min(contacts.length, Math.max(1, Math.ceil((contacts.length * (j + 1)) / size.deals)))
      contact = contacts[r.chance(0.15) ? r.int(0, hi - 1) : r.int(Math.max(0, hi - window), hi - 1)]
    }
    const contactCompany = contact ? db.links.contactCompany.get(contact.id) : undefined
    const companyId = contactCompany !== undefined && r.chance(0.8) ? contactCompany
      : companies.length > 0 && r.chance(0.05) ? r.pick(companies).id : undefined
    const company = companyId !== undefined ? db.companies.get(companyId) : undefined

    const mix = r.weighted(MIXES)
    const { utm, channel } = trackingFor(mix, created, r, ymCounter)
    if (j === 3) utm.UTM_CONTENT = HTML_SAMPLES.utmContent
    const cf: FieldValue[] = []
    for (const code of TRACKING_CODES) {
      const value = utm[code]
      if (value === undefined) continue
      const def = tracking.get(code) as FieldDef
      cf.push(UNIQUE_CODES.has(code) ? fv(def, [{ value }]) : interned(def, value))
    }
    if (channel) cf.push(interned(channelField, channel))
    if (r.chance(0.35)) cf.push(fv(meetingField, [{ value: Math.floor((created + r.int(1, 21) * DAY) / DAY) * DAY - 3 * 3600 }]))
    if (r.chance(0.3)) cf.push(fv(seatsField, [{ value: String(r.int(1, 50)) }]))

    const nameKind = r.weighted(LEAD_NAME_KINDS)
    const name = j === 1 ? HTML_SAMPLES.lead
      : nameKind === 'auto' ? `Сделка #${id}`
      : nameKind === 'product' ? product
      : nameKind === 'product_client' ? `${product} — ${company?.name ?? contact?.last_name ?? 'клиент'}`
      : nameKind === 'site' ? `Заявка с сайта ${subdomain}-demo.ru`
      : contact ? `Входящий звонок от ${contact.name}` : 'Входящий звонок'
    const leadTags: Tag[] = []
    if (r.chance(0.12)) leadTags.push(r.pick(tags))
    if (r.chance(0.02)) {
      const extra = r.pick(tags)
      if (!leadTags.includes(extra)) leadTags.push(extra)
    }

    const lead: Lead = {
      id, name, price, responsible_user_id: responsible, group_id: 0, status_id: statusId, pipeline_id: pipeline.id,
      loss_reason_id: outcome === 'lost' ? r.pick(reasons).id : null,
      created_by: mix === 'direct' || mix === 'organic' ? 0 : responsible, updated_by: responsible,
      created_at: created, updated_at: updated, closed_at: closed, closest_task_at: null, is_deleted: false,
      custom_fields_values: cf.length > 0 ? cf : null, score: null, account_id: accountId, _embedded: { tags: leadTags },
    }
    db.leads.insert(lead)
    if (contact) db.links.linkLeadContact(id, contact.id, true)
    if (company) db.links.setLeadCompany(id, company.id)
  }

  if (options.catalogs !== false) seedProductsCatalog(db, fields, users[0] as User, anchor, r)
  return db
}

/** One pre-existing "Товары" list: the 10-list cap is shared with the customer's own lists. */
function seedProductsCatalog(db: AmoDb, fields: FieldBuilder, admin: User, anchor: number, r: Random): void {
  const created = anchor - 200 * DAY
  const catalog = db.catalogs.insert({
    id: db.nextId('catalog'), name: 'Товары', created_by: admin.id, updated_by: admin.id, created_at: created, updated_at: created,
    sort: 10, type: 'products', can_add_elements: true, can_show_in_cards: true, can_link_multiple: true, can_be_deleted: false,
    sdk_widget_code: null, account_id: db.account.id,
  })
  const scope = `catalogs:${catalog.id}` as const
  const sku = fields.def(scope, 'Артикул', 'text', { code: 'SKU', predefined: true, catalogId: catalog.id })
  const price = fields.def(scope, 'Цена', 'price', { code: 'PRICE', predefined: true, catalogId: catalog.id })
  const description = fields.def(scope, 'Описание', 'textarea', { code: 'DESCRIPTION', predefined: true, catalogId: catalog.id })
  const elements = db.elementsOf(catalog.id)
  PRODUCTS.forEach(([name, lo], i) => {
    elements.insert({
      id: db.nextId('catalogElement'), catalog_id: catalog.id, name, created_by: admin.id, updated_by: admin.id,
      created_at: created + i * 60, updated_at: created + i * 60, is_deleted: false,
      custom_fields_values: [fv(sku, [{ value: `SKU-${1000 + i}` }]), fv(price, [{ value: lo }]), fv(description, [{ value: `${name}: ${r.pick(['базовый пакет', 'расширенный пакет', 'под ключ'])}` }])],
      account_id: db.account.id,
    })
  })
}
