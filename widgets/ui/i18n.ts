import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { en, ru, type MessageKey } from './messages.js'

export type Lang = 'ru' | 'en'
/** One feature's strings in both languages; the key sets must match. */
export interface Messages<K extends string = string> {
  ru: Record<K, string>
  en: Record<K, string>
}

// The common strings, then each tab's as its chunk first renders (useI18n(tabMessages)): a host's
// first load carries only what the calendar shows.
const dictionaries: Record<Lang, Record<string, string>> = { ru: { ...ru }, en: { ...en } }
const added = new WeakSet<Messages>()

export function addMessages(messages: Messages): void {
  if (added.has(messages)) return
  added.add(messages)
  Object.assign(dictionaries.ru, messages.ru)
  Object.assign(dictionaries.en, messages.en)
}

/**
 * The host's language wins (amoCRM `self.langs`, Bitrix24 `LANG`, Creatio culture), then the
 * browser's; Russian when neither is known. Ukrainian and Belarusian readers get Russian, which
 * they read, rather than English.
 */
export function pickLanguage(...candidates: (string | null | undefined)[]): Lang {
  for (const c of candidates) {
    const code = c?.toLowerCase().slice(0, 2)
    if (code === 'en') return 'en'
    if (code === 'ru' || code === 'uk' || code === 'be' || code === 'kk') return 'ru'
  }
  return 'ru'
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

export function translator(lang: Lang): Translate {
  const dict = dictionaries[lang]
  return (key, params) => {
    // A key whose feature strings were never added shows as itself rather than "undefined".
    const text = dict[key] ?? key
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text
  }
}

export interface I18n {
  lang: Lang
  t: Translate
  /** Locale for Intl formatting of dates and money. */
  locale: string
}

export function createI18n(lang: Lang): I18n {
  return { lang, t: translator(lang), locale: lang === 'ru' ? 'ru-RU' : 'en-GB' }
}

export const I18nContext = createContext<I18n>(createI18n('ru'))
/** The widget's language and strings; a tab passes its own strings, added once on first use. */
export function useI18n(messages?: Messages): I18n {
  if (messages) addMessages(messages)
  return useContext(I18nContext)
}
