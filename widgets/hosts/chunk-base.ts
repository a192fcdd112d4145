declare let __webpack_public_path__: string

/**
 * Where lazy chunks (tabs, exporters) load from. webpack's 'auto' reads the entry script's URL as
 * the bundle starts, which AMD/UMD loaders defeat: RequireJS runs the module factory after the
 * script has finished, when document.currentScript is gone. Such hosts pass the base they know.
 */
export function setChunkBase(base: string): void {
  if (typeof __webpack_public_path__ === 'undefined') return // not running from a webpack bundle (tests)
  __webpack_public_path__ = base.endsWith('/') ? base : `${base}/`
}
