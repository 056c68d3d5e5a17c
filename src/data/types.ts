// The shapes the API functions return (supabase/migrations/*_api.sql).
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { LayerName } from '../shared/layers.ts'

export type Bbox = [west: number, south: number, east: number, north: number]

export type AtlasFeature = Feature<Geometry, Record<string, unknown>> & { id: string }
export type AtlasFeatureCollection = FeatureCollection<Geometry, Record<string, unknown>>

/** What every feature of map_layer() carries; each layer adds its own properties. */
export interface UnitProperties {
  code: string
  /** Null only where the layer's name is optional (residences, walking edges, the basemap). */
  name: string | null
  /** The code of the unit above it, for the layers that have one. */
  parent_code?: string | null
  [property: string]: unknown
}

/** map_layer(): one layer's features in a box, each with its code as its id. */
export type LayerCollection = FeatureCollection<Geometry, UnitProperties>

export interface UnitParent {
  layer: LayerName
  code: string
  name: string | null
}

export interface StandardCheck {
  key: string
  label_zh: string
  label_en: string
  value: number | null
  unit: string
  min: number | null
  max: number | null
  ok: boolean | null
  source: string
  band?: 'under' | 'in' | 'over' | null
}

export interface UnitRecord {
  layer: LayerName
  code: string
  name: string | null
  attributes: Record<string, unknown>
  parents: UnitParent[]
  children: Record<string, number>
  checks: StandardCheck[]
  area_m2: number | null
  length_m: number | null
  bbox: Bbox
  center: [number, number]
}

export interface SearchHit {
  layer: LayerName
  code: string
  name: string
  parent_name: string | null
  bbox: Bbox
  center: [number, number]
}

export interface LayerStats {
  bbox: Bbox | null
  [layer: string]: unknown
}

export interface Access {
  role: 'leader' | 'planner' | 'works'
  /** Per layer: whether row level security lets this role insert and change its rows. */
  write: Partial<Record<LayerName | 'proposed_facility' | 'zone_decision' | 'co_management', boolean>>
}
