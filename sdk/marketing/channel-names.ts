/**
 * The channel taxonomy. Codes are stable identifiers (stored in CRMs, used as report keys);
 * labels are for display only and may change.
 */
export const CHANNELS = {
  'paid-search': { ru: 'Контекстная реклама', uk: 'Контекстна реклама', en: 'Paid search' },
  'paid-social': { ru: 'Таргетированная реклама', uk: 'Таргетована реклама', en: 'Paid social' },
  display: { ru: 'Медийная реклама', uk: 'Медійна реклама', en: 'Display' },
  email: { ru: 'E-mail', uk: 'E-mail', en: 'Email' },
  sms: { ru: 'SMS', uk: 'SMS', en: 'SMS' },
  messengers: { ru: 'Мессенджеры', uk: 'Месенджери', en: 'Messengers' },
  'organic-search': { ru: 'Поисковая выдача', uk: 'Пошукова видача', en: 'Organic search' },
  social: { ru: 'Соцсети', uk: 'Соцмережі', en: 'Social' },
  referral: { ru: 'Переходы с сайтов', uk: 'Переходи з сайтів', en: 'Referral' },
  direct: { ru: 'Прямые заходы', uk: 'Прямі заходи', en: 'Direct' },
  offline: { ru: 'Офлайн и мероприятия', uk: 'Офлайн і заходи', en: 'Offline / events' },
  partners: { ru: 'Партнёры', uk: 'Партнери', en: 'Partners' },
  'call-centre': { ru: 'Колл-центр', uk: 'Кол-центр', en: 'Call centre' },
  other: { ru: 'Другое', uk: 'Інше', en: 'Other' },
} as const

export type ChannelCode = keyof typeof CHANNELS
export const CHANNEL_CODES = Object.keys(CHANNELS) as ChannelCode[]

export function isChannelCode(value: string): value is ChannelCode {
  return Object.hasOwn(CHANNELS, value)
}
