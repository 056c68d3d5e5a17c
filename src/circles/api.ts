// Typed wrappers of the service circles' API functions (supabase/migrations/*_circles.sql); what
// they return is typed in ./types.ts.
import { rpc, type AtlasClient } from '../data/client.ts'
import type { AtlasFeatureCollection, Bbox } from '../data/types.ts'
import type { WalkParams } from './engine/isochrone.ts'
import type { MultiPolygon } from 'geojson'
import type { CirclePointsJson, EnteredCompound, WalkGraphJson } from './engine/model.ts'
import type { CircleStatus, Coverage, NewProposal, Proposal } from './types.ts'

/** The stored circles of the minutes and speed (and the 5/10/15-minute bands when asked) in a box, simplified to half a pixel at a zoom. */
export function serviceCircles(client: AtlasClient, { minutes, speed }: WalkParams, bbox: Bbox, zoom: number, bands: boolean, signal?: AbortSignal): Promise<AtlasFeatureCollection> {
  const [west, south, east, north] = bbox
  return rpc(client, 'service_circles', { minutes, speed, west, south, east, north, zoom, bands }, signal)
}

/** Households and residents covered and not, for the city, its street offices and communities (or one community). */
export function coverage(client: AtlasClient, { minutes, speed }: WalkParams, community: string | null = null, signal?: AbortSignal): Promise<Coverage> {
  return rpc(client, 'coverage', { minutes, speed, community }, signal)
}

/** Residences outside the circles of a type (or of any basic type: 'basic'), as points. */
export function uncoveredResidences(client: AtlasClient, { minutes, speed }: WalkParams, facilityType: string, signal?: AbortSignal): Promise<AtlasFeatureCollection> {
  return rpc(client, 'uncovered_residences', { minutes, speed, facility_type: facilityType }, signal)
}

export function circleStatus(client: AtlasClient, signal?: AbortSignal): Promise<CircleStatus> {
  return rpc(client, 'circle_status', {}, signal)
}

/** What the engine needs: the walking network… */
export function walkGraph(client: AtlasClient): Promise<WalkGraphJson> {
  return rpc(client, 'walk_graph', {})
}

/** …and the facilities and residences as points. */
export function circlePoints(client: AtlasClient, signal?: AbortSignal): Promise<CirclePointsJson> {
  return rpc(client, 'circle_points', {}, signal)
}

/** The land of the compounds a trial facility's walk enters through a gate (the stored circles take it in too); null for none. */
export function compoundLand(client: AtlasClient, entered: readonly EnteredCompound[], signal?: AbortSignal): Promise<MultiPolygon | null> {
  return rpc(client, 'compound_land', { entered: entered.map((c) => [c.code, c.gate[0], c.gate[1], Math.round(c.remaining * 100) / 100]) }, signal)
}

export function saveProposal(client: AtlasClient, proposal: NewProposal): Promise<Proposal> {
  return rpc(client, 'save_proposal', { ...proposal })
}

export function proposals(client: AtlasClient, signal?: AbortSignal): Promise<Proposal[]> {
  return rpc(client, 'proposals', {}, signal)
}

export function removeProposal(client: AtlasClient, id: number): Promise<boolean> {
  return rpc(client, 'remove_proposal', { id })
}
