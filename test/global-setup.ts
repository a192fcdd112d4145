// Builds the widget packages once per test run, before any test file: the package test, the
// browser tests and `npm start` all read dist/, and parallel builds would overwrite each other.
// CRMKIT_SKIP_WIDGET_BUILD=1 reuses the dist/ already there: for a quick run of tests that do not
// read it, or a second run beside one that is building.
import { buildWidgets } from '../scripts/build-widgets.js'

export default async function setup(): Promise<void> {
  if (process.env.CRMKIT_SKIP_WIDGET_BUILD === '1') return
  await buildWidgets()
}
