import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'

export interface ChartData {
  /** Column headers of the data table behind the chart; the first column names the rows. */
  columns: string[]
  rows: string[][]
}

interface Props {
  title: string
  /** One or two sentences saying what the chart shows (read by screen readers instead of the picture). */
  description: string
  data: ChartData
  /** The SVG's viewBox size; the picture scales to the available width. */
  width: number
  height: number
  children: ComponentChildren
}

/**
 * A chart as a figure: caption, an SVG exposed as one image with its description, and the same
 * numbers as a visually hidden table, so screen-reader users get the data rather than a picture.
 * All text is rendered as text nodes (Preact escapes it), never as markup.
 */
export function ChartFrame({ title, description, data, width, height, children }: Props) {
  const id = useId()
  return (
    <figure class="ck-chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} class="ck-chart__title">
        {title}
      </figcaption>
      <svg class="ck-chart__svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} preserveAspectRatio="xMidYMid meet">
        {children}
      </svg>
      <p id={`${id}-d`} class="ck-sr-only">
        {description}
      </p>
      <table class="ck-sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            {data.columns.map((c, i) => (
              <th scope="col" key={i}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) =>
                j === 0 ? (
                  <th scope="row" key={j}>
                    {v}
                  </th>
                ) : (
                  <td key={j}>{v}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

/** A round upper bound for an axis (1, 2, 2.5 or 5 × 10ⁿ), so ticks land on readable values. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(value))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= value) return m * p
  return 10 * p
}

/** Long CRM names are cut for the picture (the hidden table and the tooltip keep them whole). */
export const shorten = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)
