// @vitest-environment happy-dom
import { unzipSync, strFromU8 } from 'fflate'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { pngSize } from '../../scripts/lib/png.js'
import { AMO_LOGOS } from '../../widgets/hosts/amocrm/manifest.js'

let files: Record<string, Uint8Array>

// test/global-setup.ts has built dist/ for this run.
beforeAll(async () => {
  files = unzipSync(await readFile(resolve(import.meta.dirname, '../../dist/amocrm/widget.zip')))
})

type WidgetCtor = (this: object) => { callbacks: Record<string, (...a: unknown[]) => unknown> }

/** Evaluates script.js the way RequireJS would: `define([deps], factory)` or `define(factory)`. */
function loadAmd(code: string): WidgetCtor {
  let factory: (() => WidgetCtor) | undefined
  const define = (deps: unknown, f?: unknown) => {
    factory = (typeof deps === 'function' ? deps : f) as typeof factory
  }
  ;(define as unknown as { amd: object }).amd = {}
  new Function('define', code)(define)
  if (typeof factory !== 'function') throw new Error('script.js did not call define()')
  return factory()
}

let restoreAppend: (() => void) | null = null
afterEach(() => {
  restoreAppend?.()
  restoreAppend = null
})

/**
 * Plays the browser for webpack's chunk loader: a `<script>` appended under `base` runs the file of
 * that name from the zip (failing the load when the zip lacks it). Returns the names requested.
 */
function serveChunksFromZip(base: string): string[] {
  const requested: string[] = []
  const append = document.head.appendChild.bind(document.head)
  document.head.appendChild = (<T extends Node>(node: T): T => {
    if (!(node instanceof HTMLScriptElement) || !node.src.startsWith(base)) return append(node)
    const name = node.src.slice(base.length)
    requested.push(name)
    const code = files[name]
    queueMicrotask(() => {
      if (code) new Function(strFromU8(code))()
      const done = code ? node.onload : node.onerror
      done?.call(node, new Event(code ? 'load' : 'error'))
    })
    return node
  }) as typeof document.head.appendChild
  restoreAppend = () => {
    document.head.appendChild = append
  }
  return requested
}

/** Every `a.b.c` i18n key used in the manifest. */
function manifestKeys(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string' && /^[a-z_]+(\.[a-z_]+)+$/.test(node) && !node.endsWith('.png')) out.push(node)
  else if (node && typeof node === 'object') for (const v of Object.values(node)) manifestKeys(v, out)
  return out
}

describe('amoCRM widget.zip', () => {
  it('has manifest.json and script.js at the archive root, i18n and all required logos', () => {
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['manifest.json', 'script.js', 'style.css', 'i18n/ru.json', 'i18n/en.json']))
    for (const [name, [w, h]] of Object.entries(AMO_LOGOS)) {
      const png = files[`images/${name}`]
      expect(png, name).toBeDefined()
      expect(pngSize(png!)).toEqual({ width: w, height: h })
      expect(png!.length).toBeLessThanOrEqual(300 * 1024)
    }
  })

  it('declares the fields and locations the platform requires, with every i18n key translated', () => {
    const manifest = JSON.parse(strFromU8(files['manifest.json']!))
    expect(manifest.widget).toMatchObject({ interface_version: 2, locale: ['ru', 'en'], installation: true })
    expect(manifest.widget.version).toMatch(/^\d+\.\d+\.\d+$/)
    expect(manifest.widget).not.toHaveProperty('secret_key')
    expect(manifest.locations).toEqual(expect.arrayContaining(['advanced_settings', 'widget_page', 'lcard-1', 'settings']))
    const keys = manifestKeys({ widget: manifest.widget, advanced: manifest.advanced, left_menu: manifest.left_menu })
    expect(keys.length).toBeGreaterThan(4)
    for (const lang of ['ru', 'en']) {
      const dict = JSON.parse(strFromU8(files[`i18n/${lang}.json`]!))
      for (const key of keys) expect(key.split('.').reduce((n: Record<string, unknown> | undefined, k) => n?.[k] as never, dict), `${lang}: ${key}`).toBeTypeOf('string')
    }
  })

  it('script.js is an AMD module whose widget implements the callbacks', () => {
    const Widget = loadAmd(strFromU8(files['script.js']!))
    const widget = Widget.call({ get_settings: () => ({ widget_code: 'crmkit_test' }), system: () => ({ area: 'settings' }) })
    for (const cb of ['render', 'init', 'bind_actions']) expect(widget.callbacks[cb]!(), cb).toBe(true)
    expect(widget.callbacks.destroy).toBeTypeOf('function')
    expect(widget.callbacks.advancedSettings).toBeTypeOf('function')
    expect(widget.callbacks.initMenuPage).toBeTypeOf('function')
  })

  it('mounts the calendar into the work area of the advanced-settings page, its chunk loaded from the zip under params.path', async () => {
    const requested = serveChunksFromZip('https://amocrm.test/upl/crmkit/widget/')
    const Widget = loadAmd(strFromU8(files['script.js']!))
    document.body.innerHTML = '<div id="work-area-crmkit_test"></div>'
    const widget = Widget.call({ get_settings: () => ({ widget_code: 'crmkit_test' }), params: { path: 'https://amocrm.test/upl/crmkit/widget' } })
    widget.callbacks.advancedSettings!()
    const host = document.querySelector('#work-area-crmkit_test .crmkit-widget')!
    // The tab's code is a lazy chunk: a status line first, then the calendar.
    expect(host.shadowRoot?.querySelector('[role="status"]')?.textContent).toMatch(/Загружаем вкладку|Loading the tab/)
    await vi.waitFor(() => expect(host.shadowRoot?.querySelector('.ck-calendar')).toBeTruthy())
    expect(requested.some((f) => /^tab-calendar\.[0-9a-f]{8}\.js$/.test(f))).toBe(true)
    expect(requested.some((f) => f.startsWith('tab-budgets') || f.startsWith('tab-attribution') || f.startsWith('export-'))).toBe(false)
    widget.callbacks.destroy!()
    expect(host.shadowRoot?.childNodes.length).toBe(0)
  })

  it('keeps classic zod, papaparse and ical-generator out of the calendar’s first load, and ships every chunk', () => {
    const calendar = Object.keys(files).find((f) => /^tab-calendar\.[0-9a-f]{8}\.js$/.test(f))
    expect(calendar).toBeDefined()
    for (const name of ['script.js', calendar!]) {
      const code = strFromU8(files[name]!)
      expect(code, name).not.toMatch(/toJSONSchema/) // a method of every classic zod schema; zod/mini has none
      expect(code, name).not.toMatch(/UndetectableDelimiter/) // papaparse
      expect(code, name).not.toMatch(/BEGIN:VCALENDAR/) // ical-generator
    }
    // Every chunk script.js can ask for is in the archive (webpack names them in its runtime).
    const script = strFromU8(files['script.js']!)
    const chunks = Object.keys(files).filter((f) => /^[\w-]+\.[0-9a-f]{8}\.js$/.test(f))
    expect(chunks.length).toBeGreaterThanOrEqual(4)
    for (const f of chunks) expect(script, f).toContain(f.replace(/^([\w-]+)\.([0-9a-f]{8})\.js$/, '$2'))
  })

  it('ships no secrets or tokens in the bundle', () => {
    const code = strFromU8(files['script.js']!)
    expect(code).not.toMatch(/client_secret["']?\s*[:=]\s*["'][A-Za-z0-9]{16,}/)
    expect(code).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/) // no JWT-looking literal
  })
})
