// What the backlog workspace draws: its items by their own geometry (roads and pipes as lines,
// lights and bins as points, areas as polygons), coloured by category, wider or larger as they
// score higher, the funded plan solid and the rest faint and dashed. MapLibre layers over GeoJSON
// sources, so a click on an item reaches the workspace (featureClick). Everything here is pure.
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson'
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import type { WorkspaceStyle } from '../app/workspace.ts'
import type { Bbox } from '../data/types.ts'
import { labelFont } from '../map/basemapStyle.ts'
import { backlogCategories, type Category, type ScoredItem } from './types.ts'

export const itemsSource = 'backlog-items'
export const itemLabelsSource = 'backlog-labels'

/** The map's layers a click on an item reaches (the wide transparent ones catch thin lines and small dots). */
export const itemFillLayer = 'backlog-fill'
export const itemHitLineLayer = 'backlog-hit-line'
export const itemHitPointLayer = 'backlog-hit-point'
/** Areas are small (a park, a square): below this zoom a dot marks them too. */
export const areaMarkerLayer = 'backlog-area-marker'
export const areaMarkerMaxZoom = 14.5
export const clickableLayers = [itemHitPointLayer, areaMarkerLayer, itemHitLineLayer, itemFillLayer]

/**
 * One ink per category, far apart in hue and dark enough to read over the land, the communities'
 * peach and lavender and the grids' yellow, green and red: paving red, lighting amber, greening
 * olive green, sanitation cyan, water indigo, drainage brown. Lines and points get a white casing.
 */
export const categoryInks: Record<Category, string> = {
  硬化: '#d1364b',
  亮化: '#e69500',
  绿化: '#5c940d',
  洁化: '#0c8599',
  供水: '#364fc7',
  排污: '#8a5426',
}
/** Items the plan does not weigh (in progress, done, rejected). */
export const otherInk = '#6c757d'

/** Where an item stands in the plan drawn: funded, left out, not weighed (not a candidate), or no plan yet. */
export type PlanMark = 'funded' | 'unfunded' | 'other' | 'none'

/** The kind of shape, for the layers' filters ('geometry-type' differs across MapLibre versions for multi-geometries). */
export type Shape = 'line' | 'point' | 'area'
export function shapeOf(geometry: Geometry): Shape {
  switch (geometry.type) {
    case 'Point':
    case 'MultiPoint':
      return 'point'
    case 'LineString':
    case 'MultiLineString':
      return 'line'
    case 'GeometryCollection':
      return geometry.geometries.length ? shapeOf(geometry.geometries[0]) : 'point'
    default:
      return 'area'
  }
}

function positionsOf(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates]
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat()
    case 'MultiPolygon':
      return geometry.coordinates.flat(2)
    case 'GeometryCollection':
      return geometry.geometries.flatMap(positionsOf)
  }
}

export function geometryBbox(geometry: Geometry): Bbox | null {
  const positions = positionsOf(geometry)
  if (!positions.length) return null
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of positions) {
    w = Math.min(w, x)
    s = Math.min(s, y)
    e = Math.max(e, x)
    n = Math.max(n, y)
  }
  return [w, s, e, n]
}

/** Where an item's label goes: a point on the item itself (a line's middle vertex, a polygon's box centre). */
export function labelPoint(geometry: Geometry): Position | null {
  const shape = shapeOf(geometry)
  const positions = positionsOf(geometry)
  if (!positions.length) return null
  if (shape === 'line') return positions[Math.floor(positions.length / 2)]
  if (shape === 'point') return positions[0]
  const box = geometryBbox(geometry)!
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]
}

/** 0–1: how much an item stands out, by its score against the highest shown. */
export const emphasis = (score: number, maxScore: number) => (maxScore > 0 ? Math.min(Math.max(score / maxScore, 0), 1) : 0)

export interface ItemDrawOptions {
  /** Each code's place in the plan; null while there is no plan. */
  plan: ReadonlyMap<string, boolean> | null
  selected: string | null
}

/** The plan mark of an item. */
export function planMark(item: Pick<ScoredItem, 'code' | 'status'>, plan: ReadonlyMap<string, boolean> | null): PlanMark {
  if (item.status !== 'proposed' && item.status !== 'approved') return 'other'
  if (!plan || !plan.has(item.code)) return 'none'
  return plan.get(item.code) ? 'funded' : 'unfunded'
}

/**
 * The items' features, highest score last (drawn on top), and their labels: the selected item's
 * name, the others' codes.
 */
export function itemCollections(items: readonly ScoredItem[], { plan, selected }: ItemDrawOptions): { items: FeatureCollection; labels: FeatureCollection } {
  const maxScore = Math.max(0, ...items.map((i) => Number(i.score)))
  const features: Feature[] = []
  const labels: Feature[] = []
  const ordered = [...items].sort((a, b) => Number(a.score) - Number(b.score) || (a.code < b.code ? 1 : -1))
  for (const item of ordered) {
    if (!item.geometry) continue
    const properties = {
      code: item.code,
      category: item.category,
      shape: shapeOf(item.geometry),
      score: Number(item.score),
      e: Number(emphasis(Number(item.score), maxScore).toFixed(3)),
      plan: planMark(item, plan),
      selected: item.code === selected,
    }
    features.push({ type: 'Feature', properties, geometry: item.geometry })
    const at = labelPoint(item.geometry)
    if (at) labels.push({ type: 'Feature', properties: { ...properties, label: item.code === selected ? `${item.code} ${item.name}` : item.code }, geometry: { type: 'Point', coordinates: at } })
  }
  return { items: { type: 'FeatureCollection', features }, labels: { type: 'FeatureCollection', features: labels } }
}

const get = (name: string): ExpressionSpecification => ['get', name]
const is = (name: string, value: string | boolean): ExpressionSpecification => ['==', ['get', name], value]
const [firstCategory, ...laterCategories] = backlogCategories
const byCategory = (): ExpressionSpecification => [
  'case',
  ['==', get('plan'), 'other'],
  otherInk,
  ['match', get('category'), firstCategory, categoryInks[firstCategory], ...laterCategories.flatMap((c) => [c, categoryInks[c]]), otherInk],
]
/** Funded and not-yet-solved items at full strength, the rest faint. */
const strength = (full: number, faint: number, other: number): ExpressionSpecification => ['match', get('plan'), 'unfunded', faint, 'other', other, full]
/** From `low` to `high` with the item's emphasis, thinner when left out of the plan. */
const byEmphasis = (low: number, high: number, faintScale = 0.7): ExpressionSpecification => [
  '*',
  ['+', low, ['*', high - low, get('e')]],
  ['match', get('plan'), 'funded', 1, 'none', 1, faintScale],
]
const shapeIs = (shape: Shape) => is('shape', shape)

/** The items as MapLibre layers, hidden while the workspace is closed. */
export function backlogStyle(open: boolean): WorkspaceStyle {
  const visibility = open ? 'visible' : 'none'
  const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } }
  const selected = is('selected', true)
  const dashedFilter: ExpressionSpecification = ['all', shapeIs('line'), ['!=', get('plan'), 'funded'], ['!=', get('plan'), 'none']]
  const solidFilter: ExpressionSpecification = ['all', shapeIs('line'), ['any', ['==', get('plan'), 'funded'], ['==', get('plan'), 'none']]]
  const layers: LayerSpecification[] = [
    {
      id: itemFillLayer,
      type: 'fill',
      source: itemsSource,
      filter: shapeIs('area'),
      layout: { visibility },
      paint: { 'fill-color': byCategory(), 'fill-opacity': ['*', strength(0.55, 0.18, 0.15), ['+', 0.5, ['*', 0.5, get('e')]]] },
    },
    {
      id: 'backlog-area-line',
      type: 'line',
      source: itemsSource,
      filter: shapeIs('area'),
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': byCategory(), 'line-width': byEmphasis(1.2, 2.6), 'line-opacity': strength(1, 0.6, 0.5) },
    },
    {
      id: 'backlog-selected-halo',
      type: 'line',
      source: itemsSource,
      filter: ['all', selected, ['!=', get('shape'), 'point']],
      layout: { visibility, 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#1d2733', 'line-width': ['+', byEmphasis(2, 7), 7], 'line-opacity': 0.85 },
    },
    {
      id: 'backlog-line-casing',
      type: 'line',
      source: itemsSource,
      filter: shapeIs('line'),
      layout: { visibility, 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': ['+', byEmphasis(2, 7), 2.5], 'line-opacity': strength(0.95, 0.55, 0.5) },
    },
    {
      // left out of the plan (or not weighed by it): dashed and faint
      id: 'backlog-line-faint',
      type: 'line',
      source: itemsSource,
      filter: dashedFilter,
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': byCategory(), 'line-width': byEmphasis(2, 7), 'line-opacity': strength(1, 0.7, 0.55), 'line-dasharray': [1.6, 1.2] },
    },
    {
      id: 'backlog-line',
      type: 'line',
      source: itemsSource,
      filter: solidFilter,
      layout: { visibility, 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': byCategory(), 'line-width': byEmphasis(2, 7) },
    },
    {
      id: 'backlog-point',
      type: 'circle',
      source: itemsSource,
      filter: shapeIs('point'),
      layout: { visibility, 'circle-sort-key': get('score') },
      paint: {
        'circle-radius': byEmphasis(3.5, 9),
        // left out: a ring in the category's ink round a white middle
        'circle-color': ['match', get('plan'), 'unfunded', '#ffffff', byCategory()],
        'circle-opacity': strength(1, 0.85, 0.6),
        'circle-stroke-color': ['case', selected, '#1d2733', ['==', get('plan'), 'unfunded'], byCategory(), '#ffffff'],
        'circle-stroke-width': ['case', selected, 3, ['==', get('plan'), 'unfunded'], 2, 1.5],
      },
    },
    {
      id: areaMarkerLayer,
      type: 'circle',
      source: itemLabelsSource,
      maxzoom: areaMarkerMaxZoom,
      filter: shapeIs('area'),
      layout: { visibility },
      paint: {
        'circle-radius': byEmphasis(3, 7),
        'circle-color': ['match', get('plan'), 'unfunded', '#ffffff', byCategory()],
        'circle-opacity': strength(0.9, 0.85, 0.6),
        'circle-stroke-color': ['case', selected, '#1d2733', ['==', get('plan'), 'unfunded'], byCategory(), '#ffffff'],
        'circle-stroke-width': ['case', selected, 3, 1.5],
      },
    },
    {
      id: itemHitLineLayer,
      type: 'line',
      source: itemsSource,
      filter: ['!=', get('shape'), 'point'],
      layout: { visibility },
      paint: { 'line-color': '#000000', 'line-opacity': 0, 'line-width': 14 },
    },
    {
      id: itemHitPointLayer,
      type: 'circle',
      source: itemsSource,
      filter: shapeIs('point'),
      layout: { visibility },
      paint: { 'circle-radius': 11, 'circle-opacity': 0, 'circle-stroke-width': 0 },
    },
    {
      id: 'backlog-label',
      type: 'symbol',
      source: itemLabelsSource,
      minzoom: 14.5,
      filter: ['!', selected],
      layout: {
        visibility,
        'text-field': get('label'),
        'text-font': labelFont,
        'text-size': 11,
        'text-offset': [0, 1.1],
        'text-padding': 3,
        'symbol-sort-key': ['-', 100, get('score')],
      },
      paint: { 'text-color': '#1d2733', 'text-halo-color': '#ffffff', 'text-halo-width': 1.8 },
    },
    {
      id: 'backlog-label-selected',
      type: 'symbol',
      source: itemLabelsSource,
      filter: selected,
      layout: {
        visibility,
        'text-field': get('label'),
        'text-font': labelFont,
        'text-size': 13,
        'text-max-width': 14,
        'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
        'text-radial-offset': 1.3,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#1d2733', 'text-halo-color': '#ffffff', 'text-halo-width': 2.4 },
    },
  ]
  return { sources: { [itemsSource]: empty, [itemLabelsSource]: empty }, layers }
}
