// Typed wrappers of what the leader's view reads: public.indicators() (supabase/migrations/*_leader.sql)
// and the communities' and street offices' polygons, once, for the whole city.
import type { FeatureCollection } from 'geojson'
import { layerStats, mapLayer } from '../data/api.ts'
import { rpc, type AtlasClient } from '../data/client.ts'
import type { Bbox } from '../data/types.ts'
import { defaultWalk } from '../shared/defaults.ts'
import type { Indicators } from './types.ts'

/**
 * Simplified for this zoom (half a pixel there, about 2 m): the choropleth stays true when a
 * community is zoomed to, at a small fraction of the full geometry.
 */
export const shapesDetailZoom = 15

export function indicators(client: AtlasClient, minutes = defaultWalk.minutes, speed = defaultWalk.speed, signal?: AbortSignal): Promise<Indicators> {
  return rpc(client, 'indicators', { minutes, speed }, signal)
}

export interface CityShapes {
  bbox: Bbox
  communities: FeatureCollection
  streets: FeatureCollection
}

/** The city's communities and street offices, for the city's extent. */
export async function cityShapes(client: AtlasClient, signal?: AbortSignal): Promise<CityShapes | null> {
  const stats = await layerStats(client)
  if (!stats.bbox) return null
  const [communities, streets] = await Promise.all([
    mapLayer(client, 'community', stats.bbox, shapesDetailZoom, signal),
    mapLayer(client, 'street', stats.bbox, shapesDetailZoom, signal),
  ])
  return { bbox: stats.bbox, communities, streets }
}
