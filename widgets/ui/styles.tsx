/**
 * Widget CSS common to every tab (the budgets and attribution tabs bring their own rules with their
 * chunks, see TabStyle), injected into each widget's shadow root: host pages (amoCRM, Bitrix24, Creatio all
 * ship global CSS) cannot restyle us and we cannot leak into them. Colours are variables so the
 * host's dark theme can be followed with one attribute.
 */
export const widgetCss = `
:host { all: initial; display: block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --ck-bg: #fff; --ck-fg: #1f2329; --ck-muted: #6b7280; --ck-line: #e5e7eb; --ck-accent: #2563eb; --ck-accent-fg: #fff;
  --ck-bar: #dbeafe; --ck-bar-fg: #1e3a8a; --ck-danger: #b91c1c; --ck-today: #fef3c7; color: var(--ck-fg); background: var(--ck-bg); }
:host([theme="dark"]) { --ck-bg: #111827; --ck-fg: #f3f4f6; --ck-muted: #9ca3af; --ck-line: #374151; --ck-accent: #60a5fa;
  --ck-accent-fg: #111827; --ck-bar: #1e3a8a; --ck-bar-fg: #dbeafe; --ck-danger: #f87171; --ck-today: #3f3a1a; }
:host { --ck-series-1: #2563eb; --ck-series-2: #d97706; --ck-series-3: #059669; --ck-series-4: #7c3aed; }
:host([theme="dark"]) { --ck-series-1: #60a5fa; --ck-series-2: #fbbf24; --ck-series-3: #34d399; --ck-series-4: #c4b5fd; }
* { box-sizing: border-box; }
button { font: inherit; color: inherit; background: transparent; border: 1px solid var(--ck-line); border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button:focus-visible, input:focus-visible { outline: 2px solid var(--ck-accent); outline-offset: 1px; }
.ck-primary { background: var(--ck-accent); color: var(--ck-accent-fg); border-color: var(--ck-accent); }
.ck-calendar, .ck-attribution, .ck-budgets { padding: 12px; min-width: 280px; }
.ck-field select { font: inherit; color: var(--ck-fg); background: var(--ck-bg); border: 1px solid var(--ck-line); border-radius: 6px; padding: 6px 8px; }
.ck-table-wrap { overflow-x: auto; max-width: 100%; }
.ck-table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
.ck-table th, .ck-table td { border-bottom: 1px solid var(--ck-line); padding: 4px 8px; text-align: right; white-space: nowrap; }
.ck-table th[scope="row"], .ck-table thead th:first-child { text-align: left; }
.ck-table tfoot { font-weight: 600; }
.ck-segmented { display: flex; }
.ck-segmented button { border-radius: 0; margin-left: -1px; }
.ck-segmented button:first-child { border-radius: 6px 0 0 6px; }
.ck-segmented button:last-child { border-radius: 0 6px 6px 0; }
.ck-tabbar { margin-bottom: 12px; }
.ck-segmented button[aria-selected="true"] { background: var(--ck-bar); color: var(--ck-bar-fg); }
.ck-segmented button[aria-pressed="true"] { background: var(--ck-bar); color: var(--ck-bar-fg); }
.ck-filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; font-size: 13px; }
.ck-toolbar select, .ck-filters select, .ck-filters input { font: inherit; color: var(--ck-fg); background: var(--ck-bg); border: 1px solid var(--ck-line); border-radius: 6px; padding: 3px 6px; }
.ck-spacer { flex: 1; }
.ck-row-wrap--labelled { display: grid; grid-template-columns: 140px 1fr; }
.ck-row-label { padding: 4px; font-size: 12px; color: var(--ck-muted); border-top: 1px solid var(--ck-line); overflow: hidden; text-overflow: ellipsis; }
.ck-grid--timeline .ck-day { font-size: 11px; padding: 1px 2px; }
.ck-grid--week .ck-week { min-height: 240px; }
.ck-bar--over { box-shadow: inset 0 -2px 0 var(--ck-danger); }
.ck-danger { color: var(--ck-danger); border-color: var(--ck-danger); }
.ck-warnings { margin-top: 12px; border-left: 3px solid #d97706; padding: 4px 10px; }
.ck-warnings h2 { font-size: 14px; margin: 0 0 4px; }
.ck-warnings ul { margin: 0; padding-left: 18px; }
.ck-toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.ck-toolbar__title { font-size: 18px; margin: 0 auto 0 0; }
.ck-toolbar__nav { display: flex; gap: 4px; }
.ck-weekdays, .ck-week { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); }
.ck-grid--timeline .ck-weekdays { display: none; }
.ck-weekdays span { color: var(--ck-muted); font-size: 12px; padding: 2px 4px; }
.ck-week { border-top: 1px solid var(--ck-line); grid-auto-rows: minmax(22px, auto); min-height: 84px; }
.ck-day { grid-row: 1; border: 0; border-radius: 0; text-align: left; padding: 2px 4px; color: var(--ck-fg); }
.ck-day--other { color: var(--ck-muted); }
.ck-day--today { background: var(--ck-today); font-weight: 600; }
.ck-bar { margin: 1px 2px; padding: 1px 6px; border: 0; background: var(--ck-bar); color: var(--ck-bar-fg); font-size: 12px;
  text-align: left; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; touch-action: none; }
.ck-bar--cont-before { border-top-left-radius: 0; border-bottom-left-radius: 0; margin-left: 0; }
.ck-bar--cont-after { border-top-right-radius: 0; border-bottom-right-radius: 0; margin-right: 0; }
.ck-bar__budget { opacity: .75; }
.ck-status { color: var(--ck-muted); }
.ck-alert { color: var(--ck-danger); }
.ck-backdrop { position: fixed; inset: 0; background: rgb(0 0 0 / .35); display: grid; place-items: center; z-index: 2147483000; }
.ck-dialog { background: var(--ck-bg); color: var(--ck-fg); border-radius: 10px; padding: 16px; width: min(520px, 96vw); max-height: 92vh; overflow: auto; }
.ck-dialog__head { display: flex; justify-content: space-between; align-items: center; }
.ck-dialog__head h2 { font-size: 16px; margin: 0; }
.ck-icon-button { border: 0; font-size: 20px; line-height: 1; }
.ck-form { display: grid; gap: 10px; margin-top: 12px; }
.ck-row { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.ck-field { display: grid; gap: 4px; }
.ck-field label { font-size: 12px; color: var(--ck-muted); }
.ck-field input { font: inherit; color: var(--ck-fg); background: var(--ck-bg); border: 1px solid var(--ck-line); border-radius: 6px; padding: 6px 8px; }
.ck-field--error input { border-color: var(--ck-danger); }
.ck-field__error { color: var(--ck-danger); font-size: 12px; margin: 0; }
.ck-dialog__actions { display: flex; justify-content: flex-end; gap: 8px; }
.ck-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.ck-table tbody tr.ck-drill { cursor: pointer; }
.ck-table tbody tr.ck-drill:hover, .ck-table tbody tr.ck-drill:focus-within { background: var(--ck-bar); color: var(--ck-bar-fg); }
.ck-link-button { border: 0; padding: 0; text-decoration: underline; text-align: left; }
@media (max-width: 480px) { .ck-row { grid-template-columns: 1fr; } .ck-week { min-height: 64px; } }
`

/**
 * A tab's own rules, rendered as a <style> inside the widget's shadow root when the tab mounts: they
 * arrive with the tab's chunk instead of in every host's first load, and stay scoped like the rest.
 */
export function TabStyle({ css }: { css: string }) {
  return <style>{css}</style>
}
