import { crc32, deflateSync } from 'node:zlib'

/**
 * A minimal PNG writer (8-bit RGBA) for the logo files hosts require at exact sizes; a graphics
 * library would be a heavy build dependency for a few flat icons.
 */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1)
    raw[row] = 0 // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4)
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Reads width and height from a PNG's IHDR. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png)
  if (b.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG')
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
}

/** The crmkit mark: a calendar page on the brand blue, scaled to any size. */
export function logoPixel(width: number, height: number) {
  const s = Math.min(width, height) * 0.6
  const left = (width - s) / 2
  const top = (height - s) / 2
  return (x: number, y: number): [number, number, number, number] => {
    const inPage = x >= left && x < left + s && y >= top && y < top + s
    if (!inPage) return [37, 99, 235, 255]
    const u = (x - left) / s
    const v = (y - top) / s
    if (v < 0.22) return [220, 38, 38, 255] // the page's header
    const gridLine = (t: number) => Math.abs(t * 4 - Math.round(t * 4)) < 0.04
    return gridLine(u) || gridLine((v - 0.22) / 0.78) ? [203, 213, 225, 255] : [255, 255, 255, 255]
  }
}
