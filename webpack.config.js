// Browser bundles.
// - `library`: the SDK and the amoCRM adapter from the tsc output in dist/ (`npm run build` first),
//   proving they bundle for the web with no Node built-ins (webpack 5 fails on `node:` imports).
// - `widgets`: the widget hosts from source (ts-loader), packaged by `npm run build:widgets`.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
  performance: { hints: false },
  devtool: 'source-map',
}

/** amoCRM loads script.js with RequireJS and calls `new` on the module value. */
const amocrmWidget = {
  ...fromSource,
  name: 'amocrm',
  entry: { script: './widgets/hosts/amocrm/script.ts' },
  output: { path: path.join(root, 'dist/amocrm/widget'), filename: '[name].js', library: { type: 'amd', export: 'default' }, clean: true },
}

const standalone = {
  ...fromSource,
  name: 'standalone',
  entry: { 'crmkit-widgets': './widgets/hosts/standalone/index.ts' },
  output: { path: path.join(root, 'dist/standalone'), filename: '[name].js', library: { type: 'module' }, clean: true },
  experiments: { outputModule: true },
}

export const widgetConfigs = [amocrmWidget, standalone]
export default [library, ...widgetConfigs]
