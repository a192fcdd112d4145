import { money, type CampaignCreate } from '../../sdk/index.js'

const CHANNELS = [
  { channel: 'paid-search', source: 'yandex', name: 'Яндекс Директ', budget: 180_000 },
  { channel: 'paid-social', source: 'vk', name: 'VK Реклама', budget: 120_000 },
  { channel: 'paid-social', source: 'telegram', name: 'Telegram Ads', budget: 90_000 },
  { channel: 'email', source: 'newsletter', name: 'Рассылка', budget: 15_000 },
  { channel: 'offline', source: 'event', name: 'Выставка', budget: 300_000 },
] as const

/** Seasonal themes by calendar month, as Russian retail marketing plans them. */
const THEMES = ['каникулы', '23 февраля', '8 марта', 'весна', 'майские', 'лето', 'лето', 'бэк-ту-скул', 'осень', 'осень', 'чёрная пятница', 'новый год']

/**
 * A year of demo campaigns around the anchor month, two or three a month across channels, with
 * budgets and approval states, so the calendar has something real-looking to show.
 */
export function demoCampaigns(anchor = new Date('2026-11-01T00:00:00Z')): CampaignCreate[] {
  const out: CampaignCreate[] = []
  for (let m = -10; m <= 2; m++) {
    for (let k = 0; k < 2 + (m % 2 === 0 ? 1 : 0); k++) {
      const ch = CHANNELS[(m + 10 + k * 2) % CHANNELS.length]!
      const start = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() + m, 1 + k * 9))
      const length = 5 + ((m + 10 + k) % 4) * 4
      const theme = THEMES[start.getUTCMonth()]!
      out.push({
        name: `${ch.name}: ${theme}`,
        channel: ch.channel,
        source: ch.source,
        utmCampaign: `${ch.source}_${start.toISOString().slice(0, 7).replace('-', '_')}_${k}`,
        startsAt: start,
        endsAt: new Date(start.getTime() + length * 86_400_000),
        status: m < 0 ? 'completed' : m === 0 ? 'active' : 'planned',
        plannedBudget: money(String(ch.budget + k * 10_000), 'RUB'),
        approval: m < 0 ? 'approved' : k === 0 ? 'submitted' : 'draft',
      })
    }
  }
  return out
}
