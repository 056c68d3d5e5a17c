// The base map: the atlas layers drawn at this zoom turned into deck.gl layers (unit fills,
// former villages, facilities) and MapLibre's style and sources (basemap, walking network,
// boundaries, labels), with the workspaces' own MapLibre layers placed under the labels.
import type { Layer } from '@deck.gl/core'
import type { Feature, FeatureCollection } from 'geojson'
import type { StyleSpecification } from 'maplibre-gl'
import { useMemo } from 'react'
import type { LayerStore } from '../data/layerStore.ts'
import type { Translate } from '../i18n/index.tsx'
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
  return { ...style, sources: Object.assign({}, style.sources, ...parts.map((part) => part.sources)), layers }
}

export interface BaseMapOptions {
  store: LayerStore | null
  drawn: MapLayer[]
  zoom: number
  basemap: BasemapChoice
  tiandituKey: string | undefined
  t: Translate
  workspaces: readonly WorkspaceDrawing[]
}

export function useBaseMap({ store, drawn, zoom, basemap, tiandituKey, t, workspaces }: BaseMapOptions) {
  const features = Object.fromEntries(drawn.map((layer) => [layer, featuresAt(store, layer, zoom)])) as Record<MapLayer, ReturnType<typeof featuresAt>>
  const basemapFeatures = featuresAt(store, 'basemap', zoom)
  const version = store?.getVersion() ?? 0
  const atlasBasemap = basemap === 'atlas' || (basemap === 'tianditu' && !tiandituKey)

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
    // features change only with the store's version
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, drawn, Math.round(zoom * 2)])
  const boundaryKey = JSON.stringify(boundaries)
  const walkDrawn = drawn.includes('walk_edge')

  const labels = useMemo(() => {
    const parts = []
    for (const layer of ['street', 'community', 'grid'] as const) if (drawn.includes(layer) && features[layer]) parts.push(labelFeatures(layer, features[layer]))
    parts.push(labelFeatures('basemap', basemapFeatures.filter((f) => f.properties?.kind !== 'outline' && f.properties?.kind !== 'city')))
    return labelCollection(parts)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, drawn])

  const basemapCollection = collectionOf(basemapFeatures)
  const workspaceData = workspaces.map((w) => w.data ?? {})
  const sources = useMemo(() => {
    const all: Record<string, FeatureCollection> = { atlas: basemapCollection, labels }
    for (const layer of unitLayerNames) all[boundarySource(layer)] = drawn.includes(layer) ? collectionOf(features[layer]) : emptyCollection
    all[walkSource] = drawn.includes('walk_edge') ? collectionOf(features.walk_edge) : emptyCollection
    return Object.assign(all, ...workspaceData)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [basemapCollection, labels, version, drawn, ...workspaceData.flatMap((data) => Object.values(data))])

  // the workspaces' layers by value: a new object with the same layers must not restyle the map
  const workspaceStyles = workspaces.flatMap((w) => (w.style ? [w.style] : []))
  const workspaceKey = JSON.stringify(workspaceStyles)
  const style = useMemo(
    () =>
      withWorkspaces(
        basemapStyle({ choice: atlasBasemap ? 'atlas' : basemap, tiandituKey, basemap: emptyCollection, labels: emptyCollection, boundaries, walk: walkDrawn, t }),
        workspaceStyles,
      ),
    // the boundaries by value: a new object with the same lines must not restyle the map
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [atlasBasemap, basemap, tiandituKey, t, boundaryKey, walkDrawn, workspaceKey],
  )
  return { deckLayers, sources, style, atlasBasemap }
}
