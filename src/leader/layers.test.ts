import type { FeatureCollection } from 'geojson'
import { describe, expect, it } from 'vitest'
import { boxForRoom, type FitRoom } from './fit.ts'
import { communityCollection, communityFillLayer, geometryBbox, leaderStyle, streetCollection, valueOf } from './layers.ts'
import type { IndicatorValue, UnitIndicators } from './types.ts'

const square = (x: number, y: number, size = 0.01) => ({
  type: 'Polygon' as const,
  coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
})
const shapes: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: 'C1', properties: { code: 'C1', name: '西街社区' }, geometry: square(119.1, 28.05) },
    { type: 'Feature', id: 'C2', properties: { code: 'C2', name: '华楼社区' }, geometry: square(119.11, 28.05) },
    { type: 'Feature', id: 'C3', properties: { code: 'C3', name: '新社区' }, geometry: square(119.12, 28.05) },
  ],
}
const community = (code: string, value: number | null): UnitIndicators => ({
  level: 'community',
  code,
  name: `社区${code}`,
  households: null,
  residents: null,
  registered: null,
  indicators: { workers_per_10k: { value, light: value === null ? 'none' : 'green', parts: {} } satisfies IndicatorValue } as UnitIndicators['indicators'],
})

describe('what the leader’s map draws', () => {
  const units = new Map([
    ['C1', community('C1', 20)],
    ['C2', community('C2', null)],
  ])
  const colorOf = (value: number | null) => (value === null ? '#d0d0d0' : value >= 18 ? '#2f8f4a' : '#b21f2b')

  it('colours each community by its value, grey without one, and marks the selected', () => {
    const drawn = communityCollection(shapes, units, 'workers_per_10k', { colorOf }, 'C2')
    expect(drawn.features.map((f): unknown[] => [f.properties?.code, f.properties?.value, f.properties?.color, f.properties?.selected])).toEqual([
      ['C1', 20, '#2f8f4a', false],
      ['C2', null, '#d0d0d0', true],
      // a polygon the indicators do not know: no data, named as the map has it
      ['C3', null, '#d0d0d0', false],
    ])
    expect(drawn.features[0].properties!.name).toBe('社区C1')
    expect(drawn.features[2].properties!.name).toBe('新社区')
    expect(communityCollection(null, units, 'workers_per_10k', { colorOf }, null).features).toEqual([])
    expect(valueOf(units.get('C1'), 'zones_open')).toBeNull()
  })

  it('keeps only the street offices’ shapes', () => {
    const streets = streetCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'S1', name: '剑池街道', kind: 'street' }, geometry: square(119, 28, 0.1) }] })
    expect(streets.features[0].properties).toEqual({ code: 'S1' })
  })

  it('hides every layer while closed; the fill takes the colour drawn per feature and is the one clicks reach', () => {
    expect(leaderStyle(false).layers.every((l) => (l.layout as { visibility?: string }).visibility === 'none')).toBe(true)
    const open = leaderStyle(true)
    expect(open.layers.every((l) => (l.layout as { visibility?: string }).visibility === 'visible')).toBe(true)
    const fill = open.layers.find((l) => l.id === communityFillLayer)!
    expect(fill.type).toBe('fill')
    expect((fill.paint as Record<string, unknown>)['fill-color']).toEqual(['get', 'color'])
    // the selected outline is drawn last, over the street offices
    expect(open.layers.at(-1)!.id).toBe('leader-selected-line')
    expect(Object.keys(open.sources).sort()).toEqual(['leader-communities', 'leader-streets'])
  })

  it('boxes a geometry', () => {
    expect(geometryBbox(square(119.1, 28.05))).toEqual([119.1, 28.05, 119.11, 28.060000000000002])
    expect(geometryBbox({ type: 'MultiPolygon', coordinates: [square(1, 2).coordinates, square(3, 4).coordinates] })).toEqual([1, 2, 3.01, 4.01])
    expect(geometryBbox({ type: 'MultiPoint', coordinates: [] })).toBeNull()
  })
})

// MapLibre's fit, as the page calls it: the box's centre in the middle of the margins, the zoom
// at which the box fills them (or maxZoom). Pixels of the world at zoom 0: 512.
function fitted(box: [number, number, number, number], room: FitRoom) {
  const x = (lon: number) => (lon + 180) / 360
  const y = (lat: number) => 0.5 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI)
  const w = room.width - room.fit.left - room.fit.right
  const h = room.height - room.fit.top - room.fit.bottom
  const scale = Math.min(w / (x(box[2]) - x(box[0])), h / (y(box[1]) - y(box[3])), 512 * 2 ** room.maxZoom)
  const centre = (x(box[0]) + x(box[2])) / 2
  return { scale, toPixel: (lon: number) => room.fit.left + w / 2 + (x(lon) - centre) * scale }
}

describe('fitting a community clear of the dashboard and the inspector', () => {
  const room: FitRoom = { width: 1280, height: 750, fit: { top: 60, bottom: 60, left: 350, right: 60 }, clear: { left: 496, right: 366 }, maxZoom: 15 }
  const clearMiddle = (room.clear.left + room.width - room.clear.right) / 2

  it('lands a wide community in the room between them, filling its width', () => {
    const community: [number, number, number, number] = [119.10, 28.05, 119.16, 28.06]
    const { toPixel } = fitted(boxForRoom(community, room), room)
    const [left, right] = [toPixel(community[0]), toPixel(community[2])]
    expect((left + right) / 2).toBeCloseTo(clearMiddle, 6)
    expect(left).toBeCloseTo(room.clear.left, 6)
    expect(right).toBeCloseTo(room.width - room.clear.right, 6)
    // unchanged, the page's fit would have put it under the dashboard
    expect(fitted(community, room).toPixel(community[0])).toBeLessThan(room.clear.left)
  })

  it('centres a tall one, and a small one at the zoom limit, in the same room', () => {
    for (const community of [
      [119.10, 28.0, 119.11, 28.1],
      [119.10, 28.05, 119.1001, 28.0501],
    ] as [number, number, number, number][]) {
      const { toPixel, scale } = fitted(boxForRoom(community, room), room)
      const [left, right] = [toPixel(community[0]), toPixel(community[2])]
      expect((left + right) / 2).toBeCloseTo(clearMiddle, 6)
      expect(left).toBeGreaterThanOrEqual(room.clear.left - 1e-6)
      expect(right).toBeLessThanOrEqual(room.width - room.clear.right + 1e-6)
      expect(scale).toBeLessThanOrEqual(512 * 2 ** room.maxZoom)
    }
  })

  it('keeps the box when there is no room to speak of', () => {
    const box: [number, number, number, number] = [119.1, 28.05, 119.2, 28.1]
    expect(boxForRoom(box, { ...room, clear: { left: 900, right: 400 } })).toEqual(box)
  })
})
