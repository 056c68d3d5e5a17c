import { describe, expect, it } from 'vitest'
import type { AtlasFeature } from '../data/types.ts'
import { walkClass, walkStyleLayers } from './walkLayer.ts'

const edge = (highway: string, steps = false): AtlasFeature => ({
  type: 'Feature',
  id: highway,
  properties: { code: highway, highway, steps },
  geometry: { type: 'LineString', coordinates: [[119, 28], [119.001, 28]] },
})

describe('the walking network', () => {
  it('sorts roads into the legend’s classes', () => {
    expect(walkClass(edge('primary'))).toBe('major')
    expect(walkClass(edge('residential'))).toBe('minor')
    expect(walkClass(edge('footway'))).toBe('foot')
    expect(walkClass(edge('steps'))).toBe('steps')
    expect(walkClass(edge('path', true))).toBe('steps')
  })

  it('is hidden when switched off, and drawn only from its zoom', () => {
    const off = walkStyleLayers(false, 14.5)
    expect(off.every((layer) => (layer.layout as { visibility: string }).visibility === 'none')).toBe(true)
    const on = walkStyleLayers(true, 14.5)
    expect(on.map((layer) => layer.minzoom)).toEqual([14.5, 14.5])
  })

  it('draws roads to scale: a 10 m road is four times as wide two zoom levels closer', () => {
    const width = walkStyleLayers(true, 14.5)[0].paint as { 'line-width': [string, unknown, unknown, number, number, number, number] }
    const [, , , z0, w0, z1, w1] = width['line-width']
    expect(z1 - z0).toBe(6)
    expect(w1 / w0).toBeCloseTo(2 ** 6, 6)
    // the casing: 10 m + 3 m at zoom 14, about 69 km a pixel at zoom 0
    expect(w0).toBeCloseTo((13 * 2 ** 14) / 69_110, 6)
  })
})
