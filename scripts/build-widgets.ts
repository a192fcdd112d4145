/**
 * `npm run build:widgets`: bundles the widget hosts with webpack and packages them the way each
 * CRM installs extensions. Prints gzip sizes (budget: everything a host loads for the calendar).
 *   dist/amocrm/widget.zip      upload in amoCRM: Integrations → your integration → widget archive
 *   dist/standalone/crmkit-widgets.js   ESM: mount(element, { crm }) / <crmkit-calendar>
 *   dist/bitrix24/              the Bitrix24 app: index.html (full page + install), placement.html (card tabs)
 *   dist/creatio/               crmkit-creatio.js (custom elements, UMD) + index.html (full page)
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { zipSync } from 'fflate'
import webpack, { type Configuration } from 'webpack'
import { widgetConfigs } from '../webpack.config.js'
import { AMO_LOGOS, amoI18n, amoManifest } from '../widgets/hosts/amocrm/manifest.js'
import { bitrix24Html } from '../widgets/hosts/bitrix24/html.js'
import { creatioFullPageHtml } from '../widgets/hosts/creatio/html.js'
import { encodePng, logoPixel } from './lib/png.js'

const root = resolve(import.meta.dirname, '..')

function compile(configs: Configuration[]): Promise<void> {
  return new Promise((resolve, reject) =>
    webpack(configs, (err, stats) => {
      if (err) return reject(err)
      if (stats?.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })))
      resolve()
    }),
  )
}

async function packAmocrm(): Promise<Uint8Array> {
  const dir = join(root, 'dist/amocrm/widget')
  const files: Record<string, Uint8Array> = {
    'manifest.json': Buffer.from(JSON.stringify(amoManifest(), null, 2)),
    'script.js': await readFile(join(dir, 'script.js')),
    // Everything visual lives in the shadow root; this only sizes the mount point in amoCRM's page.
    'style.css': Buffer.from('.crmkit-widget{display:block;width:100%;min-height:480px}\n'),
  }
  // The lazy chunks (tabs, exporters) next to script.js; amoCRM serves them from self.params.path.
  for (const name of await readdir(dir)) if (name.endsWith('.js') && name !== 'script.js') files[name] = await readFile(join(dir, name))
  for (const [lang, messages] of Object.entries(amoI18n)) files[`i18n/${lang}.json`] = Buffer.from(JSON.stringify(messages, null, 2))
  for (const [name, [w, h]] of Object.entries(AMO_LOGOS)) files[`images/${name}`] = encodePng(w, h, logoPixel(w, h))
  for (const [name, data] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true })
    await writeFile(join(dir, name), data)
  }
  // amoCRM wants manifest.json at the archive root, and the archive named widget.zip.
  const zip = zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') })
  await writeFile(join(root, 'dist/amocrm/widget.zip'), zip)
  return zip
}

/** The HTML pages next to the Bitrix24 and Creatio bundles (webpack cleans those folders first). */
async function writePages(): Promise<void> {
  await writeFile(join(root, 'dist/bitrix24/index.html'), bitrix24Html('index'))
  await writeFile(join(root, 'dist/bitrix24/placement.html'), bitrix24Html('placement'))
  await writeFile(join(root, 'dist/creatio/index.html'), creatioFullPageHtml())
}

export async function buildWidgets(): Promise<{ file: string; bytes: number; gzip: number }[]> {
  await compile(widgetConfigs as Configuration[])
  await packAmocrm()
  await writePages()
  const report = []
  for (const file of ['dist/amocrm/widget/script.js', 'dist/standalone/crmkit-widgets.js', 'dist/bitrix24/crmkit-bitrix24.js', 'dist/creatio/crmkit-creatio.js']) {
    const data = await readFile(join(root, file))
    report.push({ file, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length })
  }
  return report
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await buildWidgets()
  console.table(report.map((r) => ({ file: r.file, KB: (r.bytes / 1024).toFixed(1), 'gzip KB': (r.gzip / 1024).toFixed(1) })))
  console.log(`amoCRM package: dist/amocrm/widget.zip (${(await readdir(join(root, 'dist/amocrm/widget'))).length} entries at the root)`)
}
