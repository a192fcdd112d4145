import type { Messages } from '../ui/i18n.js'
import type { MessageKey } from '../ui/messages.js'

/** The campaign dialog's approval notes (a few strings, kept with the calendar chunk). */
const ru = {
  'cal.reapproval': 'Бюджет утверждён: новая сумма уйдёт на повторное согласование',
  'cal.currencyLocked': 'Валюту бюджета на согласовании изменить нельзя',
}
const en: typeof ru = {
  'cal.reapproval': 'This budget is approved: a new amount goes back for approval',
  'cal.currencyLocked': 'The currency of a budget in approval cannot change',
}

export type CalendarMessageKey = keyof typeof ru
export const calendarMessages: Messages<CalendarMessageKey> = { ru, en }
/** The common MessageKey type does not list these keys; the strings are added by useI18n. */
export const calendarKey = (k: CalendarMessageKey) => k as unknown as MessageKey
