/**
 * Creatio-like page: a Freedom UI-ish shell that loads dist/creatio/crmkit-creatio.js as a package
 * file, registers the view elements through a stand-in for `@creatio-devkit/common`
 * (`registerViewElement`), and places them from a `viewConfigDiff` the way a page schema would.
 * The browser holds the site's session cookies (.ASPXAUTH, BPMCSRF), as after logging in.
 */
import { shell } from './pages.js'

const js = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c')

export function creatioPage(o: {
  culture: string
  view: 'calendar' | 'budgets' | 'attribution' | 'card'
  recordId?: string
  entity?: 'deal' | 'lead'
  amd?: boolean
  /** The signed-in user's contact (Terrasoft.SysValue.CURRENT_USER_CONTACT); the page makes them the budget approver. */
  userContact?: string | null
}): string {
  const type = o.view === 'card' ? 'usr.CrmkitMarketingCard' : `usr.CrmkitMarketing${o.view[0]!.toUpperCase()}${o.view.slice(1)}`
  const diff = [
    {
      operation: 'insert',
      name: 'CrmkitMarketing',
      values: {
        type,
        layoutConfig: { column: 1, row: 1, colSpan: 2 },
        ...(o.view === 'card' ? { recordId: o.recordId ?? '', entity: o.entity ?? 'deal' } : {}),
        // The page designer's setting: who approves budgets (contact ids).
        ...(o.view === 'budgets' && o.userContact ? { approverIds: o.userContact } : {}),
      },
      parentName: 'Main',
      propertyName: 'items',
    },
  ]
  const link = (view: string, title: string) => `<a href="/creatio/?view=${view}"${o.view === view ? ' aria-current="page"' : ''}>${title}</a>`
  return shell(
    'Creatio (emulated) — crmkit',
    `<div class="host-top"><strong>Creatio</strong><span>Freedom UI (emulated)</span></div>
<div class="host-layout"><nav class="host-menu" aria-label="Разделы">${link('calendar', 'Маркетинговый календарь')}${link('budgets', 'Бюджеты')}${link('attribution', 'Атрибуция')}<a href="/creatio/files/index.html">Полная страница (crt.IFrame)</a></nav>
<main class="host-main" id="Main"></main></div>
<script>
  // What the Creatio shell exposes: the user's culture and contact.
  window.Terrasoft = { currentUserCultureName: ${js(o.culture)}, SysValue: { CURRENT_USER_CONTACT: { value: ${js(o.userContact ?? null)} } } };
  window.__viewElements = {};
  var devkit = { registerViewElement: function (c) { window.__viewElements[c.type] = c; } };
</script>
${
    o.amd
      ? `<script>
  // Creatio loads package files through RequireJS: the factory runs after the script, as here.
  window.__amd = [];
  window.define = function (deps, factory) { window.__amd.push(typeof deps === 'function' ? deps : factory); };
  window.define.amd = {};
</script>
<script src="/creatio/files/crmkit-creatio.js"></script>
<script>var crmkitCreatio = window.__amd[0]();</script>`
      : '<script src="/creatio/files/crmkit-creatio.js"></script>'
  }
<script>
  crmkitCreatio.registerViewElements(devkit, { base: '/creatio/files/' });
  ${js(diff)}.forEach(function (op) {
    var def = window.__viewElements[op.values.type];
    if (!def) throw new Error('Unknown view element ' + op.values.type);
    var el = document.createElement(def.selector);
    // Inputs are set as properties, as Freedom UI binds them.
    Object.keys(def.inputs || {}).forEach(function (k) { if (op.values[k] !== undefined) el[k] = op.values[k]; });
    document.getElementById(op.parentName).appendChild(el);
  });
</script>`,
  )
}
