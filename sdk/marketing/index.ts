/**
 * crmkit/marketing: the marketing maths over the common model. Pure functions, no I/O, no Node
 * built-ins (runs in the widgets). Formulas, mapping table and rounding rules: ./README.md.
 */
export { IllegalTransitionError } from './errors.js'
export * from './channels.js'
export * from './currency.js'
export * from './budgets.js'
export * from './approval.js'
export * from './calendar.js'
export * from './pressure.js'
export * from './export-ical.js'
export * from './export-csv.js'
export * from './touchpoints.js'
export * from './attribution/result.js'
export * from './attribution/rule-based.js'
export * from './attribution/markov.js'
export * from './attribution/shapley.js'
export * from './attribution/index.js'
export * from './metrics.js'
export * from './pareto.js'
export { dayKey, isoWeekKey } from './dates.js'
export * from './report.js'
export * from './spend-csv.js'
