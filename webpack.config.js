// Browser bundles.
// - `library`: the SDK and the amoCRM adapter from the tsc output in dist/ (`npm run build` first),
//   proving they bundle for the web with no Node built-ins (webpack 5 fails on `node:` imports).
// - `widgets`: the widget hosts from source (ts-loader), packaged by `npm run build:widgets`.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import webpack from 'webpack'

const root = import.meta.dirname ?? path.dirname(fileURLToPath(import.meta.url))

const library = {
  name: 'library',
  mode: 'production',
  target: 'web',
  entry: {
    crmkit: './dist/sdk/index.js',
    'crmkit-amocrm': './dist/adapters/amocrm/index.js',
  },
  output: { path: path.join(root, 'dist/browser'), filename: '[name].js', library: { type: 'module' }, clean: true },
  experiments: { outputModule: true },
  resolve: { conditionNames: ['browser', 'import', 'default'] },
  performance: { hints: false },
  devtool: 'source-map',
}

const fromSource = {
  context: root,
  mode: 'production',
  target: 'web',
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        loader: 'ts-loader',
        options: { transpileOnly: true, compilerOptions: { module: 'esnext', moduleResolution: 'bundler', sourceMap: true } },
      },
    ],
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js'],
    // Sources import `./x.js` (NodeNext style); webpack finds the .ts/.tsx behind it.
    extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    conditionNames: ['browser', 'import', 'default'],
  },
  plugins: [
    // The SDK's platform module (sdk/platform/index.ts: axios + bottleneck) becomes the browser one
    // (fetch + a small scheduler), as package.json's `browser` field does for the built files.
    new webpack.NormalModuleReplacementPlugin(/^\.\/platform\/index\.js$/, (resource) => {
      if (/[\\/]sdk$/.test(resource.context)) resource.request = './platform/browser.js'
    }),
  ],
  performance: { hints: false },
  devtool: 'source-map',
  optimization: {
    // Code shared by lazy tabs (channel rules, dialogs, date helpers) goes to one shared chunk
    // instead of a copy in each tab: webpack's default 20 KB floor duplicated ~5 KB gzip per host.
    splitChunks: { chunks: 'async', minSize: 1_000 },
  },
}

/** amoCRM loads script.js with RequireJS and calls `new` on the module value. */
const amocrmWidget = {
  ...fromSource,
  name: 'amocrm',
  entry: { script: './widgets/hosts/amocrm/script.ts' },
  // publicPath '': RequireJS runs the factory after the script, where 'auto' throws; script.ts sets the base from self.params.path.
  output: { path: path.join(root, 'dist/amocrm/widget'), filename: '[name].js', library: { type: 'amd', export: 'default' }, publicPath: '', clean: true },
}

const standalone = {
  ...fromSource,
  name: 'standalone',
  entry: { 'crmkit-widgets': './widgets/hosts/standalone/index.ts' },
  output: { path: path.join(root, 'dist/standalone'), filename: '[name].js', library: { type: 'module' }, clean: true },
  experiments: { outputModule: true },
}

/** Bitrix24 app: a classic script for index.html / placement.html (dist/bitrix24/). */
const bitrix24App = {
  ...fromSource,
  name: 'bitrix24',
  entry: { 'crmkit-bitrix24': './widgets/hosts/bitrix24/app.ts' },
  output: { path: path.join(root, 'dist/bitrix24'), filename: '[name].js', clean: true },
}

/** Creatio: one UMD file, loadable as a package file through RequireJS or as a plain script. */
const creatioElements = {
  ...fromSource,
  name: 'creatio',
  entry: { 'crmkit-creatio': './widgets/hosts/creatio/elements.ts' },
  // publicPath '': under RequireJS 'auto' cannot find the script and throws; elements.ts sets the base.
  output: { path: path.join(root, 'dist/creatio'), filename: '[name].js', library: { type: 'umd', name: 'crmkitCreatio' }, publicPath: '', clean: true },
}

/**
 * Shared by every widget host: tabs and export/import code are lazy chunks (widgets/hosts/mount.tsx),
 * loaded from next to the entry script. 'auto' finds it through import.meta.url (ESM) or
 * document.currentScript (classic scripts); AMD/UMD factories run after their script has finished,
 * so those hosts set it themselves (amoCRM: from self.params.path). A per-host uniqueName keeps two
 * crmkit bundles on one page from sharing a chunk registry.
 */
const withLazyChunks = (config) => ({
  ...config,
  output: { publicPath: 'auto', chunkFilename: '[name].[contenthash:8].js', uniqueName: `crmkit-${config.name}`, ...config.output },
})

export const widgetConfigs = [amocrmWidget, standalone, bitrix24App, creatioElements].map(withLazyChunks)
export default [library, ...widgetConfigs]
