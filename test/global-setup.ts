// Builds the widget packages once per test run, before any test file: the package test, the
// browser tests and `npm start` all read dist/, and parallel builds would overwrite each other.
import { buildWidgets } from '../scripts/build-widgets.js'

export default async function setup(): Promise<void> {
  await buildWidgets()
}
