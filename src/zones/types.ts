// What the 三不管 zones' API functions return (supabase/migrations/*_zones.sql and the migrations
// that replace its functions), declared once for the page, the command line, the report and the
// tests. A field is nullable exactly where the SQL can give null.
import type { Geometry } from 'geojson'
import type { Bbox } from '../data/types.ts'

export type ZoneKind = 'gap' | 'overlap'
export type ZoneLevel = 'street' | 'community' | 'grid' | 'micro_grid' | 'management'
export type ZoneStatus = 'open' | 'noise' | 'settled'
export const zoneLevels: readonly ZoneLevel[] = ['street', 'community', 'grid', 'micro_grid', 'management']

/** The layers a zone's parent, candidates and owner come from: the city encloses a street-level gap. */
export type ZoneUnitLayer = 'city' | 'street' | 'community' | 'grid' | 'micro_grid' | 'management_area'

export interface ZoneSettings {
  min_width_m: number
  min_area_m2: number
  /** Pieces thinner than this are arithmetic residue and never reported. */
  residue_m: number
  nesting_tolerance_m: number
}

/** What set_zone_settings() stored. */
export type ZoneThresholds = Pick<ZoneSettings, 'min_width_m' | 'min_area_m2'>

export interface ZoneCandidate {
  layer: ZoneUnitLayer
  code: string
  /** Every unit has a name; the city's is its code when it has none. */
  name: string
  relation: 'borders' | 'claims' | 'encloses'
  same_parent: boolean
  /** The border it shares with the zone; null for a unit that only encloses it. */
  border_m: number | null
  area_m2: number
}

export interface ZoneDecision {
  id: number
  owner_layer: ZoneUnitLayer
  owner_code: string
  remark: string | null
  decided_by: string
  decided_at: string
}

export interface Zone {
  /** g-0123456789 (a gap) or o-0123456789 (an overlap), stable while its land stays the same. */
  id: string
  kind: ZoneKind
  level: ZoneLevel
  /** What encloses it: a gap's parent, or the street office its land lies in; null when nothing does. */
  parent: { layer: ZoneUnitLayer; code: string } | null
  area_m2: number
  width_m: number
  status: ZoneStatus
  /** The candidates' codes, best first. */
  units: string[]
  /** The units that claim an overlap; null for a gap. */
  claimants: string[] | null
  /** The first candidate; null when nothing borders, claims or encloses the zone. */
  suggested_owner: string | null
  reason: string
  reason_zh: string
  candidates: ZoneCandidate[]
  decision: ZoneDecision | null
  /** A point inside it, [lon, lat]. */
  label: [number, number]
  bbox: Bbox
  /** With with_geometry only. */
  geometry?: Geometry
}

/** A unit sticking out of its parent: the piece outside is the geometry. */
export interface NestingViolation {
  layer: 'community' | 'grid' | 'micro_grid'
  code: string
  name: string
  parent_layer: 'street' | 'community' | 'grid'
  parent_code: string
  outside_m2: number
  /** With with_geometry only. */
  geometry?: Geometry
}

export interface ZonesResult {
  settings: ZoneSettings
  /** The levels detection could not check, and why. */
  skipped: { level: ZoneLevel; why: string }[]
  /** Largest first. */
  zones: Zone[]
  nesting: NestingViolation[]
  computed_at: string
}

export interface ZoneFigures {
  open: number
  open_m2: number
  settled: number
  noise: number
  /** Standing co-management declarations whose shared land lies here, and that land (counted once). */
  declared: number
  declared_m2: number
}

export interface ZoneSummary {
  city: ZoneFigures
  streets: ({ code: string; name: string } & ZoneFigures)[]
  communities: { code: string; name: string; street_code: string; open: number; open_m2: number; declared: number; declared_m2: number }[]
}

/** What settle_zone() answers: the decision, and what applying it changed when asked to. */
export interface SettleResult {
  zone: string
  decision: number
  owner: string
  owner_layer: ZoneUnitLayer
  suggested_owner: string | null
  applied: boolean
  /** With apply: the codes of the units whose land changed. */
  changed?: string[]
}

/** What apply_zone() answers: the standing decision, applied. */
export interface ZoneApplication {
  zone: string
  decision: number
  applied: true
  changed: string[]
}

/** A decision as the history keeps it, from zone_decisions(). */
export interface DecisionRecord {
  id: number
  zone_id: string
  kind: ZoneKind
  level: ZoneLevel
  area_m2: number
  owner_layer: ZoneUnitLayer
  owner_code: string
  suggested_owner: string | null
  remark: string | null
  decided_by: string
  decided_at: string
  applied_at: string | null
  applied_by: string | null
  superseded_at: string | null
}

/** How a management area is managed with a unit it lies in: 托管 (by that unit), joint, or by its own body alone. */
export type Arrangement = 'entrusted' | 'joint' | 'exclusive'
export const arrangements: readonly Arrangement[] = ['entrusted', 'joint', 'exclusive']

/** A declared co-management, as public.co_managed() and public.declare_co_management() answer. */
export interface CoManagement {
  id: number
  area_code: string
  area_name: string
  area_kind: string
  partner_code: string
  partner_name: string
  partner_kind: string
  arrangement: Arrangement
  reason: string | null
  declared_by: string
  declared_at: string
  withdrawn_by: string | null
  withdrawn_at: string | null
  withdraw_reason: string | null
  /** The land the two share, m²: what would otherwise be a 三不管 overlap. */
  shared_m2: number
  /** That land's share of the area's own (0–1). */
  share_of_area: number | null
  /** The shared land, with co_managed(with_geometry => true). */
  geometry?: Geometry
}
