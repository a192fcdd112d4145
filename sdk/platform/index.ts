// What the SDK runs on in Node and wherever a bundler is not told otherwise: the stack's axios and
// bottleneck. The widget bundles replace this module with ./browser.ts (webpack.config.js), which
// keeps them inside the size budget; both pass the same tests (test/unit/platform.test.ts).
export { axiosTransport as defaultTransport } from './axios-transport.js'
export { bottleneckScheduler as createScheduler } from './bottleneck-scheduler.js'
