/** The attribution tab's and touch-path card's rules (charts, progress, drill-down, card). */
export const attributionCss = `
.ck-th { border: 0; padding: 0; font-weight: 600; }
.ck-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 380px), 1fr)); gap: 16px; margin: 12px 0; max-width: 1100px; }
.ck-chart { margin: 0; min-width: 0; }
.ck-chart__title { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.ck-chart__svg { width: 100%; height: auto; font-size: 12px; }
.ck-chart__svg text { fill: var(--ck-fg); }
.ck-chart__grid line { stroke: var(--ck-line); }
.ck-chart__grid text { fill: var(--ck-muted); }
.ck-series-1 { fill: var(--ck-series-1); } .ck-series-2 { fill: var(--ck-series-2); } .ck-series-3 { fill: var(--ck-series-3); } .ck-series-4 { fill: var(--ck-series-4); }
.ck-chart__line { fill: none; stroke: var(--ck-series-2); stroke-width: 2; }
.ck-chart__diagonal { stroke: var(--ck-muted); stroke-dasharray: 4 4; }
.ck-chart__target { stroke: var(--ck-danger); stroke-dasharray: 6 3; }
.ck-progress { height: 6px; border-radius: 3px; background: var(--ck-line); overflow: hidden; max-width: 420px; }
.ck-progress__bar { display: block; height: 100%; width: 0; background: var(--ck-accent); transition: width .2s; }
.ck-progress--indeterminate .ck-progress__bar { width: 30%; animation: ck-indeterminate 1.2s ease-in-out infinite; }
@keyframes ck-indeterminate { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
@media (prefers-reduced-motion: reduce) { .ck-progress--indeterminate .ck-progress__bar { animation: none; width: 100%; opacity: .4; } }
.ck-drilldown { margin-top: 12px; border: 1px solid var(--ck-line); border-radius: 8px; padding: 8px 12px; }
.ck-drilldown h2 { font-size: 15px; margin: 0 0 6px; display: flex; gap: 8px; align-items: center; }
.ck-drilldown h3 { font-size: 13px; margin: 8px 0 4px; }
.ck-drilldown ul, .ck-touches { margin: 0; padding-left: 18px; }
.ck-drilldown li { margin: 2px 0; }
.ck-card { padding: 8px; min-width: 0; font-size: 13px; overflow-wrap: anywhere; }
.ck-card h1 { font-size: 15px; margin: 0 0 6px; }
.ck-card select { display: block; width: 100%; font: inherit; color: var(--ck-fg); background: var(--ck-bg); border: 1px solid var(--ck-line); border-radius: 6px; padding: 3px 6px; max-width: 100%; }
.ck-touches li { margin: 6px 0; padding: 4px 6px; border-left: 3px solid var(--ck-line); list-style: decimal; }
.ck-touches li.ck-touch--this { border-left-color: var(--ck-accent); }
.ck-touch__credit { font-weight: 600; font-variant-numeric: tabular-nums; }
.ck-touch__meta { color: var(--ck-muted); overflow-wrap: anywhere; }
`
