import { describe, expect, it } from 'vitest'
import { tileBbox, tileKey, tilesCovering } from './tiles.ts'

describe('tiles', () => {
  it('covers a box with the tiles that touch it', () => {
    const tiles = tilesCovering([119.1, 28.05, 119.16, 28.1], 12)
    for (const tile of tiles) {
      const [w, s, e, n] = tileBbox(tile)
      expect(e > 119.1 && w < 119.16 && n > 28.05 && s < 28.1).toBe(true)
    }
    expect(new Set(tiles.map(tileKey)).size).toBe(tiles.length)
    // 0.06° of longitude at z12 spans one or two tiles, never more than three
    expect(tiles.length).toBeGreaterThanOrEqual(1)
    expect(tiles.length).toBeLessThanOrEqual(9)
  })

  it('returns tiles whose union contains the box', () => {
    const box = [119.1, 28.05, 119.16, 28.1] as const
    const tiles = tilesCovering([...box], 13)
    const w = Math.min(...tiles.map((t) => tileBbox(t)[0]))
    const s = Math.min(...tiles.map((t) => tileBbox(t)[1]))
    const e = Math.max(...tiles.map((t) => tileBbox(t)[2]))
    const n = Math.max(...tiles.map((t) => tileBbox(t)[3]))
    expect(w).toBeLessThanOrEqual(box[0])
    expect(s).toBeLessThanOrEqual(box[1])
    expect(e).toBeGreaterThanOrEqual(box[2])
    expect(n).toBeGreaterThanOrEqual(box[3])
  })

  it('has tile 0/0/0 cover the world', () => {
    const [w, s, e, n] = tileBbox({ z: 0, x: 0, y: 0 })
    expect(w).toBe(-180)
    expect(e).toBe(180)
    expect(n).toBeCloseTo(85.0511, 3)
    expect(s).toBeCloseTo(-85.0511, 3)
  })

  it('puts the centre tile first and respects the limit', () => {
    const tiles = tilesCovering([119, 28, 119.5, 28.4], 14, 5)
    expect(tiles).toHaveLength(5)
  })
})
