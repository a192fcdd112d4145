import { ChartFrame } from './ChartFrame.js'

export interface FunnelStep {
  label: string
  value: number
}

interface Props {
  title: string
  description: string
  steps: readonly FunnelStep[]
  /** Header of the step-conversion column in the data table. */
  conversionLabel: string
  formatValue(value: number): string
  formatShare(share: number | null): string
}

const W = 480
const ROW = 40
const LABEL = 84
const VALUE = 116

/** Lead → deal → won as centred bars narrowing with each step, labelled with the step conversion. */
export function FunnelChart({ title, description, steps, conversionLabel, formatValue, formatShare }: Props) {
  const max = Math.max(0, ...steps.map((s) => s.value))
  const H = steps.length * ROW + 8
  const share = (i: number) => (i === 0 ? null : steps[i - 1]!.value > 0 ? steps[i]!.value / steps[i - 1]!.value : null)
  const data = {
    columns: ['', title, conversionLabel],
    rows: steps.map((s, i) => [s.label, formatValue(s.value), i === 0 ? '—' : formatShare(share(i))]),
  }
  const plot = W - LABEL - VALUE
  return (
    <ChartFrame title={title} description={description} data={data} width={W} height={H}>
      {steps.map((s, i) => {
        const w = max > 0 ? Math.max(2, (s.value / max) * plot) : 2
        const y = 4 + i * ROW
        return (
          <g key={i}>
            <text class="ck-chart__label" x={0} y={y + 20}>
              {s.label}
            </text>
            <rect class="ck-series-1" data-value={s.value} x={LABEL + (plot - w) / 2} y={y} width={w} height={ROW - 10} rx={3}>
              <title>{`${s.label}: ${formatValue(s.value)}`}</title>
            </rect>
            <text x={LABEL + plot + 8} y={y + 20}>
              {formatValue(s.value)}
              {i > 0 ? ` (${formatShare(share(i))})` : ''}
            </text>
          </g>
        )
      })}
    </ChartFrame>
  )
}
