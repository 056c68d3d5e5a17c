// Typed wrappers of the API functions the map calls.
import type { LayerName } from '../shared/layers.ts'
import { rpc, type AtlasClient } from './client.ts'
import type { Access, Bbox, LayerCollection, LayerStats, SearchHit, UnitRecord } from './types.ts'

export function mapLayer(client: AtlasClient, layer: LayerName, bbox: Bbox, zoom: number, signal?: AbortSignal): Promise<LayerCollection> {
  const [west, south, east, north] = bbox
  return rpc(client, 'map_layer', { layer, west, south, east, north, zoom }, signal)
}

export function unitRecord(client: AtlasClient, layer: LayerName, code: string): Promise<UnitRecord> {
  return rpc(client, 'unit_record', { layer, code })
}

export function searchUnits(client: AtlasClient, query: string, maxResults = 10, signal?: AbortSignal): Promise<SearchHit[]> {
  return rpc(client, 'search_units', { query, max_results: maxResults }, signal)
}

export function layerStats(client: AtlasClient): Promise<LayerStats> {
  return rpc(client, 'layer_stats', {})
}

/** The caller's role and what row level security lets it write, layer by layer. */
export function myAccess(client: AtlasClient): Promise<Access> {
  return rpc(client, 'my_access', {})
}
