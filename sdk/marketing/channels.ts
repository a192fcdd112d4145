import type { Source } from '../model/source.js'
import type { ChannelCode } from './channel-names.js'

// The taxonomy lives in its own module so a view that only names channels (the calendar) does
// not load the classification rules.
export { CHANNELS, CHANNEL_CODES, isChannelCode, type ChannelCode } from './channel-names.js'

/** What the classifier reads; a model `Source` fits, and so does a partial one. */
export interface SourceLike {
  channel?: string | null
  source?: string | null
  utm?: Partial<Source['utm']> | null
  clickIds?: Partial<Source['clickIds']> | null
  referrer?: string | null
}

/**
 * One mapping rule: every condition given must match (values compared lower-cased and trimmed;
 * `referrerHost` matches the host or any subdomain of it). Rules are tried in order; the first
 * match wins. `channel` may be a custom code when a business needs its own.
 */
export interface ChannelRule {
  medium?: readonly string[]
  source?: readonly string[]
  /** Matches when this click id is present (non-empty). */
  clickId?: 'gclid' | 'yclid' | 'fbclid'
  referrerHost?: readonly string[]
  /** The CRM's own channel/source notion (Bitrix24 SOURCE_ID, Creatio LeadMedium). */
  crmChannel?: readonly string[]
  channel: ChannelCode | (string & {})
}

// Source lists reused by several rules.
const YANDEX_DIRECT = ['yandex', 'yandex.direct', 'yandex_direct', 'yandexdirect', 'direct.yandex', 'ya.direct', 'ydirect']
const VK_ADS = ['vk', 'vkontakte', 'vk.com', 'vk_ads', 'vkads', 'vk-ads', 'ads.vk.com', 'mytarget', 'my.target', 'target.my.com']
const TELEGRAM_ADS = ['telegram', 'tg', 'tgads', 'tg_ads', 'telegram_ads', 'telegram-ads', 'ads.telegram.org']
const SOCIAL_SOURCES = [...VK_ADS, ...TELEGRAM_ADS, 'facebook', 'fb', 'instagram', 'ig', 'meta', 'ok', 'ok.ru', 'odnoklassniki', 'tiktok', 'youtube', 'dzen', 'linkedin']
const PAID_MEDIA = ['cpc', 'ppc', 'paid', 'paidsearch', 'paid-search', 'paid_search', 'cpa-search', 'cpv', 'cpm', 'banner', 'display', 'target', 'targeting']

/**
 * Default rules, in priority order (the table in sdk/marketing/README.md mirrors this list).
 * Like Creatio's tracker, utm_medium decides first, click ids next, then the referrer, and
 * "nothing at all" is direct. A paid medium on a social/messenger network is paid social, so
 * VK Ads and Telegram Ads land there whatever medium the advertiser typed.
 */
export const DEFAULT_CHANNEL_RULES: readonly ChannelRule[] = [
  // Paid networks recognised by source + any paid medium.
  { source: [...VK_ADS, ...TELEGRAM_ADS, 'facebook', 'fb', 'instagram', 'ig', 'meta', 'ok', 'ok.ru', 'tiktok', 'linkedin'], medium: PAID_MEDIA, channel: 'paid-social' },
  { source: YANDEX_DIRECT, medium: ['cpm', 'banner', 'display', 'context', 'rsya', 'media'], channel: 'display' },
  { source: [...YANDEX_DIRECT, 'google', 'google-ads', 'adwords', 'bing'], medium: PAID_MEDIA, channel: 'paid-search' },
  // Paid networks recognised by source alone (advertisers often omit utm_medium).
  { source: ['yandex_direct', 'yandexdirect', 'yandex.direct', 'direct.yandex', 'ya.direct', 'ydirect', 'google-ads', 'adwords'], channel: 'paid-search' },
  { source: ['vk_ads', 'vkads', 'vk-ads', 'ads.vk.com', 'mytarget', 'my.target', 'target.my.com', 'tgads', 'tg_ads', 'telegram_ads', 'telegram-ads', 'ads.telegram.org'], channel: 'paid-social' },
  // utm_medium alone.
  { medium: ['cpc', 'ppc', 'paidsearch', 'paid-search', 'paid_search', 'search'], channel: 'paid-search' },
  { medium: ['paid-social', 'paidsocial', 'paid_social', 'social-paid', 'target', 'targeting'], channel: 'paid-social' },
  { medium: ['cpm', 'cpv', 'banner', 'display', 'media', 'context', 'rsya', 'video'], channel: 'display' },
  { medium: ['email', 'e-mail', 'e_mail', 'mail', 'newsletter', 'rassylka'], channel: 'email' },
  { medium: ['sms'], channel: 'sms' },
  { medium: ['messenger', 'messengers', 'telegram', 'whatsapp', 'viber', 'chatbot', 'bot'], channel: 'messengers' },
  { medium: ['organic', 'seo'], channel: 'organic-search' },
  { medium: ['social', 'smm', 'social-network', 'social_network', 'sm', 'post'], channel: 'social' },
  { medium: ['referral', 'ref', 'link'], channel: 'referral' },
  { medium: ['partner', 'partners', 'affiliate', 'cpa'], channel: 'partners' },
  { medium: ['offline', 'event', 'events', 'print', 'outdoor', 'qr', 'tv', 'radio', 'expo'], channel: 'offline' },
  { medium: ['call', 'phone', 'calltracking', 'call-centre', 'call-center'], channel: 'call-centre' },
  { medium: ['(none)', 'none', 'direct'], channel: 'direct' },
  // Click ids: gclid/yclid only exist on ad clicks; fbclid is added to every outbound Facebook
  // link, organic posts included, so it proves "from Facebook", not "paid".
  { clickId: 'gclid', channel: 'paid-search' },
  { clickId: 'yclid', channel: 'paid-search' },
  { clickId: 'fbclid', channel: 'social' },
  // utm_source alone.
  { source: SOCIAL_SOURCES, channel: 'social' },
  { source: ['email', 'newsletter', 'unisender', 'sendpulse', 'mailchimp', 'esputnik', 'dashamail'], channel: 'email' },
  { source: ['yandex', 'google', 'bing', 'duckduckgo', 'mail.ru', 'go.mail.ru'], channel: 'organic-search' },
  // The CRM's own channel (Bitrix24 SOURCE_ID codes and common Creatio LeadMedium names).
  { crmChannel: ['call', 'callback', 'phone', 'звонок', 'телефон'], channel: 'call-centre' },
  { crmChannel: ['email', 'e-mail'], channel: 'email' },
  { crmChannel: ['partner', 'partners', 'партнёры', 'партнеры'], channel: 'partners' },
  { crmChannel: ['recommendation', 'referral', 'рекомендация'], channel: 'referral' },
  { crmChannel: ['trade_show', 'event', 'events', 'выставка', 'мероприятие'], channel: 'offline' },
  { crmChannel: ['paid search', 'контекстная реклама'], channel: 'paid-search' },
  { crmChannel: ['social media', 'social', 'соцсети', 'социальные сети'], channel: 'social' },
  // Referrer host.
  { referrerHost: ['yandex.ru', 'ya.ru', 'yandex.com', 'yandex.ua', 'yandex.by', 'yandex.kz', 'google.com', 'google.ru', 'google.com.ua', 'bing.com', 'duckduckgo.com', 'go.mail.ru'], channel: 'organic-search' },
  { referrerHost: ['vk.com', 'vk.ru', 'ok.ru', 'facebook.com', 'instagram.com', 'youtube.com', 'dzen.ru', 'tiktok.com', 'linkedin.com'], channel: 'social' },
  { referrerHost: ['t.me', 'telegram.org', 'web.whatsapp.com', 'wa.me', 'viber.com'], channel: 'messengers' },
]

export interface ChannelClassifierOptions {
  /** Tried before the defaults. */
  rules?: readonly ChannelRule[]
  /** Replace the defaults instead of extending them. */
  replaceDefaults?: boolean
  /** Channel for a touch that has a referrer no rule knows (default `referral`). */
  unknownReferrer?: ChannelCode | (string & {})
  /** Channel for a touch with UTM/CRM data no rule knows (default `other`). */
  unknown?: ChannelCode | (string & {})
}

export type ChannelClassifier = (source: SourceLike | null | undefined) => ChannelCode | (string & {})

const norm = (v: string | null | undefined): string => (v ?? '').trim().toLowerCase()

function hostOf(referrer: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#:]+)/i.exec(referrer.trim())
  return (m ? m[1]! : referrer.trim().split(/[/?#:]/)[0]!).toLowerCase().replace(/^www\./, '')
}

const hostMatches = (host: string, list: readonly string[]) => list.some((h) => host === h || host.endsWith(`.${h}`))

/** Builds a classifier; call it once and reuse it (rule lists are pre-processed into sets). */
export function createChannelClassifier(options: ChannelClassifierOptions = {}): ChannelClassifier {
  const rules = [...(options.rules ?? []), ...(options.replaceDefaults ? [] : DEFAULT_CHANNEL_RULES)].map((r) => ({
    ...r,
    medium: r.medium && new Set(r.medium.map(norm)),
    source: r.source && new Set(r.source.map(norm)),
    crmChannel: r.crmChannel && new Set(r.crmChannel.map(norm)),
    referrerHost: r.referrerHost?.map(norm),
  }))
  const unknownReferrer = options.unknownReferrer ?? 'referral'
  const unknown = options.unknown ?? 'other'
  return (s) => {
    const medium = norm(s?.utm?.medium)
    const source = norm(s?.utm?.source) || norm(s?.source)
    const crm = norm(s?.channel)
    const referrer = s?.referrer?.trim() ? hostOf(s.referrer) : ''
    for (const r of rules) {
      if (r.medium && !r.medium.has(medium)) continue
      if (r.source && !r.source.has(source)) continue
      if (r.crmChannel && !r.crmChannel.has(crm)) continue
      if (r.clickId && !s?.clickIds?.[r.clickId]) continue
      if (r.referrerHost && !(referrer && hostMatches(referrer, r.referrerHost))) continue
      return r.channel
    }
    if (referrer) return unknownReferrer
    if (medium || source || crm) return unknown
    return 'direct'
  }
}

const defaultClassifier = createChannelClassifier()

/** Channel of a lead/deal source with the default rules. */
export function classifyChannel(source: SourceLike | null | undefined): ChannelCode | (string & {}) {
  return defaultClassifier(source)
}
