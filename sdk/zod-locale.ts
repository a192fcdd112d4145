import { config } from 'zod/mini'
import { en } from 'zod/locales'

let installed = false

/**
 * zod/mini (the tree-shakable build the browser bundles use) ships without error messages, so a
 * failed parse would say only "Invalid input". Classic zod installs English on first use; every
 * schema module calls this at load so messages stay identical, unless the app chose a locale.
 */
export function useEnglishErrors(): void {
  if (installed) return
  installed = true
  if (!config().localeError) config(en())
}
