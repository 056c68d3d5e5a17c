// What the service-circle workspace draws. The stored circles are many (a circle and three
// life-circle bands for every facility: ~600 polygons, ~600,000 vertices in the sample city), so
// MapLibre draws them from one GeoJSON source it tiles and simplifies per zoom in its worker,
// with filters for the types and minutes shown; deck.gl's PathLayer would cost every frame in
// proportion to those vertices (README: who draws what). What changes under the pointer — the
// residences outside the circles, the proposed facility, its live circle, the residences it
// newly covers, the saved proposals — is deck.gl's.
import { drawnParts } from './display.ts'
import type { Layer } from '@deck.gl/core'
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers'
import type { Feature, MultiPolygon, Point } from 'geojson'
import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from 'maplibre-gl'
import type { WorkspaceStyle } from '../app/workspace.ts'
import type { AtlasFeature } from '../data/types.ts'
import { facilityTypes } from '../shared/layers.ts'
import { cssColor, facilityColors, facilityFallback, hex, type RGBA } from '../layers/palette.ts'
import type { MultiPolygonCoordinates } from './engine/contour.ts'
import type { Proposal } from './types.ts'

export const circlesSource = 'circles'

/** Residences outside the circles: a strong colour no facility type uses, so holes show at a glance. */
export const uncoveredColor: RGBA = hex('#d1007a')
/** Residences a proposed facility newly brings inside its circle. */
export const newlyColor: RGBA = hex('#00a651', 240)
export const circleFillOpacity = 0.14
/** The life-circle bands, lighter for longer. */
export const bandOpacity: Record<number, number> = { 5: 0.95, 10: 0.6, 15: 0.35 }

export const typeColor = (type: string): RGBA => facilityColors[type as keyof typeof facilityColors] ?? facilityFallback

/** A MapLibre colour by the feature's facility type. */
function colorByType(): ExpressionSpecification {
  const [first, ...later] = facilityTypes
  return ['match', ['get', 'type'], first, cssColor(facilityColors[first]), ...later.flatMap((type) => [type, cssColor(facilityColors[type])]), cssColor(facilityFallback)]
}

export interface CircleStyleOptions {
  open: boolean
  minutes: number
  types: readonly string[]
  bands: boolean
}

/** The stored circles as MapLibre layers: fill and outline of the chosen minutes, and the bands as rings. */
export function circleStyle({ open, minutes, types, bands }: CircleStyleOptions): WorkspaceStyle {
  const ofTypes: ExpressionSpecification = ['in', ['get', 'type'], ['literal', [...types]]]
  const circle: FilterSpecification = ['all', ['==', ['to-number', ['get', 'minutes']], minutes], ofTypes]
  const ringMinutes = [5, 10, 15].filter((m) => m !== minutes)
  const ring: FilterSpecification = ['all', ['in', ['to-number', ['get', 'minutes']], ['literal', ringMinutes]], ofTypes]
  const visibility = (on: boolean): 'visible' | 'none' => (on ? 'visible' : 'none')
  const layers: LayerSpecification[] = [
    {
      id: 'circles-fill',
      type: 'fill',
      source: circlesSource,
      filter: circle,
      layout: { visibility: visibility(open) },
      paint: { 'fill-color': colorByType(), 'fill-opacity': circleFillOpacity, 'fill-antialias': false },
    },
    {
      id: 'circles-band',
      type: 'line',
      source: circlesSource,
      filter: ring,
      layout: { visibility: visibility(open && bands), 'line-join': 'round' },
      paint: {
        'line-color': colorByType(),
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.8, 16, 1.6],
        'line-opacity': ['match', ['to-number', ['get', 'minutes']], 5, bandOpacity[5], 10, bandOpacity[10], bandOpacity[15]],
        'line-dasharray': [3, 2],
      },
    },
    {
      id: 'circles-line',
      type: 'line',
      source: circlesSource,
      filter: circle,
      layout: { visibility: visibility(open), 'line-join': 'round' },
      paint: { 'line-color': colorByType(), 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 16, 2.5] },
    },
  ]
  return { sources: { [circlesSource]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } }, layers }
}

const pointOf = (f: AtlasFeature) => (f.geometry as Point).coordinates as [number, number]
/** A residence's dot, metres: its area in proportion to its households (16 households: 14 m). */
export const residenceRadius = (households: number) => 3.5 * Math.sqrt(households || 1)

/**
 * Residences outside the circles, the area of each dot in proportion to its households; at city
 * zoom no smaller than a speck, so that thousands of them leave the circles visible.
 */
export function uncoveredLayer(features: readonly AtlasFeature[], zoom: number): Layer {
  const city = zoom < 13
  return new ScatterplotLayer<AtlasFeature>({
    id: 'circles/uncovered',
    data: features as AtlasFeature[],
    getPosition: pointOf,
    getRadius: (f) => residenceRadius(Number(f.properties.households)),
    radiusUnits: 'meters',
    radiusMinPixels: city ? 1.3 : 2.5,
    radiusMaxPixels: 12,
    getFillColor: uncoveredColor,
    stroked: !city,
    getLineColor: [255, 255, 255, 200],
    lineWidthUnits: 'pixels',
    getLineWidth: 0.6,
    pickable: true,
  })
}

export interface ResidencePoint {
  position: [number, number]
  households: number
  residents: number
  code: string
}

/** The residences a proposal newly covers, over the uncovered ones. */
export function newlyLayer(id: string, residences: readonly ResidencePoint[]): Layer {
  return new ScatterplotLayer<ResidencePoint>({
    id,
    data: residences as ResidencePoint[],
    getPosition: (r) => r.position,
    getRadius: (r) => residenceRadius(r.households) + 1,
    radiusUnits: 'meters',
    radiusMinPixels: 3,
    radiusMaxPixels: 13,
    getFillColor: newlyColor,
    stroked: true,
    getLineColor: [255, 255, 255, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
  })
}

/** The ink of what is proposed, not built: the live circle's outline and the saved proposals' ring. */
export const proposedInk: RGBA = hex('#1d2733')

/**
 * A proposal's live circle, drawn as the stored ones are (display.ts): its type's colour,
 * stronger, inside a dark outline that sets it apart from the circles of what is built.
 */
export function proposedCircleLayer(id: string, polygon: MultiPolygonCoordinates, type: string): Layer {
  const color = typeColor(type)
  const feature: Feature<MultiPolygon> = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: drawnParts(polygon) } }
  return new GeoJsonLayer({
    id,
    data: [feature],
    filled: true,
    stroked: true,
    getFillColor: [color[0], color[1], color[2], 80],
    getLineColor: proposedInk,
    getLineWidth: 2.5,
    lineWidthUnits: 'pixels',
  })
}

/** The facility being tried: a large dot in its type's colour with a white ring, to drag. */
/** The marker's radius in pixels: a press this near starts a drag. */
export const markerRadius = 10
export function markerLayer(position: [number, number], type: string): Layer {
  return new ScatterplotLayer<{ position: [number, number] }>({
    id: 'circles/whatif-marker',
    data: [{ position }],
    getPosition: (d) => d.position,
    getRadius: markerRadius,
    radiusUnits: 'pixels',
    getFillColor: typeColor(type),
    stroked: true,
    getLineColor: [255, 255, 255, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
  })
}

/** Saved proposals, everyone's: a dot in the type's colour ringed in dark ink (not built yet). */
export function proposalsLayer(proposals: readonly Proposal[], highlighted: number | null): Layer {
  return new ScatterplotLayer<Proposal>({
    id: 'circles/proposals',
    data: proposals as Proposal[],
    getPosition: (p) => [p.lon, p.lat],
    getRadius: (p) => (p.id === highlighted ? 9 : 7),
    radiusUnits: 'pixels',
    getFillColor: (p) => typeColor(p.facility_type),
    stroked: true,
    getLineColor: proposedInk,
    lineWidthUnits: 'pixels',
    getLineWidth: 2.5,
    pickable: true,
    updateTriggers: { getRadius: highlighted },
  })
}
