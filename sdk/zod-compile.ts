// Loaded only under Node (see sdk/validate.ts): zod's schema compiler is ~9 KB gzip, too much for
// the widget bundles, and only pays off on the large pages server-side exports parse.
export { compile } from 'zod/mini'
