// What the leader's view draws: the communities coloured by the chosen indicator (a choropleth,
// ./choropleth.ts), the street offices outlined over them, and the selected community outlined.
// MapLibre layers over GeoJSON sources, under the labels, so a click on a community reaches the
// workspace (featureClick). Everything here is pure, so the map and the tests build the same thing.
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import type { WorkspaceStyle } from '../app/workspace.ts'
import type { Bbox } from '../data/types.ts'
import { cssColor, selectionLine } from '../layers/palette.ts'
import type { Choropleth } from './choropleth.ts'
import type { IndicatorKey, UnitIndicators } from './types.ts'

export const communitiesSource = 'leader-communities'
export const streetsSource = 'leader-streets'

/** The layer a click on a community reaches. */
export const communityFillLayer = 'leader-fill'

/**
 * Opaque enough at city zoom that the class colours read true over the communities' own fills;
 * fainter closer in, where the grids under them carry their own colours.
 */
export const fillOpacity: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 12.5, 0.88, 15, 0.45]
export const streetInk = '#3d4a57'
/** The page's own selection colour, so the outline reads as the selection wherever it is drawn. */
export const selectedInk = cssColor(selectionLine)

/** A feature's value of the chosen indicator, or null. */
export function valueOf(unit: UnitIndicators | undefined, key: IndicatorKey): number | null {
  const value = unit?.indicators[key]?.value
  return value === null || value === undefined ? null : Number(value)
}

/**
 * The communities' polygons (as map_layer gives them) with what the map draws of each: its
 * colour for the chosen indicator, its value, and whether it is the one selected.
 */
export function communityCollection(
  shapes: FeatureCollection | null,
  units: ReadonlyMap<string, UnitIndicators>,
  key: IndicatorKey,
  colours: Pick<Choropleth, 'colorOf'>,
  selected: string | null,
): FeatureCollection {
  if (!shapes) return { type: 'FeatureCollection', features: [] }
  const features: Feature[] = []
  for (const shape of shapes.features) {
    const code = String(shape.properties?.code ?? shape.id ?? '')
    if (!code || !shape.geometry) continue
    const value = valueOf(units.get(code), key)
    features.push({
      type: 'Feature',
      id: code,
      geometry: shape.geometry,
      properties: { code, name: units.get(code)?.name ?? (typeof shape.properties?.name === 'string' ? shape.properties.name : code), value, color: colours.colorOf(value), selected: code === selected },
    })
  }
  return { type: 'FeatureCollection', features }
}

/** The street offices' outlines: only their shapes are drawn. */
export function streetCollection(shapes: FeatureCollection | null): FeatureCollection {
  if (!shapes) return { type: 'FeatureCollection', features: [] }
  return {
    type: 'FeatureCollection',
    features: shapes.features.filter((f) => f.geometry).map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { code: String(f.properties?.code ?? '') } })),
  }
}

/** The leader's layers, hidden while the workspace is closed. */
export function leaderStyle(open: boolean): WorkspaceStyle {
  const visibility = open ? 'visible' : 'none'
  const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } }
  const selected: ExpressionSpecification = ['==', ['get', 'selected'], true]
  const layers: LayerSpecification[] = [
    {
      id: communityFillLayer,
      type: 'fill',
      source: communitiesSource,
      layout: { visibility },
      paint: { 'fill-color': ['get', 'color'], 'fill-opacity': fillOpacity },
    },
    {
      id: 'leader-outline',
      type: 'line',
      source: communitiesSource,
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.6, 15, 1.5], 'line-opacity': 0.9 },
    },
    {
      id: 'leader-streets',
      type: 'line',
      source: streetsSource,
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': streetInk, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.2, 15, 2.2], 'line-opacity': 0.75 },
    },
    {
      id: 'leader-selected-halo',
      type: 'line',
      source: communitiesSource,
      filter: selected,
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7, 'line-opacity': 0.95 },
    },
    {
      id: 'leader-selected-line',
      type: 'line',
      source: communitiesSource,
      filter: selected,
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': selectedInk, 'line-width': 3 },
    },
  ]
  return { sources: { [communitiesSource]: empty, [streetsSource]: empty }, layers }
}

/** The box round a geometry, or null when it has no positions. */
export function geometryBbox(geometry: Geometry): Bbox | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return
    if (typeof value[0] === 'number') {
      const [x, y] = value as number[]
      w = Math.min(w, x)
      s = Math.min(s, y)
      e = Math.max(e, x)
      n = Math.max(n, y)
    } else value.forEach(visit)
  }
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => visit('coordinates' in g ? g.coordinates : null))
  else visit(geometry.coordinates)
  return Number.isFinite(w) ? [w, s, e, n] : null
}
