// Builds engine input from GeoJSON LineString features whose ends meet where their coordinates
// are identical (the rule the importer's walk_node follows): for tests, benchmarks and files.
import type { EdgeInput } from './graph.ts'
import { localPlane } from './projection.ts'

export interface LineFeature {
  properties: Record<string, unknown> | null
  geometry: { type: string; coordinates: unknown }
}

export function edgesFromLines(features: readonly LineFeature[]): EdgeInput[] {
  const ids = new Map<string, number>()
  const nodeId = (point: readonly number[]) => {
    const key = `${point[0]},${point[1]}`
    let id = ids.get(key)
    if (id === undefined) ids.set(key, (id = ids.size + 1))
    return id
  }
  return features.map((feature, index) => {
    const coordinates = feature.geometry.coordinates as number[][]
    const p = feature.properties ?? {}
    const highway = String(p.highway ?? '')
    return {
      code: String(p.code ?? index),
      source: nodeId(coordinates[0]),
      target: nodeId(coordinates[coordinates.length - 1]),
      lengthM: typeof p.length_m === 'number' ? p.length_m : lineLength(coordinates),
      steps: typeof p.steps === 'boolean' ? p.steps : highway === 'steps',
      highway,
      foot: (p.foot as string | undefined) ?? null,
      access: (p.access as string | undefined) ?? null,
      coordinates,
    }
  })
}

/** Length in metres of a lon/lat line, segment by segment in local planes. */
export function lineLength(coordinates: readonly (readonly number[])[]): number {
  let sum = 0
  for (let i = 1; i < coordinates.length; i++) {
    const [a, b] = [coordinates[i - 1], coordinates[i]]
    const plane = localPlane(a[0], (a[1] + b[1]) / 2)
    sum += Math.hypot((b[0] - a[0]) * plane.kx, (b[1] - a[1]) * plane.ky)
  }
  return sum
}
