import { FORMULA_CELL } from '../../sdk/marketing/csv-formula.js'

/**
 * A table as CSV for spreadsheets: BOM so Excel reads Cyrillic, `;` for Russian Excel (decimal
 * comma), and formula escaping so a campaign called "=HYPERLINK(…)" stays text. papaparse loads
 * on the first export, not with the tab.
 */
export async function tableCsv(header: string[], rows: (string | number)[][], lang: 'ru' | 'en'): Promise<string> {
  const { default: Papa } = await import(/* webpackChunkName: "papaparse" */ 'papaparse')
  return `\uFEFF${Papa.unparse([header, ...rows], { delimiter: lang === 'ru' ? ';' : ',', escapeFormulae: FORMULA_CELL, newline: '\r\n' })}`
}

/** Saves text as a file; works from inside a shadow root. */
export function downloadText(name: string, type: string, text: string, near: Element | null): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  const root = near?.getRootNode()
  ;(root instanceof ShadowRoot ? root : document.body).appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Decimal number for a CSV cell: exact minor units rendered with the locale's separator. */
export function csvAmount(minor: number, exponent: number, lang: 'ru' | 'en'): string {
  // String arithmetic, not minor / 10 ** exponent, so large sums print exactly.
  const digits = Math.abs(minor).toString().padStart(exponent + 1, '0')
  const whole = exponent ? digits.slice(0, -exponent) : digits
  const s = `${minor < 0 ? '-' : ''}${whole}${exponent ? (lang === 'ru' ? ',' : '.') + digits.slice(-exponent) : ''}`
  return s
}
