// What the map needs from the backend at the current view: each drawn layer (and the basemap)
// tile by tile through the layer store, and the features of each at its level of detail.
import { useEffect, useMemo, useSyncExternalStore } from 'react'
import { mapLayer } from '../data/api.ts'
import type { AtlasClient } from '../data/client.ts'
import { LayerStore, type LayerRequest } from '../data/layerStore.ts'
import { tilesCovering } from '../data/tiles.ts'
import type { AtlasFeature, Bbox } from '../data/types.ts'
import { fetchLevel, layerZooms, type MapLayer } from '../layers/zoom.ts'

export function useLayerStore(client: AtlasClient | null): LayerStore | null {
  const store = useMemo(() => (client ? new LayerStore((layer, bbox, detailZoom) => mapLayer(client, layer, bbox, detailZoom)) : null), [client])
  useSyncExternalStore(store?.subscribe ?? noopSubscribe, store?.getVersion ?? zero)
  return store
}
const noopSubscribe = () => () => {}
const zero = () => 0

export function requestFor(layer: MapLayer | 'basemap', bounds: Bbox, zoom: number): LayerRequest {
  const level = fetchLevel(layer, zoom)
  return { layer, detailZoom: level.detailZoom, tiles: tilesCovering(bounds, level.tileZoom) }
}

/**
 * Asks the store for what the view shows, and the basemap under it; nothing is fetched for a
 * layer that is not drawn.
 */
export function useWantedTiles(store: LayerStore | null, bounds: Bbox | null, zoom: number, drawn: readonly MapLayer[], generation: unknown): LayerRequest[] {
  const key = bounds ? `${bounds.map((v) => v.toFixed(5)).join(',')}|${zoom.toFixed(2)}|${drawn.join(',')}` : ''
  const requests = useMemo(() => {
    if (!bounds) return []
    return [...drawn.map((layer) => requestFor(layer, bounds, zoom)), requestFor('basemap', bounds, zoom)]
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key says everything the requests depend on; bounds and drawn arrive as new arrays at every render, and a new list of requests re-asks the store for every tile
  }, [key])
  useEffect(() => {
    store?.want(requests)
  }, [store, requests, generation])
  return requests
}

/** A layer's features at the level of detail of this zoom, or of another level while it loads. */
export function featuresAt(store: LayerStore | null, layer: MapLayer | 'basemap', zoom: number): AtlasFeature[] {
  if (!store) return []
  const here = store.features(layer, fetchLevel(layer, zoom).detailZoom)
  if (here.length) return here
  for (const level of layerZooms[layer].levels) {
    const other = store.features(layer, level.detailZoom)
    if (other.length) return other
  }
  return here
}
