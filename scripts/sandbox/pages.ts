/**
 * Host pages of the sandbox: each imitates how one CRM loads our package, so the real built
 * bundle runs the way it will in the CRM. No page embeds a token: API calls ride the session cookie.
 */
export const shell = (title: string, body: string) => `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; background: #eef1f5; color: #1f2329; }
  .host-top { background: #1c2d42; color: #fff; padding: 10px 16px; display: flex; gap: 16px; align-items: center; }
  .host-layout { display: grid; grid-template-columns: 200px 1fr; min-height: calc(100vh - 40px); }
  .host-menu { background: #243b55; color: #cfd8e3; padding: 12px; }
  .host-menu a { color: inherit; display: block; padding: 6px 0; }
  .host-main { padding: 16px; min-width: 0; }
  /* Hostile global CSS, as real CRM pages have: the widget must not be affected. */
  button { background: hotpink !important; font-family: serif; }
  * { letter-spacing: .02em; }
</style></head><body>${body}</body></html>`

export function indexPage(hosts: { path: string; name: string }[]): string {
  return shell(
    'crmkit sandbox',
    `<div class="host-top"><strong>crmkit sandbox</strong></div><main class="host-main"><h1>crmkit sandbox</h1><ul>${hosts
      .map((h) => `<li><a href="${h.path}">${h.name}</a></li>`)
      .join('')}</ul></main>`,
  )
}

/**
 * amoCRM-like page: a RequireJS-style `define` collects the AMD module from the widget's script.js,
 * the page instantiates it with `this` = a widget object, and drives the callbacks the way amoCRM
 * does for a left-menu page (render → init → bind_actions → initMenuPage).
 */
export function amocrmPage(widgetCode: string, lang: string, tab: 'calendar' | 'budgets' | 'attribution' = 'calendar', userId = 0, cardId: number | null = null): string {
  return shell(
    'amoCRM (emulated) — crmkit',
    `<div class="host-top"><strong>amoCRM</strong><span>demo.amocrm.ru (emulated)</span></div>
<div class="host-layout"><nav class="host-menu"><a href="#">Сделки</a><a href="#">Аналитика</a><strong>Маркетинг</strong><a href="/amocrm/?tab=calendar"${tab === 'calendar' ? ' aria-current="page"' : ''}>— Календарь</a><a href="/amocrm/?tab=budgets"${tab === 'budgets' ? ' aria-current="page"' : ''}>— Бюджеты</a><a href="/amocrm/?tab=attribution"${tab === 'attribution' ? ' aria-current="page"' : ''}>— Атрибуция</a><a href="/amocrm/?card=first">Карточка сделки</a></nav>
<main class="host-main" id="work-area-${widgetCode}"></main></div>
<script>
  window.__amd = [];
  window.define = function (deps, factory) { window.__amd.push(typeof deps === 'function' ? deps : factory); };
  window.define.amd = {};
  window.AMOCRM = { lang_id: ${JSON.stringify(lang)}, constant: function (n) { return n === 'user' ? { id: ${userId} } : undefined; }, data: { current_card: ${cardId === null ? 'null' : `{ id: ${cardId} }`} } };
</script>
<script src="/amocrm/widget/script.js"></script>
<script>
  // In a function, as amoCRM runs widget code: a global \`var self\` would replace window.self,
  // through which webpack's lazy chunks (the tabs) register themselves.
  (function () {
  var Widget = window.__amd[0]();
  var self = {
    // The sandbox's signed-in user is also the configured approver, so every action can be tried.
    get_settings: function () { return { widget_code: ${JSON.stringify(widgetCode)}, approvers: [${JSON.stringify(String(userId))}] }; },
    system: function () { return { area: ${JSON.stringify(cardId === null ? 'widget_page' : 'lcard')}, subdomain: 'demo' }; },
    // amoCRM renders the template into the card's widget panel (here: the work area).
    render_template: function (o) { var panel = document.createElement('div'); panel.className = 'card-widgets__widget'; panel.innerHTML = o.render; document.getElementById('work-area-${widgetCode}').appendChild(panel); },
    params: { path: '/amocrm/widget', widget_code: ${JSON.stringify(widgetCode)} },
  };
  Widget.call(self);
  if (self.callbacks.render() && self.callbacks.init() && self.callbacks.bind_actions() && ${cardId === null}) {
    self.callbacks.initMenuPage({ location: 'widget_page', item_code: 'crmkit_marketing', subitem_code: ${JSON.stringify(tab)} });
  }
  window.__crmkitWidget = self;
  })();
</script>`,
  )
}
