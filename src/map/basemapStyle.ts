// The basemap as a MapLibre style. The default is drawn from the project's own data (county
// outline, river, water, parks), so the map works with no network at all; OpenStreetMap and
// Tianditu are raster choices for those online. Labels of units always come from the atlas.
//
// No `glyphs` URL: MapLibre (≥ 5.11) then draws every glyph in the browser with TinySDF from the
// named fonts, so Chinese and English labels need no font server.
import type { FeatureCollection } from 'geojson'
import type { FilterSpecification, LayerSpecification, SourceSpecification, StyleSpecification, SymbolLayerSpecification } from 'maplibre-gl'
import type { Translate } from '../i18n/index.ts'
import { basemapColors, cssColor } from '../layers/palette.ts'
import { overlaysBelow } from '../layers/order.ts'
import { unitLayerNames, type Boundary, type UnitLayerName } from '../layers/unitLayer.ts'
import { walkSource, walkStyleLayers } from '../layers/walkLayer.ts'
import { layerZooms } from '../layers/zoom.ts'
import type { BasemapChoice } from '../app/urlState.ts'

export const labelFont = ['Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif']
export const localIdeographFont = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


const empty: FeatureCollection = { type: 'FeatureCollection', features: [] }

export interface BasemapOptions {
  choice: BasemapChoice
  tiandituKey?: string
  basemap: FeatureCollection
  labels: FeatureCollection
  /** The boundary of each unit layer drawn; the others' boundary layers are hidden. */
  boundaries: Partial<Record<UnitLayerName, Boundary>>
  /** Whether the walking network is drawn (switched on; its own zoom range applies). */
  walk: boolean
  /** Who the city's data are from (its profile); '' for the product's own name. */
  attribution: string
  t: Translate
}

/** The GeoJSON source of a unit layer's boundaries. */
export const boundarySource = (layer: UnitLayerName) => `boundary-${layer}`

function rasterSource(tiles: string[], attribution: string, maxzoom = 19): SourceSpecification {
  return { type: 'raster', tiles, tileSize: 256, maxzoom, attribution }
}

/** Tianditu's Web-Mercator WMTS tiles (CGCS2000: WGS-84 at map scale), over its 8 hosts. */
function tiandituTiles(layer: 'vec' | 'cva', key: string): string[] {
  return [0, 1, 2, 3, 4, 5, 6, 7].map(
    (n) =>
      `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  )
}

const kind = (k: string): FilterSpecification => ['==', ['get', 'kind'], k]

export function basemapStyle({ choice, tiandituKey, basemap, labels, boundaries, walk, attribution, t }: BasemapOptions): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    atlas: { type: 'geojson', data: basemap ?? empty, attribution: t('attribution.local', { source: attribution || t('attribution.product') }) },
    labels: { type: 'geojson', data: labels ?? empty },
  }
  for (const layer of unitLayerNames) sources[boundarySource(layer)] = { type: 'geojson', data: empty }
  sources[walkSource] = { type: 'geojson', data: empty, promoteId: 'code' }
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': basemapColors.background } }]

  if (choice === 'osm') {
    sources.raster = rasterSource(['https://tile.openstreetmap.org/{z}/{x}/{y}.png'], t('attribution.osm'))
    layers.push({ id: 'raster', type: 'raster', source: 'raster' })
  } else if (choice === 'tianditu' && tiandituKey) {
    sources.raster = rasterSource(tiandituTiles('vec', tiandituKey), t('attribution.tianditu'), 18)
    sources.rasterLabels = rasterSource(tiandituTiles('cva', tiandituKey), t('attribution.tianditu'), 18)
    layers.push({ id: 'raster', type: 'raster', source: 'raster' }, { id: 'raster-labels', type: 'raster', source: 'rasterLabels' })
  } else {
    layers.push(
      { id: 'land', type: 'fill', source: 'atlas', filter: kind('outline'), paint: { 'fill-color': basemapColors.land } },
      { id: 'park', type: 'fill', source: 'atlas', filter: kind('park'), paint: { 'fill-color': basemapColors.park } },
      { id: 'water', type: 'fill', source: 'atlas', filter: kind('water'), paint: { 'fill-color': basemapColors.water } },
      { id: 'river', type: 'fill', source: 'atlas', filter: kind('river'), paint: { 'fill-color': basemapColors.river } },
    )
  }
  layers.push({
    id: 'outline',
    type: 'line',
    source: 'atlas',
    filter: kind('outline'),
    paint: { 'line-color': basemapColors.outline, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 14, 2.5], 'line-dasharray': [4, 2] },
  })

  // The walking network over the unit fills, then the unit boundaries, finest first so coarser
  // ones lie on top (deck.gl's fills are drawn below the first of these: layers/order.ts).
  layers.push(...walkStyleLayers(walk, layerZooms.walk_edge.minZoom))
  for (const layer of unitLayerNames) {
    const boundary = boundaries[layer]
    layers.push({
      id: boundarySource(layer),
      type: 'line',
      source: boundarySource(layer),
      layout: { visibility: boundary ? 'visible' : 'none', 'line-join': 'round' },
      paint: { 'line-color': cssColor(boundary?.color ?? [0, 0, 0, 255]), 'line-width': boundary?.width ?? 1 },
    })
  }

  // Unit labels: a label appears from the zoom at which it fits inside its polygon (computed
  // per feature, `minzoom`), and MapLibre keeps labels from colliding. Layers higher in the stack
  // place first: communities win over grids and water, and all of them over street offices.
  const text = (size: [number, number, number, number]): SymbolLayerSpecification['layout'] => ({
    'text-field': ['get', 'name'],
    'text-font': labelFont,
    'text-size': ['interpolate', ['linear'], ['zoom'], size[0], size[1], size[2], size[3]],
    'text-max-width': 8,
    'text-padding': 3,
    'text-allow-overlap': false,
    'text-ignore-placement': false,
  })
  layers.push(
    {
      id: overlaysBelow, // 'label-street', the lowest label layer
      type: 'symbol',
      source: 'labels',
      maxzoom: 12.5,
      filter: ['==', ['get', 'layer'], 'street'],
      layout: text([8, 12, 12, 16]),
      paint: { 'text-color': '#34404f', 'text-halo-color': 'rgba(255,255,255,0.95)', 'text-halo-width': 2 },
    },
    {
      id: 'label-grid',
      type: 'symbol',
      source: 'labels',
      minzoom: 13,
      filter: ['all', ['==', ['get', 'layer'], 'grid'], ['>=', ['zoom'], ['get', 'minzoom']]],
      layout: { ...text([13, 11, 17, 14]), 'symbol-sort-key': ['get', 'rank'] },
      paint: { 'text-color': '#1f3d35', 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.4 },
    },
    {
      id: 'label-water',
      type: 'symbol',
      source: 'labels',
      minzoom: 11,
      filter: ['==', ['get', 'layer'], 'basemap'],
      layout: { 'text-field': ['get', 'name'], 'text-font': labelFont, 'text-size': 12, 'symbol-placement': 'point', 'text-padding': 4 },
      paint: { 'text-color': '#2f6f97', 'text-halo-color': 'rgba(255,255,255,0.85)', 'text-halo-width': 1.2 },
    },
    {
      id: 'label-community',
      type: 'symbol',
      source: 'labels',
      minzoom: 10.5,
      filter: ['all', ['==', ['get', 'layer'], 'community'], ['>=', ['zoom'], ['get', 'minzoom']]],
      layout: { ...text([11, 12, 16, 17]), 'symbol-sort-key': ['get', 'rank'] },
      paint: { 'text-color': '#3b2412', 'text-halo-color': 'rgba(255,255,255,0.95)', 'text-halo-width': 1.8 },
    },
  )
  return { version: 8, name: `atlas-${choice}`, sources, layers }
}
