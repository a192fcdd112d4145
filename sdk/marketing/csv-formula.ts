// Its own module so widgets can escape cells without bundling papaparse (which export-csv.ts imports)
// into their first load.

/**
 * Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading `'`; a plain
 * signed number such as `-2500,50` is data, not a formula, and stays as it is.
 */
export const FORMULA_CELL = /^(?![-+]?\d+(?:[.,]\d+)?$)[=+\-@\t\r]/
