// Small networks for the engine's tests, laid out in metres around a point in Longquan.
import type { EdgeInput } from './graph.ts'
import { fromPlane, localPlane } from './projection.ts'

export const plane = localPlane(119.14, 28.07)
export const at = (x: number, y: number): [number, number] => fromPlane(plane, x, y)

/** An edge between two nodes given by id and position in metres, straight, its length measured. */
export function edge(code: string, a: [number, [number, number]], b: [number, [number, number]], extra: Partial<EdgeInput> = {}): EdgeInput {
  const [ida, pa] = a
  const [idb, pb] = b
  return {
    code,
    source: ida,
    target: idb,
    lengthM: Math.hypot(pb[0] - pa[0], pb[1] - pa[1]),
    steps: false,
    highway: 'footway',
    coordinates: [at(...pa), at(...pb)],
    ...extra,
  }
}

/** A seeded pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A jittered grid network of n × n nodes, `spacing` metres apart; some edges are steps, some missing. */
export function gridNetwork(n: number, spacing: number, seed: number): EdgeInput[] {
  const rand = random(seed)
  const pos: [number, number][] = []
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) pos.push([i * spacing + (rand() - 0.5) * spacing * 0.3, j * spacing + (rand() - 0.5) * spacing * 0.3])
  const edges: EdgeInput[] = []
  const link = (a: number, b: number) => {
    if (rand() < 0.1) return
    const e = edge(`e${edges.length}`, [a + 1, pos[a]], [b + 1, pos[b]], { steps: rand() < 0.05 })
    if (e.steps) e.highway = 'steps'
    // some edges longer than the straight line (a bend)
    e.lengthM *= 1 + rand() * 0.2
    edges.push(e)
  }
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const k = j * n + i
      if (i + 1 < n) link(k, k + 1)
      if (j + 1 < n) link(k, k + n)
    }
  return edges
}
