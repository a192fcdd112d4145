/**
 * The full-page variant (dist/creatio/index.html): a page with the three tabs, served from the
 * package's Files on the Creatio site (same origin, so the session cookie flows) and shown in a
 * section through `crt.IFrame`, research creatio.md §7.3. `?tab=` picks the tab.
 */
export const CREATIO_SCRIPT = 'crmkit-creatio.js'

export function creatioFullPageHtml(): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>crmkit</title>
<style>html,body{margin:0}crmkit-marketing{display:block;min-height:640px}</style>
</head><body>
<crmkit-marketing id="crmkit-page"></crmkit-marketing>
<script src="${CREATIO_SCRIPT}"></script>
<script>
  // Inside Creatio's iframe the shell's culture is on the parent (same origin); outside, the browser's.
  (function () {
    var el = document.getElementById('crmkit-page');
    var tab = new URLSearchParams(location.search).get('tab');
    if (tab) el.setAttribute('tab', tab);
    try {
      var T = window.parent && window.parent !== window ? window.parent.Terrasoft : null;
      if (T && T.currentUserCultureName) el.setAttribute('lang', T.currentUserCultureName);
    } catch (e) { /* a cross-origin parent: keep the browser's language */ }
    if (matchMedia('(prefers-color-scheme: dark)').matches && !el.hasAttribute('theme')) el.setAttribute('theme', 'dark');
  })();
</script>
</body></html>
`
}
