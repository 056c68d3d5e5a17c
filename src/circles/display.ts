// How a circle is drawn: its parts with the holes that matter. The band keeps a hole round every
// block the walk went round; a home in such a block is reached by the walk to its road (its
// access time decides, and the uncovered layer shows who is not), so small holes would only
// hatch the map. Holes of a couple of hectares or more — a river between two bridges, a park, a
// district the walk never entered — stay, so the map never shows a circle leaping them.
import { featureCollection, multiPolygon, union } from '@turf/turf'
import type { MultiPolygon } from 'geojson'
import type { MultiPolygonCoordinates, Ring } from './engine/contour.ts'
import { localPlane } from './engine/projection.ts'

/** Holes smaller than this are filled where a circle is drawn (m²). */
export const drawnHoleM2 = 20_000

function ringArea(ring: Ring): number {
  if (ring.length < 4) return 0
  const { kx, ky } = localPlane(ring[0][0], ring[0][1])
  let sum = 0
  for (let k = 0; k + 1 < ring.length; k++) sum += (ring[k][0] - ring[0][0]) * (ring[k + 1][1] - ring[0][1]) - (ring[k + 1][0] - ring[0][0]) * (ring[k][1] - ring[0][1])
  return Math.abs(sum / 2) * kx * ky
}

export function drawnParts(polygons: MultiPolygonCoordinates, minHole = drawnHoleM2): MultiPolygonCoordinates {
  return polygons.map(([shell, ...holes]) => [shell, ...holes.filter((hole) => ringArea(hole) >= minHole)])
}

/**
 * A trial facility's circle with the land of the compounds its walk enters through a gate
 * (compound_land(), as a stored circle takes it in): one outline round both.
 */
export function withCompoundLand(polygons: MultiPolygonCoordinates, land: MultiPolygon | null): MultiPolygonCoordinates {
  if (!land?.coordinates.length) return polygons
  if (!polygons.length) return land.coordinates as MultiPolygonCoordinates
  const joined = union(featureCollection([multiPolygon(polygons), multiPolygon(land.coordinates)]))
  if (!joined) return polygons
  const geometry = joined.geometry
  return (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as MultiPolygonCoordinates
}
