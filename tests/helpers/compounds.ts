// A small city of walled compounds on a street grid in Futian's coordinates, for the gates' oracle
// and the page: streets, three facilities, compounds with gates, a crossing, none, and homes of
// their own inside them (tests/integration/gates-oracle.test.ts says which is which).
import { localPlane } from '../../src/circles/engine/projection.ts'

/** A point x metres east and y north of the city's origin, in Futian. */
export const plane = localPlane(114.05, 22.53)
export const at = (x: number, y: number): [number, number] => [Math.round((114.05 + x / plane.kx) * 1e7) / 1e7, Math.round((22.53 + y / plane.ky) * 1e7) / 1e7]
export const feature = (properties: Record<string, unknown>, geometry: object) => ({ type: 'Feature', properties, geometry })
export const point = (x: number, y: number) => ({ type: 'Point', coordinates: at(x, y) })
export const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[at(w, s), at(e, s), at(e, n), at(w, n), at(w, s)]] })

/**
 * Streets every 200 m, x 0–600 and y 0–400; compounds inset in the blocks. C-A has two gates, C-B
 * one, C-F one on its south side while its place lies nearer the north street, C-X none but a
 * footway crossing its outline, C-N neither (reached from its own point), and C-Z only a crossing
 * of a road nobody may walk. Two homes are points on the streets; a building of C-F (B-F1, in its
 * north-east corner) and an address inside C-A (P-3) are reached through their compounds' gates.
 */
export function compoundCity() {
  const edges: object[] = []
  const road = (code: string, a: [number, number], b: [number, number], properties: Record<string, unknown> = { highway: 'residential' }) =>
    edges.push(feature({ code, ...properties }, { type: 'LineString', coordinates: [at(...a), at(...b)] }))
  // the east–west streets in 100 m pieces: the footway and the private road end on their nodes
  for (const y of [0, 200, 400]) for (let x = 0; x < 600; x += 100) road(`H-${x}-${y}`, [x, y], [x + 100, y])
  for (const x of [0, 200, 400, 600]) for (const y of [0, 200]) road(`V-${x}-${y}`, [x, y], [x, y + 200])
  // a footway from the street into C-X, and a private road into C-Z
  road('FW-X', [300, 200], [300, 260], { highway: 'footway' })
  road('PR-Z', [100, 400], [100, 340], { highway: 'service', access: 'private' })
  const residence = (code: string, households: number, geometry: object) => feature({ code, parent_code: '440304901001', households, residents: households * 3 }, geometry)
  return {
    street: [feature({ code: '440304901', name: '试验街道', kind: '街道' }, box(-100, -100, 700, 500))],
    community: [feature({ code: '440304901001', parent_code: '440304901', name: '试验社区', type: '纯居型' }, box(-100, -100, 700, 500))],
    walk_edge: edges,
    facility: [
      feature({ code: 'F-1', name: '共享餐厅一', type: 'canteen', parent_code: '440304901001' }, point(130, -12)),
      feature({ code: 'F-2', name: '共享餐厅二', type: 'canteen', parent_code: '440304901001' }, point(520, 188)),
      feature({ code: 'F-3', name: '卫生服务站', type: 'health_station', parent_code: '440304901001' }, point(612, 330)),
    ],
    residence: [
      residence('C-A', 320, box(20, 20, 180, 180)),
      residence('C-B', 210, box(220, 20, 380, 180)),
      residence('C-F', 400, box(420, 220, 580, 390)),
      residence('C-X', 150, box(220, 220, 380, 380)),
      residence('C-N', 90, box(430, 20, 590, 160)),
      residence('C-Z', 60, box(34, 220, 170, 370)),
      residence('P-1', 12, point(310, 14)),
      residence('P-2', 18, point(590, 230)),
      residence('B-F1', 48, box(540, 340, 570, 370)),
      residence('P-3', 24, point(60, 150)),
    ],
    gate: [
      feature({ code: 'G-A1', parent_code: 'C-A', name: '南门' }, point(70, 20)),
      feature({ code: 'G-A2', parent_code: 'C-A', name: '东门' }, point(180, 130)),
      feature({ code: 'G-B1', parent_code: 'C-B', name: '东门' }, point(380, 60)),
      feature({ code: 'G-F1', parent_code: 'C-F', name: '南门' }, point(510, 220)),
    ],
  }
}
