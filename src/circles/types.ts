// What the service circles' API functions return (supabase/migrations/*_circles.sql and the
// migrations that replace its functions), declared once for the page, the command line and the
// tests. The engine's own input (walk_graph(), circle_points()) is typed beside it, in ./engine.

export interface CoverageFigures {
  households_covered: number
  households_not_covered: number
  residents_covered: number
  residents_not_covered: number
  residences_covered: number
  residences_not_covered: number
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
  /** Residences in no community count under a null street office and community. */
  streets: { code: string | null; name: string | null; coverage: CoverageByType }[]
  communities: { code: string | null; name: string | null; street_code: string | null; coverage: CoverageByType }[]
  status: CircleStatus
}

/** A proposed facility as save_proposal() and proposals() give it. */
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

/** What a planner proposes: save_proposal()'s arguments. */
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
