// Stands in for axios's fetch adapter in the widget bundles (webpack.config.js alias). In a
// browser axios picks its XMLHttpRequest adapter first and crmkit never asks for 'fetch', so the
// fetch adapter (~2.5 KB gzip) was dead weight. Reporting "unavailable" keeps axios's own
// fallback logic intact should anything ever request it.
export const getFetch = () => false
export default false
