// The city the atlas is of (atlas.city, …_city.sql): what the page, the reports and the command
// line say of it instead of any one city's words.

/** What public.city_profile() and public.set_city_profile() answer. */
export interface CityProfile {
  /** The city's name ('' until set). */
  name: string
  /** Its administrative division code (GB/T 2260), six digits, or null. */
  adcode: string | null
  /** Who the data are from, as the map's corner says it ('' until set). */
  attribution: string
  /** What the search box suggests ('' until set). */
  search_example: string
  /** The view the map opens on; null: fitted to the units. */
  view: { lon: number; lat: number; zoom: number } | null
  updated_by: string | null
  updated_at: string | null
}
