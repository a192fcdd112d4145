// Seeded PRNG (mulberry32), shared by the three emulators. Everything an emulator invents — demo data, tokens, latency
// jitter — comes from here, so the same seed always yields byte-identical output.

export interface Random {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks by relative weight: `[[value, weight], ...]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T
  /** Random string over `alphabet` (default lowercase hex). */
  string(length: number, alphabet?: string): string
  /** Random RFC 4122 version-4 GUID in lowercase, as Creatio writes them. */
  guid(): string
}

const HEX = '0123456789abcdef'

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const string = (length: number, alphabet = HEX): string => {
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)]
    return out
  }
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick() from an empty list')
      return items[Math.floor(next() * items.length)] as T
    },
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      let total = 0
      for (const [, w] of items) total += w
      let roll = next() * total
      for (const [value, w] of items) {
        roll -= w
        if (roll < 0) return value
      }
      const last = items[items.length - 1]
      if (!last) throw new Error('weighted() from an empty list')
      return last[0]
    },
    string,
    guid: () => `${string(8)}-${string(4)}-4${string(3)}-${string(1, '89ab')}${string(3)}-${string(12)}`,
  }
}

/** Derives an independent stream from a seed, so adding draws to one stream never shifts another. */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0
  return h
}
