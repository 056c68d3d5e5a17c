import { describe, expect, it } from 'vitest'
import type { AtlasFeature } from '../data/types.ts'
import { fitZoom, labelFeatures, labelWidthPx } from './labels.ts'

// a square of about `sideM` metres at 28° N
function square(code: string, name: string, sideM: number): AtlasFeature {
  const dLat = sideM / 111_320
  const dLon = dLat / Math.cos((28 * Math.PI) / 180)
  return {
    type: 'Feature',
    id: code,
    properties: { code, name },
    geometry: { type: 'Polygon', coordinates: [[[119, 28], [119 + dLon, 28], [119 + dLon, 28 + dLat], [119, 28 + dLat], [119, 28]]] },
  }
}

describe('unit labels', () => {
  it('measures Chinese characters as square and Latin ones as narrower', () => {
    expect(labelWidthPx('大洋社区', 14)).toBe(56)
    expect(labelWidthPx('Grid 1', 14)).toBeLessThan(56)
  })

  it('a larger polygon takes its label at a lower zoom', () => {
    const [small] = labelFeatures('grid', [square('a', '第一网格', 300)])
    const [large] = labelFeatures('grid', [square('b', '第一网格', 1200)])
    const minzoom = (label: typeof small) => Number(label.properties?.minzoom)
    expect(minzoom(large)).toBeLessThan(minzoom(small))
    // four times the size: two zoom levels earlier
    expect(minzoom(small) - minzoom(large)).toBeCloseTo(2, 1)
  })

  it('a name fits when the polygon is about as wide as the label', () => {
    const z = fitZoom(500, 100, 28)
    const metresPerPixel = (78271.517 * Math.cos((28 * Math.PI) / 180)) / 2 ** z
    expect((100 * metresPerPixel) / 1000).toBeCloseTo(1 / 0.85, 2)
  })

  it('puts the label inside the polygon and skips features without a name', () => {
    const labels = labelFeatures('community', [square('c', '金乐社区', 800), { ...square('d', '', 800) }])
    expect(labels).toHaveLength(1)
    const [lon, lat] = labels[0].geometry.coordinates
    expect(lon).toBeGreaterThan(119)
    expect(lat).toBeGreaterThan(28)
    expect(labels[0].properties!.layer).toBe('community')
  })
})

describe('basemap labels', () => {
  it('a named river or park gets one label, at any zoom', () => {
    const labels = labelFeatures('basemap', [square('river', '龙泉溪', 200)])
    expect(labels).toHaveLength(1)
    expect(labels[0].properties!.minzoom).toBe(0)
  })
})
