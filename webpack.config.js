// Browser bundles. Until the widgets land this only proves that the SDK and the amoCRM adapter
// bundle for the web with no Node built-ins (webpack 5 fails on `node:` imports without fallbacks).
// Input is the tsc output in dist/ (`npm run build` first); `npm run build:browser` does both.
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.dirname(fileURLToPath(import.meta.url))

export default {
  mode: 'production',
  target: 'web',
  entry: {
    crmkit: './dist/sdk/index.js',
    'crmkit-amocrm': './dist/adapters/amocrm/index.js',
  },
  output: {
    path: path.join(root, 'dist/browser'),
    filename: '[name].js',
    library: { type: 'module' },
    clean: true,
  },
  experiments: { outputModule: true },
  resolve: { conditionNames: ['browser', 'import', 'default'] },
  performance: { hints: false },
  devtool: 'source-map',
}
