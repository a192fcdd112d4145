/**
 * The app's pages, written to dist/bitrix24/ by `npm run build:widgets`. Both load one script; the
 * placement (from the frame handshake) decides what shows. `index.html` is the full page and the
 * install step; `placement.html` is the card-tab handler.
 */
export const BITRIX24_SCRIPT = 'crmkit-bitrix24.js'

export function bitrix24Html(page: 'index' | 'placement'): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>crmkit</title>
<style>html,body{margin:0;background:transparent}#crmkit-root{display:block;min-height:${page === 'index' ? '640px' : '360px'}}.crmkit-status{font:14px system-ui,sans-serif;padding:16px}</style>
</head><body>
<div id="crmkit-root" data-page="${page}"></div>
<script src="${BITRIX24_SCRIPT}"></script>
</body></html>
`
}
