import { describe, expect, it } from 'vitest'
import { scoredItem } from '../../tests/backlog/instances.ts'
import { backlogStyle, categoryInks, clickableLayers, emphasis, geometryBbox, itemCollections, labelPoint, planMark, shapeOf } from './layers.ts'
import { backlogCategories, type ScoredItem } from './types.ts'

const line = { type: 'LineString' as const, coordinates: [[119.1, 28.0], [119.11, 28.01], [119.12, 28.0]] }
const point = { type: 'Point' as const, coordinates: [119.2, 28.1] }
const square = { type: 'Polygon' as const, coordinates: [[[119, 28], [119.02, 28], [119.02, 28.01], [119, 28.01], [119, 28]]] }

const item = (code: string, score: number, geometry: ScoredItem['geometry'], status: ScoredItem['status'] = 'proposed') =>
  scoredItem(code, { name: `${code} 名称`, category: '供水', status, score, geometry })

describe('the items’ shapes', () => {
  it('knows lines, points and areas, multi-geometries included', () => {
    expect(shapeOf(line)).toBe('line')
    expect(shapeOf({ type: 'MultiLineString', coordinates: [line.coordinates] })).toBe('line')
    expect(shapeOf(point)).toBe('point')
    expect(shapeOf(square)).toBe('area')
    expect(shapeOf({ type: 'MultiPolygon', coordinates: [square.coordinates] })).toBe('area')
  })
  it('boxes an item and labels it on itself', () => {
    expect(geometryBbox(line)).toEqual([119.1, 28.0, 119.12, 28.01])
    expect(geometryBbox(point)).toEqual([119.2, 28.1, 119.2, 28.1])
    expect(labelPoint(line)).toEqual([119.11, 28.01])
    const [x, y] = labelPoint(square)!
    expect(x).toBeCloseTo(119.01, 9)
    expect(y).toBeCloseTo(28.005, 9)
  })
})

describe('what the map draws', () => {
  const items = [item('BL-001', 60, line), item('BL-002', 30, point), item('BL-003', 45, square, 'done'), item('BL-004', 20, undefined)]
  const plan = new Map([
    ['BL-001', true],
    ['BL-002', false],
  ])
  it('marks each item funded, left out, not weighed, or not yet solved', () => {
    expect(planMark(items[0], plan)).toBe('funded')
    expect(planMark(items[1], plan)).toBe('unfunded')
    expect(planMark(items[2], plan)).toBe('other')
    expect(planMark(items[0], null)).toBe('none')
  })
  it('draws every item with a shape, the highest score last, emphasised against the highest', () => {
    const { items: drawn, labels } = itemCollections(items, { plan, selected: 'BL-002' })
    expect(drawn.features.map((f): unknown => f.properties?.code)).toEqual(['BL-002', 'BL-003', 'BL-001'])
    expect(drawn.features.map((f): unknown => f.properties?.e)).toEqual([0.5, 0.75, 1])
    expect(drawn.features.map((f): unknown => f.properties?.plan)).toEqual(['unfunded', 'other', 'funded'])
    expect(drawn.features.filter((f) => f.properties?.selected === true).map((f): unknown => f.properties?.code)).toEqual(['BL-002'])
    // the selected item is labelled with its name, the others with their code
    expect(labels.features.map((f): unknown => f.properties?.label)).toEqual(['BL-002 BL-002 名称', 'BL-003', 'BL-001'])
    expect(emphasis(10, 0)).toBe(0)
  })
  it('gives six categories six distinct inks', () => {
    expect(new Set(backlogCategories.map((c) => categoryInks[c].toLowerCase())).size).toBe(6)
  })
  it('hides every layer while the workspace is closed, and lets clicks reach only its own layers', () => {
    expect(backlogStyle(false).layers.every((l) => (l.layout as { visibility?: string }).visibility === 'none')).toBe(true)
    const open = backlogStyle(true)
    const ids = open.layers.map((l) => l.id)
    for (const id of clickableLayers) expect(ids).toContain(id)
    expect(new Set(open.layers.map((l) => (l as { source?: string }).source))).toEqual(new Set(Object.keys(open.sources)))
  })
})
