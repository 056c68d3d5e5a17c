// The defaults that are standards, once for TypeScript. The database keeps the same values in
// atlas.standard (supabase/migrations/*_registry.sql), which its functions read when a caller
// leaves an argument out; tests/db/registry.test.ts holds the two to each other.

/** The walk the service circles and the indicators are measured by unless the user chooses another. */
export const defaultWalk: Readonly<{ minutes: number; speed: number }> = {
  /** The service circle of 龙泉市政协's report (standard service_circle_minutes). */
  minutes: 8,
  /** Metres a minute: 4 km/h, the pace GB 50180-2018's life-circle distances imply (standard walking_speed_m_per_min). */
  speed: 66.7,
}
