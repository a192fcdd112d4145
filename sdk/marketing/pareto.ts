export interface ParetoInputRow {
  key: string
  spend: number
  revenue: number
}

export interface ParetoRow extends ParetoInputRow {
  /** Cumulative shares after this row, rows ordered by revenue per unit of spend (best first). */
  cumulativeSpendShare: number | null
  cumulativeRevenueShare: number | null
}

export interface ParetoView {
  rows: ParetoRow[]
  /** The fewest best-ROAS keys that together bring `revenueShare` of revenue… */
  keysForRevenueShare: string[]
  /** …and the share of spend they take ("20% of spend brings 80% of revenue"). */
  spendShareForRevenueShare: number | null
  /** Revenue share brought by the best keys within the first `spendShare` of spend (pro rata inside the boundary key). */
  revenueShareOfTopSpend: number | null
}

/**
 * Pareto view of spend vs revenue: keys sorted by ROAS (revenue / spend; revenue without spend
 * first, ties by revenue then key), then cumulated. Answers both directions of the 80/20 question.
 */
export function paretoView(rows: readonly ParetoInputRow[], options: { revenueShare?: number; spendShare?: number } = {}): ParetoView {
  const target = options.revenueShare ?? 0.8
  const spendTarget = options.spendShare ?? 0.2
  const roas = (r: ParetoInputRow) => (r.spend === 0 ? (r.revenue > 0 ? Infinity : 0) : r.revenue / r.spend)
  const sorted = [...rows].sort((a, b) => roas(b) - roas(a) || b.revenue - a.revenue || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const totalSpend = sorted.reduce((a, r) => a + r.spend, 0)
  const totalRevenue = sorted.reduce((a, r) => a + r.revenue, 0)
  let cs = 0
  let cr = 0
  const out: ParetoRow[] = []
  const keys: string[] = []
  let spendShareFor: number | null = null
  let topRevenue: number | null = totalSpend > 0 && totalRevenue > 0 ? 0 : null
  for (const r of sorted) {
    const before = cs
    cs += r.spend
    cr += r.revenue
    const spendShare = totalSpend > 0 ? cs / totalSpend : null
    const revenueShare = totalRevenue > 0 ? cr / totalRevenue : null
    out.push({ ...r, cumulativeSpendShare: spendShare, cumulativeRevenueShare: revenueShare })
    if (spendShareFor === null && totalRevenue > 0) {
      keys.push(r.key)
      // 1e-12 absorbs float noise when shares land exactly on the target.
      if (revenueShare! >= target - 1e-12) spendShareFor = totalSpend > 0 ? cs / totalSpend : 0
    }
    if (topRevenue !== null) {
      const limit = spendTarget * totalSpend
      if (cs <= limit) topRevenue += r.revenue / totalRevenue
      else if (before < limit && r.spend > 0) topRevenue += ((limit - before) / r.spend) * (r.revenue / totalRevenue)
    }
  }
  return { rows: out, keysForRevenueShare: totalRevenue > 0 ? keys : [], spendShareForRevenueShare: spendShareFor, revenueShareOfTopSpend: topRevenue }
}
