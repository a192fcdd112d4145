import { ChartFrame, niceMax, shorten } from './ChartFrame.js'

export interface BarSeries {
  name: string
  values: readonly number[]
}

interface Props {
  title: string
  description: string
  categories: readonly string[]
  /** At most four series; colours come from the theme (--ck-series-1…4). */
  series: readonly BarSeries[]
  /** Full value for the data table and tooltips. */
  format(value: number): string
  /** Short value for the axis. */
  formatAxis(value: number): string
}

// viewBox units ≈ CSS px at the usual chart width (one of two columns), so 12px text stays legible.
const W = 480
const H = 300
const PAD = { left: 84, right: 8, top: 30, bottom: 84 }

/** Grouped bars: one group per category, one bar per series (spend vs revenue by channel). */
export function BarChart({ title, description, categories, series, format, formatAxis }: Props) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)))
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const group = plotW / Math.max(1, categories.length)
  const bar = (group * 0.8) / Math.max(1, series.length)
  const y = (v: number) => PAD.top + plotH - (Math.max(0, v) / max) * plotH
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max)
  const data = {
    columns: ['', ...series.map((s) => s.name)],
    rows: categories.map((c, i) => [c, ...series.map((s) => format(s.values[i] ?? 0))]),
  }
  return (
    <ChartFrame title={title} description={description} data={data} width={W} height={H}>
      {ticks.map((t) => (
        <g key={t} class="ck-chart__grid">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
          <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
            {formatAxis(t)}
          </text>
        </g>
      ))}
      {categories.map((c, i) => (
        <g key={i}>
          {series.map((s, j) => {
            const v = s.values[i] ?? 0
            return (
              <rect
                key={j}
                class={`ck-series-${j + 1}`}
                data-series={j}
                data-value={v}
                x={PAD.left + i * group + group * 0.1 + j * bar}
                y={y(v)}
                width={Math.max(1, bar - 2)}
                height={PAD.top + plotH - y(v)}
              >
                <title>{`${c} — ${s.name}: ${format(v)}`}</title>
              </rect>
            )
          })}
          {/* Labels slant so long channel names fit under narrow groups. */}
          <text
            class="ck-chart__label"
            transform={`translate(${PAD.left + i * group + group / 2}, ${H - PAD.bottom + 12}) rotate(-35)`}
            text-anchor="end"
          >
            {shorten(c, 14)}
          </text>
        </g>
      ))}
      <g class="ck-chart__legend">
        {series.map((s, j) => (
          <g key={j} transform={`translate(${PAD.left + j * 140}, 4)`}>
            <rect class={`ck-series-${j + 1}`} width={12} height={12} />
            <text x={18} y={11}>
              {s.name}
            </text>
          </g>
        ))}
      </g>
    </ChartFrame>
  )
}
