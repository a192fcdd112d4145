import type { ParetoView } from '../../../sdk/marketing/pareto.js'
import { ChartFrame } from './ChartFrame.js'

interface Props {
  title: string
  description: string
  /** From sdk/marketing/pareto.ts: rows ordered best return first, with cumulative shares. */
  view: ParetoView
  label(key: string): string
  /** The revenue share the reference line marks (default 0.8). */
  target?: number
  columns: { spendShare: string; revenueShare: string }
  formatShare(share: number): string
}

const W = 480
const H = 300
const PAD = { left: 48, right: 20, top: 12, bottom: 40 }

/**
 * Pareto curve: cumulative share of revenue against cumulative share of spend, groups taken best
 * return first. The dashed diagonal is "revenue in proportion to spend"; the horizontal line marks
 * 80 % of revenue and the vertical one how much of the spend it took.
 */
export function ParetoChart({ title, description, view, label, target = 0.8, columns, formatShare }: Props) {
  const pw = W - PAD.left - PAD.right
  const ph = H - PAD.top - PAD.bottom
  const x = (s: number) => PAD.left + s * pw
  const y = (s: number) => PAD.top + ph - s * ph
  const points = [{ key: '', s: 0, r: 0 }, ...view.rows.map((r) => ({ key: r.key, s: r.cumulativeSpendShare ?? 0, r: r.cumulativeRevenueShare ?? 0 }))]
  const data = {
    columns: ['', columns.spendShare, columns.revenueShare],
    rows: view.rows.map((r) => [label(r.key), formatShare(r.cumulativeSpendShare ?? 0), formatShare(r.cumulativeRevenueShare ?? 0)]),
  }
  const at = view.spendShareForRevenueShare
  return (
    <ChartFrame title={title} description={description} data={data} width={W} height={H}>
      {[0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => (
        <g key={t} class="ck-chart__grid">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
          <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
            {formatShare(t)}
          </text>
          <text x={x(t)} y={H - PAD.bottom + 16} text-anchor="middle">
            {formatShare(t)}
          </text>
        </g>
      ))}
      <text class="ck-chart__label" x={PAD.left + pw / 2} y={H - 4} text-anchor="middle">
        {columns.spendShare}
      </text>
      <line class="ck-chart__diagonal" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
      <line class="ck-chart__target" data-share={target} x1={x(0)} x2={x(1)} y1={y(target)} y2={y(target)} />
      <text class="ck-chart__target-label" x={x(0) + 4} y={y(target) - 4}>
        {formatShare(target)}
      </text>
      {at !== null && <line class="ck-chart__target" x1={x(at)} x2={x(at)} y1={y(0)} y2={y(target)} />}
      <polyline class="ck-chart__line" points={points.map((p) => `${x(p.s)},${y(p.r)}`).join(' ')} />
      {points.slice(1).map((p) => (
        <circle key={p.key} class="ck-series-2" data-spend-share={p.s} data-revenue-share={p.r} cx={x(p.s)} cy={y(p.r)} r={4}>
          <title>{`${label(p.key)}: ${formatShare(p.s)} → ${formatShare(p.r)}`}</title>
        </circle>
      ))}
    </ChartFrame>
  )
}
