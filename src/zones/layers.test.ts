import { describe, expect, it } from 'vitest'
import type { Zone } from './types.ts'
import { hatchImage, hatchImages, nestingCollection, ownerOf, sortZones, zoneCollections, zoneInks, zoneLabel, zonesStyle } from './layers.ts'

const square = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] }

function zone(id: string, area: number, extra: Partial<Zone> = {}): Zone {
  return {
    id,
    kind: 'gap',
    level: 'community',
    parent: { layer: 'street', code: 'S1' },
    area_m2: area,
    width_m: 20,
    status: 'open',
    units: ['C1'],
    claimants: null,
    suggested_owner: 'C1',
    reason: 'C1 borders it',
    reason_zh: 'C1 相邻',
    candidates: [{ layer: 'community', code: 'C1', name: '江南社区', relation: 'borders', same_parent: true, border_m: 800, area_m2: 1e6 }],
    decision: null,
    label: [119.1, 28.05],
    bbox: [119, 28, 119.2, 28.1],
    geometry: square,
    ...extra,
  }
}

describe('the order of the list', () => {
  it('puts the largest first, and equal areas in a fixed order', () => {
    const zones = [zone('g-0000000003', 43_261.1, { level: 'management' }), zone('g-0000000001', 166_917.2), zone('o-0000000002', 53_465.5, { kind: 'overlap' }), zone('g-0000000004', 43_261.1)]
    expect(sortZones(zones).map((z) => z.id)).toEqual(['g-0000000001', 'o-0000000002', 'g-0000000004', 'g-0000000003'])
    expect(sortZones([...zones].reverse()).map((z) => z.id)).toEqual(sortZones(zones).map((z) => z.id))
  })
})

describe('what the map draws', () => {
  it('labels a zone with its area and the suggested owner’s name, or its decided owner once settled', () => {
    expect(zoneLabel('zh', zone('g-0000000001', 43_261.1))).toBe('4.3 公顷\n建议：江南社区')
    const settled = zone('g-0000000001', 43_261.1, { status: 'settled', decision: { id: 1, owner_layer: 'community', owner_code: 'C1', remark: null, decided_by: 'p', decided_at: '2026-11-24T00:00:00Z' } })
    expect(zoneLabel('en', settled)).toBe('4.3 ha\nowner: 江南社区')
    expect(ownerOf(zone('g-0000000001', 1, { suggested_owner: 'X9' }))).toEqual({ code: 'X9', name: 'X9' })
  })

  it('leaves noise out unless asked, marks the selected zone, and labels a place once', () => {
    const zones = [
      zone('g-0000000001', 166_917.2),
      zone('g-0000000002', 43_261.1, { level: 'management' }),
      zone('g-0000000003', 43_261.1),
      zone('g-0000000004', 20, { status: 'noise', label: [119.2, 28.1] }),
      zone('o-0000000005', 900, { kind: 'overlap', status: 'settled', label: [119.3, 28.1] }),
    ]
    zones[0].label = [119.0, 28.0]
    const hidden = zoneCollections(zones, { lang: 'zh', showNoise: false, selected: 'g-0000000003' })
    expect(hidden.zones.features.map((f): unknown => f.properties?.id)).toEqual(['g-0000000001', 'g-0000000003', 'g-0000000002', 'o-0000000005'])
    expect(hidden.zones.features.map((f): unknown => f.properties?.style)).toEqual(['gap', 'gap', 'gap', 'settled'])
    expect(hidden.zones.features.filter((f) => f.properties?.selected === true).map((f): unknown => f.properties?.id)).toEqual(['g-0000000003'])
    // two levels of the same land: one label, the selected one's
    expect(hidden.labels.features.map((f): unknown => f.properties?.id)).toEqual(['g-0000000001', 'g-0000000003', 'o-0000000005'])
    const shown = zoneCollections(zones, { lang: 'zh', showNoise: true, selected: null })
    expect(shown.zones.features.map((f): unknown => f.properties?.id)).toContain('g-0000000004')
    // noise is drawn, never labelled
    expect(shown.labels.features.map((f): unknown => f.properties?.id)).not.toContain('g-0000000004')
  })

  it('keeps only the nesting violations that have a shape', () => {
    const collection = nestingCollection([
      { layer: 'grid', code: 'G1', name: 'G1', parent_layer: 'community', parent_code: 'C1', outside_m2: 30, geometry: square },
      { layer: 'grid', code: 'G2', name: 'G2', parent_layer: 'community', parent_code: 'C1', outside_m2: 30 },
    ])
    expect(collection.features.map((f): unknown => f.properties?.code)).toEqual(['G1'])
  })

  it('hatches each style in its own ink, gaps and overlaps leaning opposite ways', () => {
    const gap = hatchImage('gap')
    const overlap = hatchImage('overlap')
    expect(gap.data.length).toBe(gap.width * gap.height * 4)
    const inked = (image: typeof gap, x: number, y: number) => image.data[(y * image.width + x) * 4 + 3] === 255
    const ink = (image: typeof gap) => {
      for (let i = 0; i < image.data.length; i += 4) if (image.data[i + 3]) return '#' + [0, 1, 2].map((k) => image.data[i + k].toString(16).padStart(2, '0')).join('')
      return null
    }
    expect(ink(gap)).toBe(zoneInks.gap)
    expect(ink(overlap)).toBe(zoneInks.overlap)
    expect(ink(hatchImage('settled'))).toBe(zoneInks.settled)
    // (2, 10) lies on a rising stripe only, (5, 5) on a falling one only
    expect(inked(gap, 2, 10)).toBe(true)
    expect(inked(overlap, 2, 10)).toBe(false)
    expect(inked(overlap, 5, 5)).toBe(true)
    expect(inked(gap, 5, 5)).toBe(false)
    // the pattern tiles: the first column continues the last
    for (let y = 0; y < gap.height; y++) expect(inked(gap, 0, y)).toBe(inked(gap, gap.width - 1, (y + 1) % gap.height))
    expect(Object.keys(hatchImages()).sort()).toEqual(['zones-hatch-gap', 'zones-hatch-nesting', 'zones-hatch-overlap', 'zones-hatch-settled'])
  })

  it('hides every layer while the workspace is closed, and names only images it makes', () => {
    const closed = zonesStyle(false)
    expect(closed.layers.every((l) => (l.layout as { visibility?: string }).visibility === 'none')).toBe(true)
    const used = JSON.stringify(zonesStyle(true).layers).match(/zones-hatch-\w+/g) ?? []
    expect(new Set(used)).toEqual(new Set(Object.keys(hatchImages())))
  })
})
