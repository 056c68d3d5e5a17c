// Who may walk where: the pedestrian rules the importer and the engine share. OSM's tags decide
// (https://wiki.openstreetmap.org/wiki/Key:highway, Key:foot, Key:access); one-way rules are for
// vehicles, so every walkable edge is walked both ways.

/** `highway=steps` is walked this many times slower than level ground (stairs at ~0.5 m/s up and
 *  down against ~1.1 m/s on the flat; the factor OSM routers such as OSRM's foot profile use). */
export const stepsFactor = 2

/** Highways built for motor traffic only: never walkable, whatever `foot` says, unless `foot`
 *  explicitly allows it. */
const motorOnly = new Set(['motorway', 'motorway_link', 'raceway', 'bus_guideway', 'busway'])
/** Not a usable way (yet, or any more). */
const unusable = new Set(['construction', 'proposed', 'planned', 'abandoned', 'disused', 'razed', 'platform_edge', 'elevator_shaft'])
/** Every highway value OSM uses for something a pedestrian may walk on (and that the importer keeps). */
export const walkableHighways = new Set([
  'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link',
  'unclassified', 'residential', 'living_street', 'service', 'pedestrian', 'track', 'road', 'footway', 'path',
  'steps', 'cycleway', 'bridleway', 'corridor', 'crossing', 'sidewalk', 'platform',
])

export interface WayTags {
  highway?: string | null
  foot?: string | null
  access?: string | null
  /** `construction=*` on a highway, or `highway=construction` */
  construction?: string | null
  [tag: string]: string | null | undefined
}

const footYes = new Set(['yes', 'designated', 'permissive', 'official', 'destination'])
const footNo = new Set(['no', 'private', 'use_sidepath'])
const accessNo = new Set(['no', 'private'])

/** Why a way is not walkable, in words, or null when a pedestrian may use it. */
export function notWalkable(tags: WayTags): string | null {
  const highway = (tags.highway ?? '').trim()
  if (!highway) return 'no highway tag'
  const foot = (tags.foot ?? '').trim()
  if (highway === 'construction' || (tags.construction && tags.construction !== 'no')) return 'under construction'
  if (unusable.has(highway)) return `highway=${highway}`
  if (footNo.has(foot)) return `foot=${foot}`
  if (motorOnly.has(highway) && !footYes.has(foot)) return `highway=${highway}`
  if (!walkableHighways.has(highway) && !footYes.has(foot)) return `highway=${highway}`
  const access = (tags.access ?? '').trim()
  if (accessNo.has(access) && !footYes.has(foot)) return `access=${access} without foot=yes`
  return null
}

/**
 * What the importer of OSM files (XML, PBF, OSMnx GraphML) leaves out beyond `notWalkable`, where
 * the tags say more than a stored edge keeps: each may be lifted (`atlas import --walkable trunk`).
 */
export const osmImportRules = {
  /** an expressway, elevated or at grade, with no sidewalk mapped on it */
  trunk: 'highway=trunk without a sidewalk',
  /** a road tunnel: for vehicles unless a sidewalk or foot access is mapped */
  tunnel: 'a tunnel for vehicles',
} as const
export type OsmImportRule = keyof typeof osmImportRules
export const isOsmImportRule = (name: string): name is OsmImportRule => Object.hasOwn(osmImportRules, name)

/** Highways built for people on foot (or bikes, horses): a tunnel of one is walked. */
const pedestrianWays = new Set(['footway', 'path', 'pedestrian', 'steps', 'corridor', 'cycleway', 'bridleway', 'living_street', 'track', 'platform', 'crossing', 'sidewalk'])
const sidewalkYes = new Set(['both', 'left', 'right', 'yes'])

/** Whether the way carries a sidewalk (not one mapped apart: `sidewalk=separate` is a way of its own). */
function hasSidewalk(tags: WayTags): boolean {
  const value = (key: string) => (tags[key] ?? '').trim()
  return sidewalkYes.has(value('sidewalk')) || ['sidewalk:both', 'sidewalk:left', 'sidewalk:right'].some((key) => value(key) === 'yes')
}

/** Why an OSM way is left out on import, in words, or null: `notWalkable`, then the rules not lifted. */
export function notWalkableOnImport(tags: WayTags, walkable: readonly OsmImportRule[] = []): string | null {
  const reason = notWalkable(tags)
  if (reason) return reason
  if (footYes.has((tags.foot ?? '').trim()) || hasSidewalk(tags)) return null
  const highway = (tags.highway ?? '').trim()
  if ((highway === 'trunk' || highway === 'trunk_link') && !walkable.includes('trunk')) return osmImportRules.trunk
  const tunnel = (tags.tunnel ?? '').trim()
  if (tunnel && !['no', 'building_passage', 'culvert'].includes(tunnel) && !pedestrianWays.has(highway) && !walkable.includes('tunnel')) return osmImportRules.tunnel
  return null
}

export function isWalkable(tags: WayTags): boolean {
  return notWalkable(tags) === null
}

/** Seconds-per-metre factor of an edge relative to level walking. */
export function edgeFactor(steps: boolean): number {
  return steps ? stepsFactor : 1
}
