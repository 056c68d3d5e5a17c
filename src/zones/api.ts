// Typed wrappers of the 三不管 zones' API functions (supabase/migrations/*_zones.sql); what they
// return is typed in ./types.ts.
import { rpc, type AtlasClient } from '../data/client.ts'
import type { Arrangement, CoManagement, DecisionRecord, SettleResult, ZoneApplication, ZoneSummary, ZoneThresholds, ZonesResult } from './types.ts'

/** The zones found now, with the stored thresholds unless others are given; largest first. */
export function zones(client: AtlasClient, signal?: AbortSignal, withGeometry = true): Promise<ZonesResult> {
  return rpc(client, 'zones', { min_width_m: null, min_area_m2: null, with_geometry: withGeometry }, signal)
}

/** Open zones, their number and area, for the city and per street office and community. */
export function zoneSummary(client: AtlasClient, signal?: AbortSignal): Promise<ZoneSummary> {
  return rpc(client, 'zone_summary', {}, signal)
}

/** A planner names a zone's owner (one of its candidates), with a remark; `apply` merges or cuts the land too. */
export function settleZone(client: AtlasClient, zoneId: string, owner: string, remark: string | null, apply: boolean): Promise<SettleResult> {
  return rpc(client, 'settle_zone', { zone_id: zoneId, owner, remark, apply })
}

/** A planner applies the standing decision of a settled zone to the boundaries. */
export function applyZone(client: AtlasClient, zoneId: string): Promise<ZoneApplication> {
  return rpc(client, 'apply_zone', { zone_id: zoneId })
}

/** Every decision, newest first. */
export function zoneDecisions(client: AtlasClient, signal?: AbortSignal): Promise<DecisionRecord[]> {
  return rpc(client, 'zone_decisions', {}, signal)
}

/** A planner sets the noise thresholds; the answer is what was stored. */
export function setZoneSettings(client: AtlasClient, minWidthM: number, minAreaM2: number): Promise<ZoneThresholds> {
  return rpc(client, 'set_zone_settings', { min_width_m: minWidthM, min_area_m2: minAreaM2 })
}

/** The declared co-managed areas with their shared land, standing first, then the withdrawn. */
export function coManaged(client: AtlasClient, signal?: AbortSignal): Promise<CoManagement[]> {
  return rpc(client, 'co_managed', { with_geometry: true }, signal)
}

/** A planner declares a management area co-managed with a unit it lies in. */
export function declareCoManagement(client: AtlasClient, area: string, partner: string, arrangement: Arrangement, reason: string | null): Promise<CoManagement> {
  return rpc(client, 'declare_co_management', { area, partner, arrangement, reason })
}

/** A planner withdraws a declaration. */
export function withdrawCoManagement(client: AtlasClient, id: number, reason: string | null): Promise<CoManagement> {
  return rpc(client, 'withdraw_co_management', { id, reason })
}
