// Typed wrappers of the service circles' API functions (supabase/migrations/*_circles.sql).
import { rpc, type AtlasClient } from '../data/client.ts'
import type { AtlasFeatureCollection, Bbox } from '../data/types.ts'
import type { CirclePointsJson, WalkGraphJson } from './engine/model.ts'

export interface WalkParams {
  minutes: number
  /** metres a minute on level ground */
  speed: number
}

export interface CoverageFigures {
  households_covered: number
  households_not_covered: number
  residents_covered: number
  residents_not_covered: number
  residences_covered: number | null
  residences_not_covered: number | null
}

/** Per facility type, and 'basic': inside the circle of every basic type. */
export type CoverageByType = Record<string, CoverageFigures>

export interface CircleStatus {
  circles: number
  circles_stale: number
  facilities_without_circle: number
  access_times: number
  access_times_stale: number
  residences_without_times: number
  computed_at: string | null
  params: Record<string, unknown> | null
  /** The minutes and speeds stored circles exist for. */
  circle_params: { minutes: number; speed_m_per_min: number }[]
  stale: boolean
}

export interface Coverage {
  params: { minutes: number; speed_m_per_min: number }
  basic_types: string[]
  city: CoverageByType
  streets: { code: string; name: string | null; coverage: CoverageByType }[]
  communities: { code: string; name: string | null; street_code: string | null; coverage: CoverageByType }[]
  status: CircleStatus
}

export interface Proposal {
  id: number
  name: string
  facility_type: string
  note: string | null
  minutes: number
  speed_m_per_min: number
  new_households: number
  new_residents: number
  created_by: string | null
  created_at: string
  lon: number
  lat: number
}

export interface NewProposal {
  name: string
  facility_type: string
  lon: number
  lat: number
  minutes: number
  speed: number
  new_households: number
  new_residents: number
  note: string | null
}

/** The stored circles of the minutes and speed (and the 5/10/15-minute bands when asked) in a box, simplified to half a pixel at a zoom. */
export function serviceCircles(client: AtlasClient, { minutes, speed }: WalkParams, bbox: Bbox, zoom: number, bands: boolean, signal?: AbortSignal): Promise<AtlasFeatureCollection> {
  const [west, south, east, north] = bbox
  return rpc<AtlasFeatureCollection>(client, 'service_circles', { minutes, speed, west, south, east, north, zoom, bands }, signal)
}

/** Households and residents covered and not, for the city, its street offices and communities (or one community). */
export function coverage(client: AtlasClient, { minutes, speed }: WalkParams, community: string | null = null, signal?: AbortSignal): Promise<Coverage> {
  return rpc<Coverage>(client, 'coverage', { minutes, speed, community }, signal)
}

/** Residences outside the circles of a type (or of any basic type: 'basic'), as points. */
export function uncoveredResidences(client: AtlasClient, { minutes, speed }: WalkParams, facilityType: string, signal?: AbortSignal): Promise<AtlasFeatureCollection> {
  return rpc<AtlasFeatureCollection>(client, 'uncovered_residences', { minutes, speed, facility_type: facilityType }, signal)
}

export function circleStatus(client: AtlasClient, signal?: AbortSignal): Promise<CircleStatus> {
  return rpc<CircleStatus>(client, 'circle_status', {}, signal)
}

/** What the engine needs: the walking network… */
export function walkGraph(client: AtlasClient): Promise<WalkGraphJson> {
  return rpc<WalkGraphJson>(client, 'walk_graph')
}

/** …and the facilities and residences as points. */
export function circlePoints(client: AtlasClient, signal?: AbortSignal): Promise<CirclePointsJson> {
  return rpc<CirclePointsJson>(client, 'circle_points', {}, signal)
}

export function saveProposal(client: AtlasClient, proposal: NewProposal): Promise<Proposal> {
  return rpc<Proposal>(client, 'save_proposal', { ...proposal })
}

export function proposals(client: AtlasClient, signal?: AbortSignal): Promise<Proposal[]> {
  return rpc<Proposal[]>(client, 'proposals', {}, signal)
}

export function removeProposal(client: AtlasClient, id: number): Promise<boolean> {
  return rpc<boolean>(client, 'remove_proposal', { id })
}
