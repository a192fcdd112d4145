/**
 * The install step (research bitrix24.md §8.1–8.2): bind the widget placements, then
 * `installFinish`; until then Bitrix24 hides the widgets. Safe to run again on a reinstall: a
 * placement that is already bound to our handler counts as done.
 */
import { callRest, RestCallError } from './rest.js'
import type { Bitrix24Frame } from './frame.js'

export interface PlacementSpec {
  placement: string
  /** Page of the app that Bitrix24 POSTs to for this placement. */
  handler: string
  title: { ru: string; en: string }
}

/** Full page in the left menu and in CRM → Analytics; the touch path as a lead and a deal card tab. */
export function placementsFor(appUrl: string): PlacementSpec[] {
  const page = (file: string) => new URL(file, appUrl).toString()
  return [
    { placement: 'LEFT_MENU', handler: page('index.html'), title: { ru: 'Маркетинг', en: 'Marketing' } },
    { placement: 'CRM_ANALYTICS_MENU', handler: page('index.html?tab=attribution'), title: { ru: 'Маркетинговая атрибуция', en: 'Marketing attribution' } },
    { placement: 'CRM_LEAD_DETAIL_TAB', handler: page('placement.html'), title: { ru: 'Путь клиента', en: 'Touch path' } },
    { placement: 'CRM_DEAL_DETAIL_TAB', handler: page('placement.html'), title: { ru: 'Путь клиента', en: 'Touch path' } },
  ]
}

export interface InstallResult {
  bound: string[]
  alreadyBound: string[]
}

export async function installApp(frame: Bitrix24Frame, placements: PlacementSpec[], fetchImpl: typeof fetch = fetch): Promise<InstallResult> {
  const result: InstallResult = { bound: [], alreadyBound: [] }
  const lang = frame.lang.toLowerCase().startsWith('en') ? 'en' : 'ru'
  for (const p of placements) {
    try {
      await callRest(
        frame,
        'placement.bind',
        {
          PLACEMENT: p.placement,
          HANDLER: p.handler,
          TITLE: p.title[lang],
          LANG_ALL: { ru: { TITLE: p.title.ru }, en: { TITLE: p.title.en } },
        },
        fetchImpl,
      )
      result.bound.push(p.placement)
    } catch (e) {
      // Bitrix24 answers a repeated bind with "Handler already binded": the state we want.
      if (e instanceof RestCallError && /already bind/i.test(e.message)) result.alreadyBound.push(p.placement)
      else throw e
    }
  }
  await frame.installFinish()
  return result
}
