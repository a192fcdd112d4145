import { money, type CampaignCreate, type SpendCreate } from '../../sdk/index.js'

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

/**
 * Spend for the demo campaigns: weekly actual costs for campaigns that have started (about the
 * plan, seeded so every start looks the same), committed spend for planned ones.
 */
export function demoSpend(
  campaigns: { id: string; startsAt: Date; endsAt: Date; plannedBudget: { minor: number; currency: string } | null }[],
  today = new Date('2026-11-15T00:00:00Z'),
): SpendCreate[] {
  const out: SpendCreate[] = []
  campaigns.forEach((c, i) => {
    if (!c.plannedBudget) return
    const weeks = Math.max(1, Math.ceil((c.endsAt.getTime() - c.startsAt.getTime() + 86_400_000) / (7 * 86_400_000)))
    const share = Math.floor(c.plannedBudget.minor / weeks / 100) * 100
    if (c.startsAt.getTime() > today.getTime()) {
      out.push({ campaignId: c.id, date: c.startsAt, amount: { minor: Math.floor(c.plannedBudget.minor / 2), currency: c.plannedBudget.currency }, kind: 'committed', note: 'предоплата' })
      return
    }
    for (let w = 0; w < weeks; w++) {
      const date = new Date(c.startsAt.getTime() + w * 7 * 86_400_000)
      if (date.getTime() > today.getTime()) break
      // ±15 % around the plan, deterministic per campaign and week.
      const wobble = 85 + ((i * 7 + w * 13) % 31)
      out.push({ campaignId: c.id, date, amount: { minor: Math.round((share * wobble) / 100 / 100) * 100, currency: c.plannedBudget.currency }, kind: 'actual' })
    }
  })
  return out
}

/**
 * Creatio stores a campaign's channel as a lead channel (LeadMedium lookup) and has no source
 * column; its MktgActivity approval is a yes/no flag, so "submitted" stays a draft there.
 */
const CREATIO_CHANNELS: Record<string, string> = { 'paid-search': 'Paid search', 'paid-social': 'Social media', email: 'Email', offline: 'Media advertising' }
export function forCreatio(c: CampaignCreate): CampaignCreate {
  return { ...c, source: null, channel: c.channel ? (CREATIO_CHANNELS[c.channel] ?? c.channel) : null, ...(c.approval === 'submitted' ? { approval: 'draft' as const } : {}) }
}
