// The API in one place: every function's name, its arguments (generated from the database into
// ./api.generated.ts) and its result (declared once by its domain). The page's rpc(), the command
// line's and the tests' callApi() and the report's calls are typed by it, so a name the database
// does not have, or an argument it does not take, is a compile error; tests/api/functions.test.ts
// holds the generated half to the database.
import type { BacklogChange, BacklogScores, ItemChanges, ScoredItem, WeightRecord, Weights } from '../backlog/types.ts'
import type { CirclePointsJson, WalkGraphJson } from '../circles/engine/model.ts'
import type { CityProfile } from '../city/types.ts'
import type { CircleStatus, Coverage, Proposal } from '../circles/types.ts'
import type { Access, AtlasFeatureCollection, LayerCollection, LayerStats, SearchHit, UnitRecord } from '../data/types.ts'
import type { PlacementAnswer, PlacementReading } from '../db/offsets.ts'
import type { Indicators } from '../leader/types.ts'
import type { Standard, StandardChange } from '../standards/types.ts'
import type { CoManagement, DecisionRecord, SettleResult, ZoneApplication, ZoneSummary, ZoneThresholds, ZonesResult } from '../zones/types.ts'
import type { MultiPolygon } from 'geojson'
import type { ApiArguments, ApiReturns, Json } from './api.generated.ts'

export { apiFunctions, type Json } from './api.generated.ts'

/** What each function returns, as its domain declares it. */
export interface ApiResults {
  // the map (…_api.sql, …_access.sql)
  map_layer: LayerCollection
  unit_record: UnitRecord
  search_units: SearchHit[]
  layer_stats: LayerStats
  my_access: Access
  // service circles (…_circles.sql)
  walk_graph: WalkGraphJson
  circle_points: CirclePointsJson
  service_circles: AtlasFeatureCollection
  coverage: Coverage
  uncovered_residences: AtlasFeatureCollection
  circle_status: CircleStatus
  compound_land: MultiPolygon | null
  save_proposal: Proposal
  proposals: Proposal[]
  remove_proposal: boolean
  // 三不管 zones (…_zones.sql)
  zones: ZonesResult
  zone_summary: ZoneSummary
  settle_zone: SettleResult
  apply_zone: ZoneApplication
  zone_decisions: DecisionRecord[]
  set_zone_settings: ZoneThresholds
  co_managed: CoManagement[]
  declare_co_management: CoManagement
  withdraw_co_management: CoManagement
  // the backlog (…_backlog.sql)
  backlog_scores: BacklogScores
  backlog_history: BacklogChange[]
  set_backlog_status: ScoredItem
  edit_backlog_item: ScoredItem
  set_backlog_weights: WeightRecord
  backlog_weight_history: WeightRecord[]
  // the leader's view (…_leader.sql)
  indicators: Indicators
  // the city (…_city.sql)
  city_profile: CityProfile
  set_city_profile: CityProfile
  // the standards (…_standards.sql)
  standards: Standard[]
  standard_history: StandardChange[]
  set_standard: Standard
  // a city's files (…_import.sql, written from src/db/importSql.ts)
  import_layer: ImportLayerResult
  import_placement: PlacementAnswer
}

/** What public.import_layer answers: the problems that refuse the features, or what it wrote. */
export type ImportLayerResult = { inserted: number; updated: number } | { problems: { index: number; code?: string; reason: string }[] }

/** A feature as public.import_layer takes it: its properties, and its geometry as base64 WKB. */
export interface StagedFeature {
  p: Record<string, unknown>
  g: string
}

/** The json and jsonb arguments whose shape a domain knows, in place of any JSON. */
interface JsonArguments {
  import_layer: { features: StagedFeature[] }
  import_placement: { readings: PlacementReading[] }
  backlog_scores: { weights?: Weights | null }
  edit_backlog_item: { changes: ItemChanges }
  set_backlog_weights: { weights: Weights }
}

export type ApiName = keyof ApiArguments

/** A function's arguments by name: an argument with an SQL default may be left out. */
export type ApiArgs<N extends ApiName> = N extends keyof JsonArguments ? Omit<ApiArguments[N], keyof JsonArguments[N]> & JsonArguments[N] : ApiArguments[N]

export type ApiResult<N extends ApiName> = ApiResults[N]

/** Calls an API function by name with its arguments: the page's client, or the caller's transaction. */
export type ApiCall = <N extends ApiName>(name: N, args: ApiArgs<N>) => Promise<ApiResult<N>>

// ── checks the compiler makes ─────────────────────────────────────────────────────────────
// Each names what disagrees: a function with no declared result, a result declared for a
// function the database does not have, a refined argument that is not a JSON argument of its
// function, or a declared result its SQL type cannot give (remove_proposal's boolean).
type Missing = Exclude<ApiName, keyof ApiResults>
type Unknown = Exclude<keyof ApiResults, ApiName>
type Unrefinable = {
  [N in keyof JsonArguments]: N extends ApiName
    ? { [A in keyof JsonArguments[N]]-?: A extends keyof ApiArguments[N] ? (NonNullable<Json> extends NonNullable<ApiArguments[N][A]> ? never : A) : A }[keyof JsonArguments[N]]
    : N
}[keyof JsonArguments]
type Contradicted = { [N in ApiName]: Json extends ApiReturns[N] ? never : ApiResults[N] extends ApiReturns[N] ? never : N }[ApiName]
type Agrees<T extends true> = T
type NoneOf<T> = [T] extends [never] ? true : T
export type ApiChecks = [Agrees<NoneOf<Missing>>, Agrees<NoneOf<Unknown>>, Agrees<NoneOf<Unrefinable>>, Agrees<NoneOf<Contradicted>>]
