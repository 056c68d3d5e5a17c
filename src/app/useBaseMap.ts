// The base map: the atlas layers drawn at this zoom turned into deck.gl layers (unit fills,
// former villages, facilities) and MapLibre's style and sources (basemap, walking network,
// boundaries, labels), with the workspaces' own MapLibre layers placed under the labels.
import type { Layer } from '@deck.gl/core'
import type { Feature, FeatureCollection } from 'geojson'
import type { StyleSpecification } from 'maplibre-gl'
import { useMemo } from 'react'
import type { LayerStore } from '../data/layerStore.ts'
import type { Translate } from '../i18n/index.ts'
import { communityLayers } from '../layers/communityLayer.ts'
import type { LayerContext } from '../layers/context.ts'
import { facilityLayers } from '../layers/facilityLayer.ts'
import { formerVillageLayers } from '../layers/formerVillageLayer.ts'
import { gridLayers } from '../layers/gridLayer.ts'
import { labelCollection, labelFeatures } from '../layers/labels.ts'
import { microGridLayers } from '../layers/microGridLayer.ts'
import { overlaysBelow } from '../layers/order.ts'
import { streetLayers } from '../layers/streetLayer.ts'
import { unitLayerNames, type Boundary, type UnitDrawing, type UnitLayerName } from '../layers/unitLayer.ts'
import { walkSource } from '../layers/walkLayer.ts'
import type { MapLayer } from '../layers/zoom.ts'
import { basemapStyle, boundarySource } from '../map/basemapStyle.ts'
import { featuresAt } from './useMapData.ts'
import type { BasemapChoice } from './urlState.ts'
import type { WorkspaceDrawing, WorkspaceStyle } from './workspace.ts'

export const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] }

// One collection per array of features, so the map is handed the same object until the data
// changes and re-tiles nothing it already has.
const collections = new WeakMap<readonly Feature[], FeatureCollection>()
function collectionOf(features: readonly Feature[] | undefined): FeatureCollection {
  if (!features || !features.length) return emptyCollection
  let collection = collections.get(features)
  if (!collection) collections.set(features, (collection = { type: 'FeatureCollection', features: features as Feature[] }))
  return collection
}

/** A style with the workspaces' sources added and their layers under the labels. */
function withWorkspaces(style: StyleSpecification, parts: readonly WorkspaceStyle[]): StyleSpecification {
  if (!parts.length) return style
  const at = style.layers.findIndex((layer) => layer.id === overlaysBelow)
  const layers = [...style.layers]
  layers.splice(at < 0 ? layers.length : at, 0, ...parts.flatMap((part) => part.layers))
  const sources = { ...style.sources }
  for (const part of parts) Object.assign(sources, part.sources)
  return { ...style, sources, layers }
}

export interface BaseMapOptions {
  store: LayerStore | null
  drawn: MapLayer[]
  zoom: number
  basemap: BasemapChoice
  tiandituKey: string | undefined
  /** Who the city's data are from (its profile). */
  attribution: string
  t: Translate
  workspaces: readonly WorkspaceDrawing[]
}

export function useBaseMap({ store, drawn, zoom, basemap, tiandituKey, attribution, t, workspaces }: BaseMapOptions) {
  const features = Object.fromEntries(drawn.map((layer) => [layer, featuresAt(store, layer, zoom)])) as Record<MapLayer, ReturnType<typeof featuresAt>>
  const basemapFeatures = featuresAt(store, 'basemap', zoom)
  const version = store?.getVersion() ?? 0
  const atlasBasemap = basemap === 'atlas' || (basemap === 'tianditu' && !tiandituKey)
  // the layers' styles change at a few zoom levels: they are rebuilt at each half level, not at every zoom change
  const zoomStep = Math.round(zoom * 2)

  const { deckLayers, boundaries } = useMemo(() => {
    const context: LayerContext = { drawn, zoom }
    const out: Layer[] = []
    const lines: Partial<Record<UnitLayerName, Boundary>> = {}
    const unit = (layer: UnitLayerName, drawing: UnitDrawing) => {
      out.push(...drawing.layers)
      lines[layer] = drawing.boundary
    }
    for (const layer of drawn) {
      const data = features[layer]
      if (layer === 'street') unit(layer, streetLayers(data, context))
      if (layer === 'community') unit(layer, communityLayers(data, context))
      if (layer === 'grid') unit(layer, gridLayers(data, context))
      if (layer === 'micro_grid') unit(layer, microGridLayers(data, context))
      if (layer === 'former_village') out.push(...formerVillageLayers(data))
      if (layer === 'facility') out.push(...facilityLayers(data, context))
    }
    // over the fills (and MapLibre's walking network and boundaries): former villages, then points
    const order = (id: string) => (id.endsWith('/fill') ? 0 : id.startsWith('former_village') ? 1 : 2)
    return { deckLayers: out.sort((a, b) => order(a.id) - order(b.id)), boundaries: lines }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the features are the store's, which changes them in place and says so by its version; the zoom counts by its step
  }, [version, drawn, zoomStep])
  const boundaryKey = JSON.stringify(boundaries)
  const walkDrawn = drawn.includes('walk_edge')

  const labels = useMemo(() => {
    const parts = []
    for (const layer of ['street', 'community', 'grid'] as const) if (drawn.includes(layer) && features[layer]) parts.push(labelFeatures(layer, features[layer]))
    parts.push(labelFeatures('basemap', basemapFeatures.filter((f) => f.properties?.kind !== 'outline' && f.properties?.kind !== 'city')))
    return labelCollection(parts)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the features are the store's, which changes them in place and says so by its version
  }, [version, drawn])

  // Every source's data is the same object until it changes (collectionOf, the workspaces' own
  // memos): the map sets again only the sources whose data is new.
  const sources: Record<string, FeatureCollection | string> = { atlas: collectionOf(basemapFeatures), labels }
  for (const layer of unitLayerNames) sources[boundarySource(layer)] = drawn.includes(layer) ? collectionOf(features[layer]) : emptyCollection
  sources[walkSource] = drawn.includes('walk_edge') ? collectionOf(features.walk_edge) : emptyCollection
  for (const workspace of workspaces) Object.assign(sources, workspace.data)

  // the workspaces' layers by value: a new object with the same layers must not restyle the map
  const workspaceStyles = workspaces.flatMap((w) => (w.style ? [w.style] : []))
  const workspaceKey = JSON.stringify(workspaceStyles)
  // the boundaries by value too: a new object with the same lines must not restyle the map
  const style = useMemo(
    () =>
      withWorkspaces(
        basemapStyle({
          choice: atlasBasemap ? 'atlas' : basemap,
          tiandituKey,
          basemap: emptyCollection,
          labels: emptyCollection,
          boundaries: JSON.parse(boundaryKey) as Partial<Record<UnitLayerName, Boundary>>,
          walk: walkDrawn,
          attribution,
          t,
        }),
        JSON.parse(workspaceKey) as WorkspaceStyle[],
      ),
    [atlasBasemap, basemap, tiandituKey, attribution, t, boundaryKey, walkDrawn, workspaceKey],
  )
  return { deckLayers, sources, style, atlasBasemap }
}
