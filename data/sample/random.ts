// Seeded randomness. Every draw comes from a stream named for its purpose ('lattice', 'walk',
// 'grids:<community>'…), so a change to one stream leaves the layers the others make as they were.
// No Math.random and no clock: the same seed gives the same bytes.

export type Random = () => number

/** The streams of one seed: `streams('walk')` starts the walking network's stream afresh. */
export type RandomStreams = (purpose: string) => Random

/** The seed of the committed sample city, data/longquan. */
export const sampleSeed = 'grassroots-atlas/longquan/v1'

export const randomStreams =
  (seed: string): RandomStreams =>
  (purpose) =>
    mulberry32(hashString(`${seed}:${purpose}`))

/** mulberry32: 32 bits of state, fast, and ample for synthetic geometry. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a over the code points of `text`. */
export function hashString(text: string): number {
  let hash = 2166136261
  for (const character of text) {
    hash ^= character.codePointAt(0) ?? 0
    hash = Math.imul(hash, 16777619)
  }
  return hash >>> 0
}

/** A whole number from `low` to `high`, both included. */
export const randomInteger = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1))

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]

/** Fisher–Yates, in place. */
export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1))
    ;[items[i], items[k]] = [items[k], items[i]]
  }
  return items
}
