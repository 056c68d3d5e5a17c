// Typed wrappers of the 三不管 zones' API functions (supabase/migrations/*_zones.sql).
import type { Geometry } from 'geojson'
import { rpc, type AtlasClient } from '../data/client.ts'
import type { Bbox } from '../data/types.ts'

export type ZoneKind = 'gap' | 'overlap'
export type ZoneLevel = 'street' | 'community' | 'grid' | 'micro_grid' | 'management'
export type ZoneStatus = 'open' | 'noise' | 'settled'
export const zoneLevels: readonly ZoneLevel[] = ['street', 'community', 'grid', 'micro_grid', 'management']

export interface ZoneSettings {
  min_width_m: number
  min_area_m2: number
  /** Pieces thinner than this are arithmetic residue and never reported. */
  residue_m: number
  nesting_tolerance_m: number
}

export interface ZoneCandidate {
  layer: string
  code: string
  name: string | null
  relation: 'borders' | 'claims' | 'encloses'
  same_parent: boolean
  /** The border it shares with the zone; null for a unit that only encloses it. */
  border_m: number | null
  area_m2: number
}

export interface ZoneDecision {
  id: number
  owner_layer: string
  owner_code: string
  remark: string | null
  decided_by: string | null
  decided_at: string
}

export interface Zone {
  id: string
  kind: ZoneKind
  level: ZoneLevel
  parent: { layer: string; code: string } | null
  area_m2: number
  width_m: number
  status: ZoneStatus
  units: string[]
  claimants: string[] | null
  suggested_owner: string | null
  reason: string
  reason_zh: string
  candidates: ZoneCandidate[]
  decision: ZoneDecision | null
  label: [number, number]
  bbox: Bbox
  geometry?: Geometry
}

/** A unit sticking out of its parent: the piece outside is the geometry. */
export interface NestingViolation {
  layer: string
  code: string
  name: string | null
  parent_layer: string
  parent_code: string
  outside_m2: number
  geometry?: Geometry
}

export interface ZonesResult {
  settings: ZoneSettings
  skipped: { level: string; why: string }[]
  zones: Zone[]
  nesting: NestingViolation[]
  computed_at: string
}

export interface ZoneFigures {
  open: number
  open_m2: number
  settled: number
  noise: number
}

export interface ZoneSummary {
  city: ZoneFigures
  streets: ({ code: string; name: string | null } & ZoneFigures)[]
  communities: { code: string; name: string | null; street_code: string | null; open: number; open_m2: number }[]
}

export interface SettleResult {
  zone: string
  decision: number
  owner: string
  owner_layer: string
  suggested_owner: string | null
  applied: boolean
  changed?: unknown
}

export interface DecisionRecord {
  id: number
  zone_id: string
  kind: ZoneKind
  level: ZoneLevel
  area_m2: number
  owner_layer: string
  owner_code: string
  suggested_owner: string | null
  remark: string | null
  decided_by: string | null
  decided_at: string
  applied_at: string | null
  applied_by: string | null
  superseded_at: string | null
}

/** The zones found now, with the stored thresholds unless others are given; largest first. */
export function zones(client: AtlasClient, signal?: AbortSignal, withGeometry = true): Promise<ZonesResult> {
  return rpc<ZonesResult>(client, 'zones', { min_width_m: null, min_area_m2: null, with_geometry: withGeometry }, signal)
}

/** Open zones, their number and area, for the city and per street office and community. */
export function zoneSummary(client: AtlasClient, signal?: AbortSignal): Promise<ZoneSummary> {
  return rpc<ZoneSummary>(client, 'zone_summary', {}, signal)
}

/** A planner names a zone's owner (one of its candidates), with a remark; `apply` merges or cuts the land too. */
export function settleZone(client: AtlasClient, zoneId: string, owner: string, remark: string | null, apply: boolean): Promise<SettleResult> {
  return rpc<SettleResult>(client, 'settle_zone', { zone_id: zoneId, owner, remark, apply })
}

/** A planner applies the standing decision of a settled zone to the boundaries. */
export function applyZone(client: AtlasClient, zoneId: string): Promise<SettleResult> {
  return rpc<SettleResult>(client, 'apply_zone', { zone_id: zoneId })
}

/** Every decision, newest first. */
export function zoneDecisions(client: AtlasClient, signal?: AbortSignal): Promise<DecisionRecord[]> {
  return rpc<DecisionRecord[]>(client, 'zone_decisions', {}, signal)
}

/** A planner sets the noise thresholds; the answer is what was stored. */
export function setZoneSettings(client: AtlasClient, minWidthM: number, minAreaM2: number): Promise<Pick<ZoneSettings, 'min_width_m' | 'min_area_m2'>> {
  return rpc<Pick<ZoneSettings, 'min_width_m' | 'min_area_m2'>>(client, 'set_zone_settings', { min_width_m: minWidthM, min_area_m2: minAreaM2 })
}
