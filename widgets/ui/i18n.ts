import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { en, ru, type MessageKey } from './messages.js'

export type Lang = 'ru' | 'en'
const dictionaries: Record<Lang, Record<MessageKey, string>> = { ru, en }

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
    const text = dict[key]
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
export const useI18n = (): I18n => useContext(I18nContext)
