/** The budgets tab's own rules. */
export const budgetsCss = `
.ck-budgets h2 { font-size: 15px; margin: 16px 0 6px; }
.ck-row--over td { color: var(--ck-danger); }
.ck-actions { display: flex; gap: 4px; justify-content: flex-end; flex-wrap: wrap; }
.ck-spend-form { max-width: 520px; }
`
