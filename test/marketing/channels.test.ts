import { describe, expect, it } from 'vitest'
import { CHANNEL_CODES, DEFAULT_CHANNEL_RULES, classifyChannel, createChannelClassifier, isChannelCode } from '../../sdk/marketing/index.js'

describe('channel mapping', () => {
  it.each([
    [{ utm: { source: 'yandex', medium: 'cpc' } }, 'paid-search'],
    [{ utm: { source: 'yandex', medium: 'cpm' } }, 'display'],
    [{ utm: { source: 'yandex_direct' } }, 'paid-search'],
    [{ clickIds: { yclid: '123' } }, 'paid-search'],
    [{ clickIds: { gclid: 'abc' } }, 'paid-search'],
    [{ clickIds: { fbclid: 'x' } }, 'social'],
    [{ utm: { source: 'vk', medium: 'cpc' } }, 'paid-social'],
    [{ utm: { source: 'vk_ads' } }, 'paid-social'],
    [{ utm: { source: 'mytarget', medium: 'cpm' } }, 'paid-social'],
    [{ utm: { source: 'telegram', medium: 'cpm' } }, 'paid-social'],
    [{ utm: { source: 'tgads' } }, 'paid-social'],
    [{ utm: { source: 'telegram', medium: 'messenger' } }, 'messengers'],
    [{ utm: { source: 'vk', medium: 'social' } }, 'social'],
    [{ utm: { source: 'unisender', medium: 'email' } }, 'email'],
    [{ utm: { medium: 'SMS ' } }, 'sms'],
    [{ referrer: 'https://yandex.ru/search/?text=crm' }, 'organic-search'],
    [{ referrer: 'https://www.google.com/' }, 'organic-search'],
    [{ referrer: 'https://t.me/some_channel' }, 'messengers'],
    [{ referrer: 'https://m.vk.com/wall-1' }, 'social'],
    [{ referrer: 'https://example.org/blog' }, 'referral'],
    [{ channel: 'CALL' }, 'call-centre'],
    [{ channel: 'TRADE_SHOW' }, 'offline'],
    [{ utm: { medium: 'affiliate' } }, 'partners'],
    [{ utm: { medium: 'weird' } }, 'other'],
    [{}, 'direct'],
    [null, 'direct'],
  ] as const)('%j → %s', (source, channel) => {
    expect(classifyChannel(source)).toBe(channel)
  })

  it('every default rule maps to a taxonomy code', () => {
    expect(CHANNEL_CODES).toHaveLength(14)
    expect(DEFAULT_CHANNEL_RULES.length).toBeGreaterThan(0)
    DEFAULT_CHANNEL_RULES.forEach((rule, i) => expect(isChannelCode(rule.channel), `rule ${i} → ${rule.channel}`).toBe(true))
    expect(isChannelCode('tv')).toBe(false)
  })

  it('user rules take precedence and may use their own codes', () => {
    const classify = createChannelClassifier({
      rules: [
        { source: ['yandex'], medium: ['cpc'], channel: 'yandex-direct' },
        { referrerHost: ['example.org'], channel: 'partners' },
      ],
    })
    expect(classify({ utm: { source: 'Yandex', medium: 'CPC' } })).toBe('yandex-direct')
    expect(classify({ referrer: 'https://shop.example.org/x' })).toBe('partners')
    expect(classify({ utm: { source: 'google', medium: 'cpc' } })).toBe('paid-search')
    const only = createChannelClassifier({ replaceDefaults: true, rules: [{ medium: ['cpc'], channel: 'paid-search' }] })
    expect(only({ clickIds: { gclid: 'x' } })).toBe('direct')
  })
})
