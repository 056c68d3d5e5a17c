// Sample city generator: Longquan 龙泉市 (Zhejiang), urban streets and communities.
//
// Real names and division codes, synthetic geometry. Deterministic: the same bytes on
// every run (seeded mulberry32 PRNG, no Math.random, no clock).
//
//   npx tsx data/generate.ts            writes data/longquan/<layer>.geojson and prints the figures
//
// How the geometry is built. Everything is laid on one perturbed street lattice in local
// metres around the centre (119.14 E, 28.07 N): nodes (i, j), cells between them. The river
// 龙泉溪 is one row of cells (its two banks are lattice rows), so the river polygon and the
// land share vertices. Every polygon layer (street, community, grid, former village,
// management area, park) is a set of lattice cells whose boundary is traced along cell
// edges, so neighbours share identical vertices and nothing overlaps or leaves a gap
// except where planted. The walking network is the lattice's edges (plus diagonal
// footways and 5 bridges). Micro-grids are building-size quads inside the grid's cells;
// residences are points inside micro-grids.

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as turf from '@turf/turf'
import gcoord from 'gcoord'
import {
  layers,
  layerNames,
  facilityTypes,
  type LayerName,
  type PropertySpec,
} from '../src/shared/layers.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.join(HERE, 'longquan')
const SHARED = process.env.ATLAS_SHARED_DATA ?? path.resolve(HERE, '../../shared/data')
const DIVISIONS_CSV = path.join(SHARED, 'longquan/divisions.csv')
const OUTLINE_GCJ = path.join(SHARED, 'longquan/county_outline_gcj02.geojson')

// ---------------------------------------------------------------------------------------
// PRNG and small helpers

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
function hashStr(s: string): number {
  let h = 2166136261
  for (const ch of s) {
    h ^= ch.codePointAt(0)!
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}
type Rng = () => number
const rngFor = (label: string): Rng => mulberry32(hashStr('grassroots-atlas/longquan/v1:' + label))
const randInt = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1))
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]
function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const k = Math.floor(rng() * (i + 1))
    ;[xs[i], xs[k]] = [xs[k], xs[i]]
  }
  return xs
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const r7 = (v: number) => Math.round(v * 1e7) / 1e7
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v))
const TAU = Math.PI * 2

/** Split `total` into integer parts proportional to `weights` (largest remainder), exact sum. */
function apportion(total: number, weights: number[]): number[] {
  const W = sum(weights)
  const raw = weights.map((w) => (total * w) / W)
  const out = raw.map(Math.floor)
  let rest = total - sum(out)
  const order = raw.map((r, k) => [r - Math.floor(r), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let n = 0; rest > 0; n++, rest--) out[order[n % order.length][1]]++
  return out
}

// local metres <-> lon/lat (equirectangular around the centre; fine at town scale)
const LON0 = 119.14
const LAT0 = 28.07
const MX = 111320 * Math.cos((LAT0 * Math.PI) / 180)
const MY = 110574
const toLL = (x: number, y: number): [number, number] => [r7(LON0 + x / MX), r7(LAT0 + y / MY)]

// ---------------------------------------------------------------------------------------
// Names and codes from the division list

interface Division {
  code: string
  name: string
  kind: string
  township_code: string
  township_name: string
}
function readDivisions(): Division[] {
  const lines = fs.readFileSync(DIVISIONS_CSV, 'utf8').trim().split(/\r?\n/)
  const head = lines[0].split(',')
  return lines.slice(1).map((l) => {
    const v = l.split(',')
    return Object.fromEntries(head.map((h, k) => [h, v[k]])) as unknown as Division
  })
}
const divisions = readDivisions()
const STREETS = [
  { code: '331181001', name: '龙渊街道', north: true },
  { code: '331181002', name: '西街街道', north: true },
  { code: '331181003', name: '剑池街道', north: false },
  { code: '331181004', name: '石达石街道', north: false },
] as const
const streetCodes = STREETS.map((s) => s.code) as string[]
const urbanCommunities = divisions.filter((d) => d.kind === 'community' && streetCodes.includes(d.township_code))
if (urbanCommunities.length !== 28) throw new Error(`expected 28 urban communities, got ${urbanCommunities.length}`)
for (const s of STREETS) {
  const d = divisions.find((x) => x.township_code === s.code)
  if (!d || d.township_name !== s.name) throw new Error(`street ${s.code} is not ${s.name}`)
}

// Per community: type, resident-population weight, seed point (local metres) for the layout.
// 村改居型: the 22 former urban villages were merged into these communities.
interface CommunityPlan {
  name: string // without 居委会
  type: '纯居型' | '村改居型'
  weight: number // relative resident population
  seed: [number, number]
  serviceArea?: number
}
const PLAN: CommunityPlan[] = [
  // 龙渊街道 (north bank, east)
  { name: '大洋社区', type: '纯居型', weight: 1.35, seed: [-450, 420], serviceArea: 620 },
  { name: '金乐社区', type: '纯居型', weight: 1.3, seed: [420, 380], serviceArea: 460 },
  { name: '贤良社区', type: '纯居型', weight: 1.2, seed: [-420, 1180], serviceArea: 340 },
  { name: '东升社区', type: '纯居型', weight: 1.15, seed: [1250, 420] },
  { name: '城东社区', type: '纯居型', weight: 1.25, seed: [2250, 520], serviceArea: 1260 },
  { name: '后甸社区', type: '村改居型', weight: 1.0, seed: [650, 1300] },
  { name: '东景社区', type: '纯居型', weight: 0.95, seed: [1750, 1450], serviceArea: 82 },
  { name: '古井社区', type: '纯居型', weight: 1.05, seed: [-350, 2000], serviceArea: 360 },
  { name: '黄灌社区', type: '村改居型', weight: 0.85, seed: [1600, 2700] },
  // 西街街道 (north bank, west)
  { name: '清风社区', type: '纯居型', weight: 1.1, seed: [-1600, 380] },
  { name: '西新社区', type: '村改居型', weight: 1.0, seed: [-1650, 1350] },
  { name: '白云社区', type: '村改居型', weight: 0.85, seed: [-2700, 900] },
  { name: '凤凰社区', type: '村改居型', weight: 0, seed: [-5800, 2400] }, // fixed below: 5,000+ residents
  // 剑池街道 (south bank, 水南)
  { name: '水南社区', type: '村改居型', weight: 0, seed: [1350, -480] }, // fixed below from the report
  { name: '南秦社区', type: '纯居型', weight: 1.25, seed: [-250, -420], serviceArea: 520 },
  { name: '南大洋社区', type: '纯居型', weight: 1.15, seed: [-1150, -420] },
  { name: '大沙社区', type: '村改居型', weight: 0.85, seed: [-2350, -520], serviceArea: 330 },
  { name: '棋盘山社区', type: '纯居型', weight: 1.05, seed: [-150, -1150] },
  { name: '青瓷苑社区', type: '纯居型', weight: 1.1, seed: [-1050, -1150], serviceArea: 380 },
  { name: '周际社区', type: '村改居型', weight: 0.8, seed: [-1950, -1450] },
  { name: '松溪弄社区', type: '纯居型', weight: 1.0, seed: [800, -1250] },
  { name: '秦溪社区', type: '村改居型', weight: 0.85, seed: [-450, -1850] },
  { name: '望江社区', type: '纯居型', weight: 1.05, seed: [550, -380], serviceArea: 410 },
  { name: '芳野社区', type: '村改居型', weight: 0.75, seed: [-1350, -2200] },
  { name: '江南社区', type: '村改居型', weight: 0.7, seed: [-3300, -1500] },
  { name: '七星井社区', type: '村改居型', weight: 0.8, seed: [850, -2050] },
  { name: '宏山社区', type: '村改居型', weight: 0.75, seed: [250, -3050] },
  // 石达石街道 (south bank, east)
  { name: '金岗社区', type: '村改居型', weight: 0.8, seed: [3000, -1100] },
]

interface Community extends CommunityPlan {
  code: string
  street: string
  resident: number
  registered: number
  households: number
  workers: number
  service: number
}

const TOTAL_RESIDENTS = 148800
const TOTAL_HOUSEHOLDS = 53000
const FENGHUANG_RESIDENTS = 5236
const SHUINAN_REGISTERED = 4597
const SHUINAN_MOVED_OUT = 2463
const SHUINAN_NEWCOMERS = 1104

const communities: Community[] = (() => {
  const rng = rngFor('communities')
  const byName = new Map(urbanCommunities.map((d) => [d.name.replace(/居委会$/, ''), d]))
  const fixed: Record<string, number> = {
    凤凰社区: FENGHUANG_RESIDENTS,
    水南社区: SHUINAN_REGISTERED - SHUINAN_MOVED_OUT + SHUINAN_NEWCOMERS,
  }
  const free = PLAN.filter((p) => !(p.name in fixed))
  const freeTotal = TOTAL_RESIDENTS - sum(Object.values(fixed))
  const freeRes = apportion(freeTotal, free.map((p) => p.weight * (0.9 + 0.2 * rng())))
  const resident = new Map(free.map((p, k) => [p.name, freeRes[k]]))
  for (const [n, v] of Object.entries(fixed)) resident.set(n, v)
  if (PLAN.length !== 28 || byName.size !== 28) throw new Error('plan does not match the division list')
  // households: persons per household 2.55–3.05, then scaled to the total exactly
  const hhRaw = PLAN.map((p) => resident.get(p.name)! / (p.type === '村改居型' ? 2.75 + 0.3 * rng() : 2.55 + 0.3 * rng()))
  const hh = apportion(TOTAL_HOUSEHOLDS, hhRaw)
  // service rooms: 19 of 28 below the provincial 300 m²; the rest from the plan
  return PLAN.map((p, k) => {
    const d = byName.get(p.name)
    if (!d) throw new Error(`no division code for ${p.name}`)
    const res = resident.get(p.name)!
    const registered =
      p.name === '水南社区'
        ? SHUINAN_REGISTERED
        : Math.round(res * (p.type === '村改居型' ? 0.98 + 0.3 * rng() : 0.78 + 0.27 * rng()))
    const standard = (res / 10000) * 18
    const workers = p.name === '凤凰社区' ? 6 : Math.max(4, Math.round(standard * (0.68 + 0.6 * rng())))
    const service = p.serviceArea ?? Math.round((110 + 185 * rng()) / 5) * 5
    return {
      ...p,
      code: d.code,
      street: d.township_code,
      resident: res,
      registered,
      households: hh[k],
      workers,
      service,
    }
  })
})()
const commByName = new Map(communities.map((c) => [c.name, c]))
const commByCode = new Map(communities.map((c) => [c.code, c]))
{
  const below = communities.filter((c) => c.service < 300).length
  if (below !== 19) throw new Error(`service area: ${below} below 300 m², want 19`)
}

// ---------------------------------------------------------------------------------------
// The lattice

const X_MIN = -10600
const X_MAX = 4600
const Y_MIN = -4400
const Y_MAX = 6600
const HW0 = 55 // nominal half width of the river, m

function spacingX(x: number): number {
  const a = Math.abs(x)
  if (a < 1500) return 62
  if (a < 3000) return 62 + ((a - 1500) / 1500) * 58
  if (a < 4300) return 120 + ((a - 3000) / 1300) * 200
  return 340
}
function spacingY(y: number): number {
  const a = Math.abs(y + 100)
  if (a < 1300) return 62
  if (a < 2500) return 62 + ((a - 1300) / 1200) * 58
  if (a < 3500) return 120 + ((a - 2500) / 1000) * 200
  return 340
}
function lines(start: number, min: number, max: number, sp: (p: number) => number, rng: Rng, downStart?: number): number[] {
  const up: number[] = []
  for (let p = start; p <= max; p += sp(p) * (0.86 + 0.32 * rng())) up.push(p)
  const down: number[] = []
  for (let p = downStart ?? start - sp(start) * (0.86 + 0.32 * rng()); p >= min; p -= sp(p) * (0.86 + 0.32 * rng())) down.push(p)
  return [...down.reverse(), ...up]
}
const latticeRng = rngFor('lattice')
const XS = lines(0, X_MIN, X_MAX, spacingX, latticeRng)
const YS = lines(HW0, Y_MIN, Y_MAX, spacingY, latticeRng, -HW0)
const NI = XS.length
const NJ = YS.length
const JR = YS.indexOf(-HW0) // river cell row: between node rows JR (south bank) and JR+1 (north bank)
if (JR < 0 || YS[JR + 1] !== HW0) throw new Error('river rows')
const NCI = NI - 1
const NCJ = NJ - 1

// river centre line and half width, and a gentle warp of the N-S streets
const riverC = (x: number) => 150 * Math.sin((TAU * x) / 3900 + 0.7) + 60 * Math.sin((TAU * x) / 1650 + 2.1) + 0.02 * x
const riverHW = (x: number) => HW0 + 14 * Math.sin((TAU * x) / 2300 + 1.3)
const xWarp = (y: number) => 45 * Math.sin((TAU * y) / 2900 + 0.4)
const decay = (Y: number) => (Math.abs(Y) < 350 ? 1 : Math.exp(-(((Math.abs(Y) - 350) / 2400) ** 2)))
/** Rows far from the river bend with the hills. */
const yWarp = (x: number, Y: number) => (1 - decay(Y)) * (110 * Math.sin((TAU * x) / 3300 + Y / 1900) + 50 * Math.sin((TAU * x) / 1400 + 1.7))
/** A smooth field in about [-1, 1]. */
const NOISE_WAVES = [
  [0.00071, 0.00052, 0.3], [-0.00043, 0.00088, 1.9], [0.00112, -0.00067, 4.1], [0.00029, -0.00131, 2.6], [-0.00152, -0.00021, 5.3],
]
const noise = (x: number, y: number) => NOISE_WAVES.reduce((a, [kx, ky, ph]) => a + Math.sin(kx * x + ky * y + ph), 0) / 2.6
const bankPoint = (x0: number, north: boolean): [number, number] => {
  const y = riverC(x0) + (north ? 1 : -1) * riverHW(x0)
  return [x0 + xWarp(y), y]
}

const mainLine = (ps: number[], k: number, extra: (k: number) => boolean) =>
  k === 0 || k === ps.length - 1 || extra(k) || Math.floor(ps[k] / 250) !== Math.floor(ps[k - 1] / 250)
const mainCol = XS.map((_, i) => mainLine(XS, i, () => false))
const mainRow = YS.map((_, j) => mainLine(YS, j, (k) => k === JR || k === JR + 1 || k === JR + 2))

const PX = new Float64Array(NI * NJ)
const PY = new Float64Array(NI * NJ)
const nodeId = (i: number, j: number) => i * NJ + j
for (let i = 0; i < NI; i++) {
  const sxs = (XS[Math.min(i + 1, NI - 1)] - XS[Math.max(i - 1, 0)]) / 2
  for (let j = 0; j < NJ; j++) {
    const sys = (YS[Math.min(j + 1, NJ - 1)] - YS[Math.max(j - 1, 0)]) / 2
    const f = Math.max(sxs, sys) > 150 ? 0.2 : 0.13
    const sxl = sxs * f
    const syl = sys * f
    const u1 = 2 * latticeRng() - 1
    const u2 = 2 * latticeRng() - 1
    let x: number
    let y: number
    if (j === JR || j === JR + 1) {
      ;[x, y] = bankPoint(XS[i], j === JR + 1)
    } else {
      const x0 = XS[i] + (mainCol[i] ? 0.25 : 1) * sxl * u1
      y = YS[j] + riverC(x0) * decay(YS[j]) + yWarp(x0, YS[j]) + (mainRow[j] ? 0.25 : 1) * syl * u2
      x = x0 + xWarp(y)
    }
    PX[nodeId(i, j)] = x
    PY[nodeId(i, j)] = y
  }
}
const LLN: [number, number][] = Array.from({ length: NI * NJ }, (_, n) => toLL(PX[n], PY[n]))

// cells
const cellId = (i: number, j: number) => i * NCJ + j
const cellI = (c: number) => Math.floor(c / NCJ)
const cellJ = (c: number) => c % NCJ
const NCELL = NCI * NCJ
function cellCorners(c: number): number[] {
  const i = cellI(c)
  const j = cellJ(c)
  return [nodeId(i, j), nodeId(i + 1, j), nodeId(i + 1, j + 1), nodeId(i, j + 1)]
}
const CX = new Float64Array(NCELL)
const CY = new Float64Array(NCELL)
const CAREA = new Float64Array(NCELL)
for (let c = 0; c < NCELL; c++) {
  const k = cellCorners(c)
  let a = 0
  for (let t = 0; t < 4; t++) {
    const p = k[t]
    const q = k[(t + 1) % 4]
    a += PX[p] * PY[q] - PX[q] * PY[p]
  }
  CAREA[c] = a / 2
  if (!(CAREA[c] > 100)) throw new Error(`degenerate cell ${cellI(c)},${cellJ(c)}`)
  CX[c] = (PX[k[0]] + PX[k[1]] + PX[k[2]] + PX[k[3]]) / 4
  CY[c] = (PY[k[0]] + PY[k[1]] + PY[k[2]] + PY[k[3]]) / 4
}
function cellNeighbours(c: number): number[] {
  const i = cellI(c)
  const j = cellJ(c)
  const out: number[] = []
  if (j > 0) out.push(cellId(i, j - 1))
  if (i < NCI - 1) out.push(cellId(i + 1, j))
  if (j < NCJ - 1) out.push(cellId(i, j + 1))
  if (i > 0) out.push(cellId(i - 1, j))
  return out
}
const isRiverCell = (c: number) => cellJ(c) === JR
const north = (c: number) => cellJ(c) > JR

/** Population density weight (1 in the centre, low in the hills). */
const density = (x: number, y: number) => 0.05 + Math.exp(-(((x + 150) / 2300) ** 2 + ((y + 50) / 1750) ** 2))

// superblocks: cells between main roads
const colBlock: number[] = []
const rowBlock: number[] = []
for (let i = 0, b = -1; i < NCI; i++) colBlock.push((b += mainCol[i] ? 1 : 0))
for (let j = 0, b = -1; j < NCJ; j++) rowBlock.push((b += mainRow[j] ? 1 : 0))
const blockOf = (c: number) => colBlock[cellI(c)] * 10000 + rowBlock[cellJ(c)]
const blocks = new Map<number, number[]>()
for (let c = 0; c < NCELL; c++) {
  if (isRiverCell(c)) continue
  const b = blockOf(c)
  if (!blocks.has(b)) blocks.set(b, [])
  blocks.get(b)!.push(c)
}
const blockCentre = (cs: number[]) => {
  let ax = 0
  let ay = 0
  for (const c of cs) {
    ax += CX[c]
    ay += CY[c]
  }
  return [ax / cs.length, ay / cs.length] as const
}

// ---------------------------------------------------------------------------------------
// The land: town blob plus fringe lobes (凤凰's hills, 黄灌, 江南, 宏山, 金岗)

/** A noisy ellipse. */
function blob(x: number, y: number, cx: number, cy: number, rx: number, ry: number, amp: number, ph: number): boolean {
  const dx = (x - cx) / rx
  const dy = (y - cy) / ry
  const th = Math.atan2(dy, dx)
  const lim = 1 + amp * (0.55 * Math.sin(2 * th + ph) + 0.3 * Math.sin(3 * th + 2 * ph) + 0.25 * Math.sin(5 * th + 3 * ph))
  return Math.hypot(dx, dy) < lim
}
function inLand(x: number, y: number, isNorth: boolean): boolean {
  // the town
  if (blob(x, y, -200, isNorth ? -100 : -150, 3150, isNorth ? 2350 : 2450, 0.1, 0.4)) return true
  if (isNorth) {
    if (blob(x, y, -6000, 2800, 3950, 3250, 0.12, 1.1)) return true // 凤凰: hills west and north-west
    if (blob(x, y, 1700, 2600, 1850, 1300, 0.12, 2.3)) return true // 黄灌: north-east fringe
  } else {
    if (blob(x, y, -3500, -1500, 1550, 1350, 0.12, 0.7)) return true // 江南: south-west fringe
    if (blob(x, y, 300, -3000, 1750, 1150, 0.12, 1.7)) return true // 宏山: southern hills
    if (blob(x, y, 3150, -1050, 1300, 1500, 0.12, 2.9)) return true // 金岗: east
  }
  return false
}

const land = new Uint8Array(NCELL)
for (const cs of blocks.values()) {
  const [x, y] = blockCentre(cs)
  if (inLand(x, y, north(cs[0]))) for (const c of cs) land[c] = 1
}
// fill enclosed non-land cells; keep one connected piece on each bank
{
  const outside = new Uint8Array(NCELL)
  const queue: number[] = []
  for (let c = 0; c < NCELL; c++) {
    const i = cellI(c)
    const j = cellJ(c)
    if (!land[c] && (i === 0 || j === 0 || i === NCI - 1 || j === NCJ - 1 || isRiverCell(c))) {
      outside[c] = 1
      queue.push(c)
    }
  }
  while (queue.length) {
    const c = queue.pop()!
    for (const n of cellNeighbours(c)) if (!land[n] && !outside[n]) {
      outside[n] = 1
      queue.push(n)
    }
  }
  for (let c = 0; c < NCELL; c++) if (!land[c] && !outside[c]) land[c] = 1
  for (const side of [true, false]) {
    const comps = components(range(NCELL).filter((c) => land[c] && north(c) === side), (c) => cellNeighbours(c))
    comps.sort((a, b) => b.length - a.length)
    for (const comp of comps.slice(1)) for (const c of comp) land[c] = 0
  }
}
function range(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k)
}
function components(cells: number[], nb: (c: number) => number[]): number[][] {
  const inSet = new Set(cells)
  const seen = new Set<number>()
  const out: number[][] = []
  for (const s of cells) {
    if (seen.has(s)) continue
    const comp: number[] = []
    const stack = [s]
    seen.add(s)
    while (stack.length) {
      const c = stack.pop()!
      comp.push(c)
      for (const n of nb(c)) if (inSet.has(n) && !seen.has(n)) {
        seen.add(n)
        stack.push(n)
      }
    }
    out.push(comp.sort((a, b) => a - b))
  }
  return out
}

// ---------------------------------------------------------------------------------------
// Streets and communities (assigned per superblock, boundaries follow main roads)

const cellStreet: (string | null)[] = new Array(NCELL).fill(null)
const cellComm: (string | null)[] = new Array(NCELL).fill(null)
function streetAt(x: number, y: number, isNorth: boolean): string {
  if (isNorth) return x < -1000 + 150 * Math.sin(y / 600) ? '331181002' : '331181001'
  return x > 1900 + 200 * Math.sin(y / 700) ? '331181004' : '331181003'
}
for (const cs of blocks.values()) {
  if (!land[cs[0]]) continue
  const [x, y] = blockCentre(cs)
  const st = streetAt(x, y, north(cs[0]))
  let best: Community | null = null
  let bestD = Infinity
  for (const cm of communities) {
    if (cm.street !== st) continue
    const d = Math.hypot(x - cm.seed[0], y - cm.seed[1]) * (1 + 0.2 * noise(x + cm.seed[0] * 0.7, y - cm.seed[1] * 0.7))
    if (d < bestD) {
      bestD = d
      best = cm
    }
  }
  for (const c of cs) if (land[c]) {
    cellStreet[c] = st
    cellComm[c] = best!.code
  }
}
// make every community one connected piece: give stray pieces to the neighbour sharing most edges
for (let pass = 0; pass < 10; pass++) {
  let moved = 0
  for (const cm of communities) {
    const comps = components(range(NCELL).filter((c) => cellComm[c] === cm.code), cellNeighbours)
    if (comps.length === 0) throw new Error(`${cm.name} has no land`)
    comps.sort((a, b) => b.length - a.length || a[0] - b[0])
    for (const comp of comps.slice(1)) {
      const votes = new Map<string, number>()
      for (const c of comp) for (const n of cellNeighbours(c)) {
        const o = cellComm[n]
        if (o && o !== cm.code && cellStreet[n] === cellStreet[c]) votes.set(o, (votes.get(o) ?? 0) + 1)
      }
      const best = [...votes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
      if (!best) continue
      for (const c of comp) cellComm[c] = best[0]
      moved++
    }
  }
  if (!moved) break
}
const commCells = new Map<string, number[]>(communities.map((c) => [c.code, [] as number[]]))
for (let c = 0; c < NCELL; c++) if (cellComm[c]) commCells.get(cellComm[c]!)!.push(c)
const streetCells = new Map<string, number[]>(STREETS.map((s) => [s.code, [] as number[]]))
for (let c = 0; c < NCELL; c++) if (cellStreet[c]) streetCells.get(cellStreet[c]!)!.push(c)
for (const [code, cs] of commCells) {
  if (components(cs, cellNeighbours).length !== 1) throw new Error(`community ${commByCode.get(code)!.name} is not connected`)
}

// ---------------------------------------------------------------------------------------
// Tracing a set of cells into a (Multi)Polygon with shared vertices

type Ring = number[] // node ids, closed (first == last)
function traceCells(cells: Iterable<number>): Ring[][] {
  const set = new Set(cells)
  const comp = new Map<number, number>()
  components([...set].sort((a, b) => a - b), cellNeighbours).forEach((cs, k) => cs.forEach((c) => comp.set(c, k)))
  const has = (i: number, j: number) => i >= 0 && j >= 0 && i < NCI && j < NCJ && set.has(cellId(i, j))
  interface E { from: number; to: number; dir: number; used: boolean; fi: number; fj: number }
  const out = new Map<number, E[]>()
  const edges: E[] = []
  const add = (fi: number, fj: number, ti: number, tj: number, dir: number) => {
    const e: E = { from: nodeId(fi, fj), to: nodeId(ti, tj), dir, used: false, fi, fj }
    edges.push(e)
    if (!out.has(e.from)) out.set(e.from, [])
    out.get(e.from)!.push(e)
  }
  for (const c of [...set].sort((a, b) => a - b)) {
    const i = cellI(c)
    const j = cellJ(c)
    if (!has(i, j - 1)) add(i, j, i + 1, j, 0)
    if (!has(i + 1, j)) add(i + 1, j, i + 1, j + 1, 1)
    if (!has(i, j + 1)) add(i + 1, j + 1, i, j + 1, 2)
    if (!has(i - 1, j)) add(i, j + 1, i, j, 3)
  }
  const next = (e: E): E => {
    const cands = out.get(e.to)!
    if (cands.length === 1) return cands[0]
    // pinch: two cells of the set touch diagonally at this node
    const ni = Math.floor(e.to / NJ)
    const nj = e.to % NJ
    const pair = has(ni - 1, nj - 1) ? [cellId(ni - 1, nj - 1), cellId(ni, nj)] : [cellId(ni, nj - 1), cellId(ni - 1, nj)]
    const same = comp.get(pair[0]) === comp.get(pair[1])
    const want = same ? (e.dir + 3) % 4 : (e.dir + 1) % 4
    const f = cands.find((x) => x.dir === want)
    if (!f) throw new Error('trace: no turn')
    return f
  }
  const rings: Ring[] = []
  const firstEdge: E[] = []
  for (const e0 of edges) {
    if (e0.used) continue
    const ring = [e0.from]
    let e = e0
    for (;;) {
      e.used = true
      ring.push(e.to)
      const n = next(e)
      if (n === e0) break
      if (n.used) throw new Error('trace: ring does not close')
      e = n
    }
    rings.push(ring)
    firstEdge.push(e0)
  }
  const area = (r: Ring) => {
    let a = 0
    for (let k = 0; k + 1 < r.length; k++) a += PX[r[k]] * PY[r[k + 1]] - PX[r[k + 1]] * PY[r[k]]
    return a / 2
  }
  const pip = (x: number, y: number, r: Ring) => {
    let inside = false
    for (let k = 0, l = r.length - 2; k < r.length - 1; l = k++) {
      const xi = PX[r[k]], yi = PY[r[k]], xj = PX[r[l]], yj = PY[r[l]]
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
    }
    return inside
  }
  const shells: { ring: Ring; area: number; holes: Ring[] }[] = []
  const holes: { ring: Ring; e: E }[] = []
  rings.forEach((r, k) => {
    const a = area(r)
    if (a > 0) shells.push({ ring: r, area: a, holes: [] })
    else holes.push({ ring: r, e: firstEdge[k] })
  })
  for (const h of holes) {
    const dx = PX[h.e.to] - PX[h.e.from]
    const dy = PY[h.e.to] - PY[h.e.from]
    const len = Math.hypot(dx, dy)
    const x = (PX[h.e.to] + PX[h.e.from]) / 2 + (dy / len) * 2
    const y = (PY[h.e.to] + PY[h.e.from]) / 2 - (dx / len) * 2
    const owner = shells.filter((s) => pip(x, y, s.ring)).sort((a, b) => a.area - b.area)[0]
    if (!owner) throw new Error('trace: hole without shell')
    owner.holes.push(h.ring)
  }
  shells.sort((a, b) => b.area - a.area)
  return shells.map((s) => [s.ring, ...s.holes])
}
type Geometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] }
function cellsGeometry(cells: Iterable<number>): Geometry {
  const polys = traceCells(cells).map((p) => p.map((r) => r.map((n) => LLN[n])))
  if (polys.length === 0) throw new Error('empty cell set')
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys }
}
const quadGeometry = (pts: [number, number][]): Geometry => {
  const ring = pts.map(([x, y]) => toLL(x, y))
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] }
}

// ---------------------------------------------------------------------------------------
// Former villages, the planted 三不管 cases, management areas, parks

const nearestCell = (cells: number[], x: number, y: number) =>
  cells.reduce((b, c) => ((CX[c] - x) ** 2 + (CY[c] - y) ** 2 < (CX[b] - x) ** 2 + (CY[b] - y) ** 2 ? c : b), cells[0])
const cellsWithin = (cells: number[], x: number, y: number, r: number) =>
  cells.filter((c) => (CX[c] - x) ** 2 + (CY[c] - y) ** 2 <= r * r)
/** Midpoint of the cells along the boundary between two communities. */
function boundaryBetween(a: string, b: string): [number, number] {
  const pts: number[] = []
  for (const c of commCells.get(a)!) for (const n of cellNeighbours(c)) if (cellComm[n] === b) pts.push(c, n)
  if (pts.length === 0) throw new Error(`${commByCode.get(a)!.name} and ${commByCode.get(b)!.name} do not touch`)
  let x = 0
  let y = 0
  for (const c of pts) {
    x += CX[c]
    y += CY[c]
  }
  const [mx, my] = [x / pts.length, y / pts.length]
  const m = nearestCell(pts, mx, my)
  return [CX[m], CY[m]]
}
const code = (name: string) => commByName.get(name)!.code

interface VillagePlan { code: string; name: string; a: string; b: string; r: number }
const VILLAGES: VillagePlan[] = [
  { code: '331181003201', name: '吴岭村', a: '江南社区', b: '周际社区', r: 620 },
  { code: '331181003202', name: '水南村', a: '水南社区', b: '望江社区', r: 420 },
  { code: '331181003203', name: '宏山村', a: '宏山社区', b: '七星井社区', r: 700 },
  { code: '331181003204', name: '大沙村', a: '大沙社区', b: '南大洋社区', r: 400 },
  { code: '331181002201', name: '七村', a: '清风社区', b: '西新社区', r: 430 },
  { code: '331181001201', name: '黄灌村', a: '黄灌社区', b: '东景社区', r: 650 },
  { code: '331181001202', name: '后甸村', a: '后甸社区', b: '金乐社区', r: 340 },
]
for (const v of VILLAGES) if (divisions.some((d) => d.code === v.code)) throw new Error(`village code ${v.code} is a real code`)
const villageCells = new Map<string, number[]>()
for (const v of VILLAGES) {
  const [x, y] = boundaryBetween(code(v.a), code(v.b))
  const st = commByName.get(v.a)!.street
  const cs = cellsWithin(streetCells.get(st)!, x, y, v.r)
  const comp = components(cs, cellNeighbours).sort((p, q) => q.length - p.length)[0]
  const ncomm = new Set(comp.map((c) => cellComm[c])).size
  if (ncomm < 2) throw new Error(`${v.name} lies in one community`)
  villageCells.set(v.code, comp)
}

// (a) 吴处联建房: a block of 江南社区 (inside 原吴岭村) that no community holds
const jiangnan = code('江南社区')
const wuchuCells: number[] = (() => {
  const wl = new Set(villageCells.get('331181003201')!)
  const cs = commCells.get(jiangnan)!
  const [x, y] = blockCentre(villageCells.get('331181003201')!)
  const ok = (c: number) => {
    // a 2x2 block whose surrounding ring of cells is all 江南 and all in 吴岭村
    const i = cellI(c)
    const j = cellJ(c)
    for (let di = -1; di <= 2; di++) for (let dj = -1; dj <= 2; dj++) {
      const ii = i + di
      const jj = j + dj
      if (ii < 0 || jj < 0 || ii >= NCI || jj >= NCJ) return false
      const n = cellId(ii, jj)
      if (cellComm[n] !== jiangnan || !wl.has(n)) return false
    }
    return true
  }
  const cands = cs.filter(ok).sort((a, b) => (CX[a] - x) ** 2 + (CY[a] - y) ** 2 - ((CX[b] - x) ** 2 + (CY[b] - y) ** 2))
  if (!cands.length) throw new Error('no room for 吴处联建房')
  const c = cands[0]
  const i = cellI(c)
  const j = cellJ(c)
  return [cellId(i, j), cellId(i + 1, j), cellId(i, j + 1), cellId(i + 1, j + 1)]
})()
for (const c of wuchuCells) cellComm[c] = null
commCells.set(jiangnan, commCells.get(jiangnan)!.filter((c) => !wuchuCells.includes(c)))
if (components(commCells.get(jiangnan)!, cellNeighbours).length !== 1) throw new Error('江南 split by the hole')

// Development zone: the south-east of the south bank
const JIANCHI = '331181003'
const SHIDASHI = '331181004'
const southLand = [...streetCells.get(JIANCHI)!, ...streetCells.get(SHIDASHI)!]
const devZone = southLand.filter((c) => CX[c] > 1650 + 120 * Math.sin(CY[c] / 300) && CY[c] < -820 && CY[c] > -2700)
const devSet = new Set(devZone)
// (b) 水南犁山 棚户区: cells of 水南社区 next to the zone, claimed by both the street office and the zone
const lishanCells: number[] = (() => {
  const sn = commCells.get(code('水南社区'))!.filter((c) => !devSet.has(c))
  const touching = sn.filter((c) => cellNeighbours(c).some((n) => devSet.has(n)))
  if (!touching.length) throw new Error('水南 does not touch the development zone')
  const [x, y] = blockCentre(touching)
  const seed = nearestCell(touching, x, y)
  return cellsWithin(sn, CX[seed], CY[seed], 170)
})()
// construction bureau areas: 城南棚户区改造区块 (剑池) and 城北旧城改造区块 (龙渊)
const jianchiCells = streetCells.get(JIANCHI)!
const cbSouth = cellsWithin(jianchiCells, 350, -2350, 420).filter((c) => !devSet.has(c) && cellComm[c])
const cbSouthSet = new Set(cbSouth)
const cbNorth = cellsWithin(streetCells.get('331181001')!, -150, 1450, 260)
// (c) 林场: hill land south of the 城南 area that neither the street office nor the bureau claims
const linchangCells: number[] = (() => {
  const border = jianchiCells.filter(
    (c) => !cbSouthSet.has(c) && !devSet.has(c) && cellComm[c] && cellNeighbours(c).some((n) => cbSouthSet.has(n)) && CY[c] < -2500,
  )
  if (!border.length) throw new Error('no border for 林场')
  const seed = border.reduce((b, c) => (CY[c] < CY[b] ? c : b), border[0])
  return cellsWithin(jianchiCells, CX[seed], CY[seed] - 60, 230).filter((c) => !cbSouthSet.has(c) && !devSet.has(c) && cellComm[c])
})()
const linchangSet = new Set(linchangCells)
const lishanSet = new Set(lishanCells)
const wuchuSet = new Set(wuchuCells)
const cbNorthSet = new Set(cbNorth)
const MANAGEMENT = [
  { code: 'SO-331181001', name: '龙渊街道', kind: 'street_office', manager: '龙渊街道办事处',
    cells: streetCells.get('331181001')!.filter((c) => !cbNorthSet.has(c)) },
  { code: 'SO-331181002', name: '西街街道', kind: 'street_office', manager: '西街街道办事处', cells: streetCells.get('331181002')! },
  { code: 'SO-331181003', name: '剑池街道', kind: 'street_office', manager: '剑池街道办事处',
    cells: jianchiCells.filter((c) => !wuchuSet.has(c) && !(devSet.has(c) && !lishanSet.has(c)) && !cbSouthSet.has(c) && !linchangSet.has(c)) },
  { code: 'SO-331181004', name: '石达石街道', kind: 'street_office', manager: '石达石街道办事处',
    cells: streetCells.get(SHIDASHI)!.filter((c) => !devSet.has(c)) },
  { code: 'DZ-LQ', name: '龙泉经济开发区', kind: 'development_zone', manager: '经济开发区管委会', cells: [...devZone, ...lishanCells] },
  { code: 'CB-CHENGNAN', name: '城南棚户区改造区块', kind: 'construction_bureau', manager: '市住房和城乡建设局', cells: cbSouth },
  { code: 'CB-CHENGBEI', name: '城北旧城改造区块', kind: 'construction_bureau', manager: '市住房和城乡建设局', cells: cbNorth },
]
for (const m of MANAGEMENT) if (!m.cells.length) throw new Error(`management area ${m.name} is empty`)

// parks and a lake (basemap); no buildings are placed in park cells
const allLand = range(NCELL).filter((c) => land[c])
const PARKS = [
  { code: 'park-longquan', name: '龙泉公园', cells: cellsWithin(allLand.filter(north), -900, 950, 150) },
  { code: 'park-jianchihu', name: '剑池湖公园', cells: cellsWithin(allLand.filter((c) => !north(c)), -650, -800, 190) },
  {
    code: 'park-binjiang',
    name: '滨江公园',
    cells: allLand.filter((c) => cellJ(c) === JR + 1 && CX[c] > -700 && CX[c] < 900),
  },
  { code: 'park-dongcha', name: '东茶公园', cells: cellsWithin(allLand.filter(north), 2450, 1150, 150) },
]
const parkCell = new Set(PARKS.flatMap((p) => p.cells))
const lakeCell = nearestCell(PARKS[1].cells, -650, -800)

// ---------------------------------------------------------------------------------------
// Walking network: lattice edges around land cells, diagonal footways, 5 bridges

interface WalkEdge { a: number; b: number; via?: [number, number][]; highway: string; name: string | null }
const walkRng = rngFor('walk')
const isLand = (i: number, j: number) => i >= 0 && j >= 0 && i < NCI && j < NCJ && land[cellId(i, j)] === 1
const densityAtNodes = (a: number, b: number) => density((PX[a] + PX[b]) / 2, (PY[a] + PY[b]) / 2)

interface NamedRoad { axis: 'row' | 'col'; at: number; from: number; to: number; name: string; highway: string }
const ROADS: NamedRoad[] = [
  // east-west (rows: base y; range in base x)
  { axis: 'row', at: HW0, from: -3000, to: 3300, name: '龙渊路', highway: 'secondary' },
  { axis: 'row', at: 480, from: -3400, to: -1, name: '中山西路', highway: 'primary' },
  { axis: 'row', at: 480, from: 0, to: 3400, name: '中山东路', highway: 'primary' },
  { axis: 'row', at: 250, from: -2050, to: -1050, name: '西街', highway: 'pedestrian' },
  { axis: 'row', at: 950, from: -1900, to: 700, name: '华楼街', highway: 'tertiary' },
  { axis: 'row', at: 1450, from: -1600, to: 2600, name: '贤良路', highway: 'secondary' },
  { axis: 'row', at: 2150, from: -2700, to: 3100, name: '北环路', highway: 'secondary' },
  { axis: 'row', at: -HW0, from: -3300, to: 3500, name: '江滨路', highway: 'secondary' },
  { axis: 'row', at: -520, from: -3800, to: 3800, name: '剑川大道', highway: 'primary' },
  { axis: 'row', at: -1150, from: -2600, to: 1600, name: '南秦路', highway: 'tertiary' },
  { axis: 'row', at: -1750, from: -2300, to: 2600, name: '宏山路', highway: 'tertiary' },
  { axis: 'row', at: -2450, from: -3200, to: 3200, name: '环城南路', highway: 'secondary' },
  // north-south (cols: base x; range in base y)
  { axis: 'col', at: -2350, from: 60, to: 2400, name: '白云路', highway: 'tertiary' },
  { axis: 'col', at: -2350, from: -3000, to: -60, name: '大沙路', highway: 'tertiary' },
  { axis: 'col', at: -1250, from: 60, to: 2300, name: '西新路', highway: 'tertiary' },
  { axis: 'col', at: -1250, from: -2600, to: -60, name: '青瓷路', highway: 'tertiary' },
  { axis: 'col', at: -300, from: 60, to: 2500, name: '新华街', highway: 'secondary' },
  { axis: 'col', at: -300, from: -3300, to: -60, name: '剑池路', highway: 'secondary' },
  { axis: 'col', at: 550, from: 60, to: 2000, name: '宫头路', highway: 'tertiary' },
  { axis: 'col', at: 550, from: -2600, to: -60, name: '南大洋路', highway: 'tertiary' },
  { axis: 'col', at: 1350, from: 60, to: 2600, name: '东街', highway: 'tertiary' },
  { axis: 'col', at: 1350, from: -2200, to: -60, name: '水南路', highway: 'tertiary' },
  { axis: 'col', at: 2350, from: 60, to: 3000, name: '城东路', highway: 'secondary' },
  { axis: 'col', at: 2350, from: -2800, to: -60, name: '金岗路', highway: 'secondary' },
  { axis: 'col', at: 3250, from: -2600, to: 2600, name: '东环路', highway: 'secondary' },
]
const nearestMain = (ps: number[], mains: boolean[], v: number) => {
  let best = -1
  for (let k = 0; k < ps.length; k++) if (mains[k] && (best < 0 || Math.abs(ps[k] - v) < Math.abs(ps[best] - v))) best = k
  return best
}
const rowRoads = new Map<number, NamedRoad[]>()
const colRoads = new Map<number, NamedRoad[]>()
for (const r of ROADS) {
  const m = r.axis === 'row' ? rowRoads : colRoads
  const k = r.axis === 'row' ? (r.at === HW0 ? JR + 1 : r.at === -HW0 ? JR : nearestMain(YS, mainRow, r.at)) : nearestMain(XS, mainCol, r.at)
  if (!m.has(k)) m.set(k, [])
  m.get(k)!.push(r)
}

const walk: WalkEdge[] = []
function classify(a: number, b: number, main: boolean, named: NamedRoad | undefined): { highway: string; name: string | null } {
  const d = densityAtNodes(a, b)
  if (named && d > 0.12) return { highway: named.highway, name: named.name }
  const r = walkRng()
  if (d < 0.12) {
    if (main) return { highway: r < 0.7 ? 'residential' : 'service', name: null }
    return { highway: r < 0.06 ? 'steps' : r < 0.3 ? 'service' : 'path', name: null }
  }
  if (main) return { highway: r < 0.85 ? 'residential' : 'service', name: null }
  return { highway: r < 0.58 ? 'residential' : r < 0.9 ? 'service' : r < 0.97 ? 'footway' : 'path', name: null }
}
// horizontal edges (along rows)
for (let j = 0; j < NJ; j++) {
  for (let i = 0; i + 1 < NI; i++) {
    if (!isLand(i, j - 1) && !isLand(i, j)) continue
    const a = nodeId(i, j)
    const b = nodeId(i + 1, j)
    const bx = (XS[i] + XS[i + 1]) / 2
    const named = rowRoads.get(j)?.find((r) => bx >= r.from && bx <= r.to)
    walk.push({ a, b, ...classify(a, b, mainRow[j], named) })
  }
}
// vertical edges (along columns); none across the river except the bridges
for (let i = 0; i < NI; i++) {
  for (let j = 0; j + 1 < NJ; j++) {
    if (j === JR) continue
    if (!isLand(i - 1, j) && !isLand(i, j)) continue
    const a = nodeId(i, j)
    const b = nodeId(i, j + 1)
    const by = (YS[j] + YS[j + 1]) / 2
    const named = colRoads.get(i)?.find((r) => by >= r.from && by <= r.to)
    walk.push({ a, b, ...classify(a, b, mainCol[i], named) })
  }
}
// diagonal footways through some blocks (and steps in the hills); no buildings in those cells
const diagonalCell = new Set<number>()
for (let c = 0; c < NCELL; c++) {
  if (!land[c]) continue
  const d = density(CX[c], CY[c])
  const p = parkCell.has(c) ? 0.5 : d > 0.12 ? 0.035 : 0.05
  if (walkRng() >= p) continue
  const i = cellI(c)
  const j = cellJ(c)
  const flip = walkRng() < 0.5
  const a = flip ? nodeId(i, j) : nodeId(i + 1, j)
  const b = flip ? nodeId(i + 1, j + 1) : nodeId(i, j + 1)
  const steps = d < 0.12 ? walkRng() < 0.5 : walkRng() < 0.12
  walk.push({ a, b, highway: steps ? 'steps' : parkCell.has(c) ? 'pedestrian' : 'footway', name: null })
  diagonalCell.add(c)
}
// bridges over 龙泉溪
const BRIDGES = [
  { at: -2350, name: '大沙大桥', highway: 'secondary' },
  { at: -1250, name: '济川桥', highway: 'tertiary' },
  { at: -300, name: '龙泉大桥', highway: 'primary' },
  { at: 550, name: '留槎人行桥', highway: 'footway' },
  { at: 1350, name: '剑池大桥', highway: 'primary' },
]
for (const br of BRIDGES) {
  let i = nearestMain(XS, mainCol, br.at)
  if (!(isLand(i, JR - 1) || isLand(i - 1, JR - 1)) || !(isLand(i, JR + 1) || isLand(i - 1, JR + 1))) throw new Error(`bridge ${br.name} lands nowhere`)
  walk.push({ a: nodeId(i, JR), b: nodeId(i, JR + 1), highway: br.highway, name: br.name })
}
// thin the hill paths: keep a random spanning tree of the hills plus some loops
{
  const parent = new Map<number, number>()
  const find = (n: number): number => {
    let r = n
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!
    while (n !== r) {
      const nx = parent.get(n) ?? n
      parent.set(n, r)
      n = nx
    }
    return r
  }
  const hill = (e: WalkEdge) => !e.name && densityAtNodes(e.a, e.b) < 0.12
  const order = [...walk.filter((e) => !hill(e)), ...shuffle(walkRng, walk.filter(hill))]
  const keep = new Set<WalkEdge>()
  for (const e of order) {
    const ra = find(e.a)
    const rb = find(e.b)
    if (ra !== rb) {
      parent.set(ra, rb)
      keep.add(e)
    } else if (!hill(e) || walkRng() < 0.45) keep.add(e)
  }
  const kept = walk.filter((e) => keep.has(e))
  walk.length = 0
  walk.push(...kept)
}
// a bend in the middle of some lanes and paths
for (const e of walk) {
  if (e.name || !['residential', 'service', 'path', 'footway'].includes(e.highway)) continue
  if (walkRng() >= 0.18) continue
  const bank = (n: number) => n % NJ === JR || n % NJ === JR + 1
  if (bank(e.a) && bank(e.b)) continue // the bank roads follow the water's edge exactly
  const dx = PX[e.b] - PX[e.a]
  const dy = PY[e.b] - PY[e.a]
  const len = Math.hypot(dx, dy)
  const off = (walkRng() - 0.5) * Math.min(10, len * 0.08)
  const t = 0.35 + 0.3 * walkRng()
  e.via = [[PX[e.a] + dx * t - (dy / len) * off, PY[e.a] + dy * t + (dx / len) * off]]
}
// merge chains through nodes of degree 2 (same class and name), so edges run between intersections
{
  const inc = new Map<number, WalkEdge[]>()
  for (const e of walk) for (const n of [e.a, e.b]) {
    if (!inc.has(n)) inc.set(n, [])
    inc.get(n)!.push(e)
  }
  const same = (p: WalkEdge, q: WalkEdge) => p.highway === q.highway && p.name === q.name
  const pass = (n: number) => {
    const es = inc.get(n)!
    return es.length === 2 && es[0] !== es[1] && same(es[0], es[1])
  }
  // points of e walked from node `from`
  const pts = (e: WalkEdge, from: number): [number, number][] => {
    const mids = e.via ?? []
    return from === e.a ? mids : [...mids].reverse()
  }
  const done = new Set<WalkEdge>()
  const merged: WalkEdge[] = []
  for (const e0 of walk) {
    if (done.has(e0)) continue
    done.add(e0)
    // walk back from e0.a to the chain's start
    let start = e0.a
    let first = e0
    for (let guard = 0; pass(start) && guard < 100000; guard++) {
      const other = inc.get(start)!.find((x) => x !== first)!
      if (done.has(other)) break
      first = other
      done.add(other)
      start = other.a === start ? other.b : other.a
    }
    // now walk forward from start through first, collecting the geometry
    const via: [number, number][] = []
    let cur = first
    let at = start
    const seen = new Set<WalkEdge>([cur])
    for (;;) {
      via.push(...pts(cur, at))
      at = cur.a === at ? cur.b : cur.a
      if (!pass(at)) break
      const nx = inc.get(at)!.find((x) => x !== cur)!
      if (seen.has(nx)) break
      via.push([PX[at], PY[at]])
      cur = nx
      seen.add(cur)
      done.add(cur)
    }
    merged.push({ a: start, b: at, via: via.length ? via : undefined, highway: e0.highway, name: e0.name })
  }
  walk.length = 0
  walk.push(...merged.filter((e) => e.a !== e.b))
}
// one connected component
{
  const adj = new Map<number, number[]>()
  for (const e of walk) {
    if (!adj.has(e.a)) adj.set(e.a, [])
    if (!adj.has(e.b)) adj.set(e.b, [])
    adj.get(e.a)!.push(e.b)
    adj.get(e.b)!.push(e.a)
  }
  const comps = components([...adj.keys()].sort((a, b) => a - b), (n) => adj.get(n)!)
  if (comps.length !== 1) throw new Error(`walking network has ${comps.length} components`)
}

// ---------------------------------------------------------------------------------------
// People: grids, micro-grids, residences

const SURNAMES = '吴叶季刘李张王陈周毛徐杨林金胡郑蒋廖项管曾练何朱潘沈梅柳鲍'.split('')
const GIVEN = '建国华明丽芳伟军强敏静勇燕红平文英霞斌杰磊洁婷涛鹏辉林峰飞玲琴娟娜晓志海春秀美金松青瓷剑龙泉云凤瑶慧忠荣'.split('')
const personName = (rng: Rng) => pick(rng, SURNAMES) + pick(rng, GIVEN) + (rng() < 0.7 ? pick(rng, GIVEN) : '')
const ESTATE_A = '金乐华楼留槎剑池青瓷宝剑龙腾丽景江滨新华锦绣东茶和园翠竹凤栖瓯江龙渊溪畔南秀天鹅怡景阳光书香紫荆桂园梧桐东湖松涛芳华鸿福恒隆星辰玉兰雅苑嘉禾'
const ESTATE_PREFIX = Array.from({ length: ESTATE_A.length / 2 }, (_, k) => ESTATE_A.slice(2 * k, 2 * k + 2))
const ESTATE_SUFFIX = ['小区', '小区', '花园', '新村', '苑', '公寓']

/** Split a grid's households into micro-grids of typically 15–60. */
function splitMicro(rng: Rng, h: number): number[] {
  const parts: number[] = []
  let left = h
  while (left > 0) {
    const s = rng() < 0.1 ? randInt(rng, 36, 60) : randInt(rng, 15, 34)
    if (left - s < 15) {
      if (left <= 60) {
        parts.push(left)
        left = 0
      } else {
        const a = Math.floor(left / 2)
        parts.push(a, left - a)
        left = 0
      }
    } else {
      parts.push(s)
      left -= s
    }
  }
  return parts
}
/** Grid households for one community: within 500–800, with planted outliers. */
const OUTLIERS: Record<string, 'low' | 'high'> = {
  凤凰社区: 'low',
  东景社区: 'low',
  江南社区: 'low',
  水南社区: 'low',
  金乐社区: 'high',
  南秦社区: 'high',
  城东社区: 'high',
  大洋社区: 'high',
}
function splitGrids(rng: Rng, H: number, outlier?: 'low' | 'high'): number[] {
  let first = 0
  let rest = H
  let n = 0
  for (let tries = 0; tries < 100; tries++) {
    first = outlier === 'low' ? randInt(rng, 330, 480) : outlier === 'high' ? randInt(rng, 830, 960) : 0
    rest = H - first
    n = Math.max(1, Math.round(rest / 640))
    while (rest / n > 780) n++
    while (n > 1 && rest / n < 520) n--
    if (rest / n >= 520 && rest / n <= 780) break
  }
  if (rest / n < 500 || rest / n > 800) throw new Error(`cannot split ${H} households into grids`)
  let parts: number[] = []
  for (let tries = 0; tries < 200; tries++) {
    parts = apportion(rest, range(n).map(() => 0.85 + 0.3 * rng()))
    if (parts.every((p) => p >= 505 && p <= 795)) break
  }
  if (!parts.every((p) => p >= 500 && p <= 800)) parts = apportion(rest, range(n).map(() => 1))
  return first ? [first, ...parts] : parts
}

interface GridOut { code: string; name: string; community: string; cells: number[]; households: number; worker: string; fullTime: boolean }
interface MicroOut { code: string; name: string; grid: string; community: string; quad: [number, number][]; households: number; head: string }
interface ResidenceOut { code: string; name: string; community: string; point: [number, number]; households: number; residents: number }
const gridsOut: GridOut[] = []
const microsOut: MicroOut[] = []
const residencesOut: ResidenceOut[] = []
const usedSlots = new Map<number, Set<number>>() // cell -> used slot indices
const cellWeight = (c: number) => CAREA[c] * density(CX[c], CY[c])

function bilinear(q: [number, number][], u: number, v: number): [number, number] {
  const [p0, p1, p2, p3] = q
  return [
    (1 - u) * (1 - v) * p0[0] + u * (1 - v) * p1[0] + u * v * p2[0] + (1 - u) * v * p3[0],
    (1 - u) * (1 - v) * p0[1] + u * (1 - v) * p1[1] + u * v * p2[1] + (1 - u) * v * p3[1],
  ]
}
const cellQuad = (c: number): [number, number][] => cellCorners(c).map((n) => [PX[n], PY[n]])
function cellSlots(c: number, boost: number): [number, number] {
  const q = cellQuad(c)
  const du = (Math.hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]) + Math.hypot(q[2][0] - q[3][0], q[2][1] - q[3][1])) / 2
  const dv = (Math.hypot(q[3][0] - q[0][0], q[3][1] - q[0][1]) + Math.hypot(q[2][0] - q[1][0], q[2][1] - q[1][1])) / 2
  return [clamp(Math.floor(du / 28) + boost, 1, 6), clamp(Math.floor(dv / 28) + boost, 1, 6)]
}
function shrink(q: [number, number][], f: number): [number, number][] {
  const cx = (q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4
  const cy = (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4
  return q.map(([x, y]) => [cx + (x - cx) * f, cy + (y - cy) * f])
}

for (const cm of communities) {
  const rng = rngFor('grids:' + cm.code)
  const cells = commCells.get(cm.code)!
  const targets = splitGrids(rng, cm.households, OUTLIERS[cm.name])
  const n = targets.length
  // seeds by farthest-point sampling, then balanced region growing over the cells
  const [mx, my] = blockCentre(cells)
  const seeds: number[] = [cells.reduce((b, c) => ((CX[c] - mx) ** 2 + (CY[c] - my) ** 2 > (CX[b] - mx) ** 2 + (CY[b] - my) ** 2 ? c : b), cells[0])]
  while (seeds.length < n) {
    let best = cells[0]
    let bestD = -1
    for (const c of cells) {
      const d = Math.min(...seeds.map((s) => (CX[c] - CX[s]) ** 2 + (CY[c] - CY[s]) ** 2))
      if (d > bestD) {
        bestD = d
        best = c
      }
    }
    seeds.push(best)
  }
  const inComm = new Set(cells)
  const owner = new Map<number, number>()
  const W = sum(cells.map(cellWeight))
  const goal = targets.map((t) => (t / cm.households) * W)
  const fill = new Array(n).fill(0)
  const frontier: Set<number>[] = seeds.map(() => new Set())
  seeds.forEach((s, k) => {
    owner.set(s, k)
    fill[k] += cellWeight(s)
  })
  const pushFrontier = (c: number, k: number) => {
    for (const nb of cellNeighbours(c)) if (inComm.has(nb) && !owner.has(nb)) frontier[k].add(nb)
  }
  seeds.forEach((s, k) => pushFrontier(s, k))
  while (owner.size < cells.length) {
    let k = -1
    for (let g = 0; g < n; g++) {
      for (const c of [...frontier[g]]) if (owner.has(c)) frontier[g].delete(c)
      if (frontier[g].size && (k < 0 || fill[g] / goal[g] < fill[k] / goal[k])) k = g
    }
    if (k < 0) throw new Error(`grid growth stuck in ${cm.name}`)
    const s = seeds[k]
    let best = -1
    for (const c of frontier[k]) if (best < 0 || (CX[c] - CX[s]) ** 2 + (CY[c] - CY[s]) ** 2 < (CX[best] - CX[s]) ** 2 + (CY[best] - CY[s]) ** 2) best = c
    frontier[k].delete(best)
    owner.set(best, k)
    fill[k] += cellWeight(best)
    pushFrontier(best, k)
  }
  // order grids roughly north-west to south-east so numbering reads naturally
  const order = range(n).sort((a, b) => CY[seeds[b]] - CX[seeds[b]] * 0.5 - (CY[seeds[a]] - CX[seeds[a]] * 0.5))
  order.forEach((k, idx) => {
    const gcells = cells.filter((c) => owner.get(c) === k)
    const gcode = cm.code + String(idx + 1).padStart(3, '0')
    gridsOut.push({
      code: gcode,
      name: `${cm.name}第${idx + 1}网格`,
      community: cm.code,
      cells: gcells,
      households: targets[k],
      worker: personName(rng),
      fullTime: rng() < 0.22,
    })
  })
}

// micro-grids and residences, grid by grid
for (const g of gridsOut) {
  const rng = rngFor('micro:' + g.code)
  const parts = splitMicro(rng, g.households)
  let usable = g.cells.filter((c) => !parkCell.has(c) && !diagonalCell.has(c))
  if (!usable.length) usable = g.cells
  let slots: { c: number; s: number; ku: number; kv: number; key: number }[] = []
  for (let boost = 0; boost < 4; boost++) {
    slots = []
    for (const c of usable) {
      const [ku, kv] = cellSlots(c, boost)
      const w = density(CX[c], CY[c])
      for (let s = 0; s < ku * kv; s++) slots.push({ c, s, ku, kv, key: Math.pow(rng(), 1 / w) })
    }
    if (slots.length >= parts.length * 1.3) break
  }
  if (slots.length < parts.length) throw new Error(`no room for micro-grids in ${g.name}`)
  slots.sort((a, b) => b.key - a.key)
  const chosen = slots.slice(0, parts.length).sort((a, b) => a.c - b.c || a.s - b.s)
  // estates: a few per grid; micro-grids numbered within an estate
  const nEstates = Math.max(1, Math.round(parts.length / randInt(rng, 6, 12)))
  const estates = range(nEstates).map(() => {
    const village = commByCode.get(g.community)!.type === '村改居型' && rng() < 0.35
    return village ? { prefix: pick(rng, ESTATE_PREFIX) + '新村', numbering: '号楼' } : { prefix: pick(rng, ESTATE_PREFIX) + pick(rng, ESTATE_SUFFIX), numbering: '幢' }
  })
  const estateCount = new Array(nEstates).fill(0)
  chosen.forEach((sl, k) => {
    const q = cellQuad(sl.c)
    const su = sl.s % sl.ku
    const sv = Math.floor(sl.s / sl.ku)
    const slot: [number, number][] = [
      bilinear(q, su / sl.ku, sv / sl.kv),
      bilinear(q, (su + 1) / sl.ku, sv / sl.kv),
      bilinear(q, (su + 1) / sl.ku, (sv + 1) / sl.kv),
      bilinear(q, su / sl.ku, (sv + 1) / sl.kv),
    ]
    const size = Math.sqrt(Math.abs(CAREA[sl.c]) / (sl.ku * sl.kv))
    const want = 14 + Math.sqrt(parts[k]) * 4.2
    const quad = shrink(slot, clamp(want / size, 0.3, 0.72))
    const e = Math.min(nEstates - 1, Math.floor((k / chosen.length) * nEstates))
    estateCount[e]++
    const mname = `${estates[e].prefix}${estateCount[e]}${estates[e].numbering}`
    const mcode = g.code + String(k + 1).padStart(3, '0')
    if (!usedSlots.has(sl.c)) usedSlots.set(sl.c, new Set())
    usedSlots.get(sl.c)!.add(sl.s)
    microsOut.push({ code: mcode, name: mname, grid: g.code, community: g.community, quad, households: parts[k], head: personName(rng) })
    // residences: one per stairwell (单元)
    const units = parts[k] <= 20 ? 1 : parts[k] <= 40 ? 2 : 3
    const uh = apportion(parts[k], range(units).map(() => 0.8 + 0.4 * rng()))
    uh.forEach((h, u) => {
      residencesOut.push({
        code: '',
        name: units === 1 ? mname : `${mname}${u + 1}单元`,
        community: g.community,
        point: bilinear(quad, (u + 0.5) / units, 0.5),
        households: h,
        residents: 0,
      })
    })
  })
}
// residents per residence: exactly the community's resident population
for (const cm of communities) {
  const rng = rngFor('residents:' + cm.code)
  const rs = residencesOut.filter((r) => r.community === cm.code)
  const res = apportion(cm.resident, rs.map((r) => r.households * (0.75 + 0.5 * rng())))
  rs.forEach((r, k) => (r.residents = res[k]))
  if (sum(rs.map((r) => r.households)) !== cm.households) throw new Error(`households of ${cm.name}`)
}
residencesOut.forEach((r, k) => (r.code = 'R' + String(k + 1).padStart(6, '0')))

// ---------------------------------------------------------------------------------------
// Facilities

interface FacilityOut { code: string; name: string; type: string; community: string; point: [number, number]; area: number }
const facilitiesOut: FacilityOut[] = []
{
  const rng = rngFor('facilities')
  const LABEL: Record<string, string> = {
    party_service_centre: '党群服务中心',
    health_station: '卫生服务站',
    elderly_care: '康养驿站',
    canteen: '共享餐厅',
    children: '儿童之家',
    culture: '文化家园',
    employment: '就业服务站',
    pioneer_station: '先锋驿站',
  }
  const AREA: Record<string, [number, number]> = {
    health_station: [80, 320],
    elderly_care: [150, 600],
    canteen: [90, 300],
    children: [60, 220],
    culture: [100, 520],
    employment: [40, 120],
    pioneer_station: [20, 60],
  }
  const COUNTS: Record<string, number> = {
    health_station: 17,
    elderly_care: 24,
    canteen: 16,
    children: 20,
    culture: 22,
    employment: 10,
    pioneer_station: 15, // the report: 15 先锋驿站
  }
  const spots = new Map<number, number>() // cell -> facilities placed
  const place = (cm: Community, central: boolean): [number, number] => {
    const cells = commCells.get(cm.code)!.filter((c) => !diagonalCell.has(c))
    let c: number
    if (central) {
      let x = 0, y = 0, w = 0
      for (const k of cells) {
        const ww = cellWeight(k)
        x += CX[k] * ww
        y += CY[k] * ww
        w += ww
      }
      c = nearestCell(cells.filter((k) => !parkCell.has(k)), x / w, y / w)
    } else {
      let best = cells[0]
      let bestKey = -1
      for (const k of cells) {
        const key = Math.pow(rng(), 1 / (cellWeight(k) + 1e-9))
        if (key > bestKey) {
          bestKey = key
          best = k
        }
      }
      c = best
    }
    const n = spots.get(c) ?? 0
    spots.set(c, n + 1)
    return bilinear(cellQuad(c), [0.5, 0.25, 0.75, 0.35, 0.65][n % 5], 0.06 + 0.1 * Math.floor(n / 5))
  }
  for (const cm of communities) {
    facilitiesOut.push({ code: '', name: cm.name + LABEL.party_service_centre, type: 'party_service_centre', community: cm.code, point: place(cm, true), area: cm.service })
  }
  for (const type of facilityTypes) {
    if (type === 'party_service_centre') continue
    const n = COUNTS[type]
    // communities chosen with probability by population, without replacement; then repeats
    const keyed = communities.map((cm) => ({ cm, key: Math.pow(rng(), 1 / cm.resident) })).sort((a, b) => b.key - a.key)
    for (let k = 0; k < n; k++) {
      const cm = keyed[k % keyed.length].cm
      const nth = Math.floor(k / keyed.length)
      const name = cm.name + (nth ? ['', '第二', '第三'][nth] : '') + LABEL[type]
      const [lo, hi] = AREA[type]
      facilitiesOut.push({ code: '', name, type, community: cm.code, point: place(cm, false), area: Math.round((lo + (hi - lo) * rng()) / 5) * 5 })
    }
  }
  const seq = new Map<string, number>()
  for (const f of facilitiesOut) {
    const n = (seq.get(f.community) ?? 0) + 1
    seq.set(f.community, n)
    f.code = `F-${f.community}-${String(n).padStart(2, '0')}`
  }
}

// ---------------------------------------------------------------------------------------
// Infrastructure backlog: 23 硬化/亮化/绿化, 18 洁化, 15 供水排污 (9 + 6); about ¥67 M

interface BacklogOut {
  code: string; name: string; category: string; community: string; geometry: Geometry
  cost: number; households: number; complaints: number; severity: number; status: string; requested: string
  /** The site: the name's place part, up to 片 or 区块 (江南社区新村片). */
  site: string
  dependsOn: string[]
}
const backlogOut: BacklogOut[] = []
const BACKLOG_TOTAL = 66_880_000 // the report: 预算投资近6700万元
{
  const rng = rngFor('backlog')
  const categories = shuffle(rng, [
    ...new Array(11).fill('硬化'),
    ...new Array(6).fill('亮化'),
    ...new Array(6).fill('绿化'),
    ...new Array(18).fill('洁化'),
    ...new Array(9).fill('供水'),
    ...new Array(6).fill('排污'),
  ] as string[])
  // where: mostly converted villages and the urban fringe (宏山, 临江 area, 江南/吴处)
  const WHERE: [string, number][] = [
    ['宏山社区', 8], ['江南社区', 5], ['大沙社区', 6], ['黄灌社区', 5], ['水南社区', 4], ['后甸社区', 3],
    ['凤凰社区', 4], ['白云社区', 3], ['西新社区', 2], ['周际社区', 3], ['秦溪社区', 2], ['芳野社区', 2],
    ['七星井社区', 2], ['金岗社区', 2], ['望江社区', 1], ['东景社区', 1], ['清风社区', 1],
  ]
  const where = shuffle(rng, WHERE.flatMap(([n, k]) => new Array(k).fill(n) as string[]))
  // 吴处联建房: roads and sewers (the report), placed next to the hole in 江南
  const items: { cat: string; comm: string; place?: string; nearWuchu?: boolean }[] = [
    { cat: '硬化', comm: '江南社区', place: '吴处联建房区块', nearWuchu: true },
    { cat: '排污', comm: '江南社区', place: '吴处联建房区块', nearWuchu: true },
  ]
  const cats = [...categories]
  cats.splice(cats.indexOf('硬化'), 1)
  cats.splice(cats.indexOf('排污'), 1)
  cats.forEach((cat, k) => items.push({ cat, comm: where[k] }))
  if (items.length !== 56) throw new Error('backlog must have 56 items')
  const villageOf = (c: number) => VILLAGES.find((v) => villageCells.get(v.code)!.includes(c))
  const WHAT: Record<string, string[]> = {
    硬化: ['巷道硬化', '道路硬化', '机耕路硬化改造', '停车场地硬化'],
    亮化: ['路灯安装', '巷道亮化', '沿溪步道亮化'],
    绿化: ['小游园绿化', '边角地绿化提升', '沿河绿化带'],
    洁化: ['垃圾收集点改造', '公厕改造', '沟渠清淤保洁', '垃圾分类亭建设'],
    供水: ['供水管网改造', '自来水主管延伸', '二次供水改造'],
    排污: ['污水管网建设', '雨污分流改造', '化粪池改造'],
  }
  const COST: Record<string, [number, number]> = {
    硬化: [0.9e6, 2.6e6], 亮化: [0.25e6, 0.8e6], 绿化: [0.35e6, 1.3e6], 洁化: [0.2e6, 0.9e6], 供水: [1.6e6, 4.2e6], 排污: [2.2e6, 5.5e6],
  }
  const raw: number[] = []
  const statuses = shuffle(rng, [...new Array(44).fill('proposed'), ...new Array(6).fill('approved'), ...new Array(4).fill('in_progress'), ...new Array(2).fill('done')] as string[])
  const counter = new Map<string, number>()
  items.forEach((it, k) => {
    const cm = commByName.get(it.comm)!
    const cells = commCells.get(cm.code)!
    // anchor cell: next to 吴处联建房, or a random fringe-weighted cell of the community
    let anchor: number
    if (it.nearWuchu) {
      const ring = cells.filter((c) => cellNeighbours(c).some((n) => wuchuSet.has(n)))
      anchor = ring[k % ring.length]
    } else {
      anchor = cells[Math.floor(rng() * cells.length)]
    }
    const v = villageOf(anchor)
    const place = it.place ?? (v ? v.name.replace(/村$/, '') + '区块' : it.comm === '大沙社区' || it.comm === '望江社区' ? '临江区块' : pick(rng, ['新村', '老街', '溪边', '山脚', '后垄']) + '片')
    const nth = (counter.get(cm.name + place + it.cat) ?? 0) + 1
    counter.set(cm.name + place + it.cat, nth)
    const what = pick(rng, WHAT[it.cat])
    const name = `${cm.name}${place}${what}${nth > 1 ? `(${'二三四五'[nth - 2]}期)` : ''}`
    let geometry: Geometry
    if (['硬化', '亮化', '供水', '排污'].includes(it.cat)) {
      geometry = backlogLine(rng, cm.code, anchor, randInt(rng, 2, 6))
    } else if (it.cat === '绿化') {
      geometry = quadGeometry(shrink(cellQuad(anchor), 0.45))
    } else {
      const q = cellQuad(anchor)
      geometry = { type: 'Point', coordinates: toLL(...bilinear(q, 0.2 + 0.6 * rng(), 0.15)) }
    }
    const [lo, hi] = COST[it.cat]
    raw.push(lo + (hi - lo) * rng())
    backlogOut.push({
      code: 'BL-' + String(k + 1).padStart(3, '0'),
      name,
      category: it.cat,
      community: cm.code,
      geometry,
      cost: 0,
      households: randInt(rng, it.cat === '洁化' ? 30 : 40, it.cat === '供水' || it.cat === '排污' ? 650 : 320),
      complaints: it.nearWuchu ? randInt(rng, 25, 48) : randInt(rng, 0, 30),
      severity: it.nearWuchu ? 5 : clamp(Math.round(1 + rng() * 3.2 + (cm.type === '村改居型' ? 0.8 : 0)), 1, 5),
      status: statuses[k],
      requested: `2023-${String(randInt(rng, 1, 4)).padStart(2, '0')}-${String(randInt(rng, 1, 28)).padStart(2, '0')}`,
      site: cm.name + place,
      dependsOn: [],
    })
  })
  const costs = apportion(BACKLOG_TOTAL / 1000, raw).map((c) => c * 1000)
  backlogOut.forEach((b, k) => (b.cost = costs[k]))
  // Drainage and water go in before the road is hardened: a 硬化 item waits for the 排污 and 供水
  // items of its site. No draws here, so the random streams above stay as they were.
  for (const road of backlogOut.filter((b) => b.category === '硬化'))
    road.dependsOn = backlogOut.filter((b) => (b.category === '排污' || b.category === '供水') && b.site === road.site).map((b) => b.code)
}
/** A run of lattice edges inside one community (both neighbouring cells in it). */
function backlogLine(rng: Rng, comm: string, anchor: number, len: number): Geometry {
  const inC = (i: number, j: number) => i >= 0 && j >= 0 && i < NCI && j < NCJ && cellComm[cellId(i, j)] === comm
  const i0 = cellI(anchor)
  const j0 = cellJ(anchor)
  // candidate starts: the anchor cell's corners; directions E, N, W, S
  const interior = (i: number, j: number, d: number) => {
    if (d === 0) return inC(i, j - 1) && inC(i, j) // edge (i,j)-(i+1,j)
    if (d === 2) return inC(i - 1, j - 1) && inC(i - 1, j)
    if (d === 1) return inC(i - 1, j) && inC(i, j) // edge (i,j)-(i,j+1)
    return inC(i - 1, j - 1) && inC(i, j - 1)
  }
  const step = [[1, 0], [0, 1], [-1, 0], [0, -1]]
  let best: [number, number][] = []
  for (const [ci, cj] of [[i0, j0], [i0 + 1, j0], [i0, j0 + 1], [i0 + 1, j0 + 1]]) {
    for (const d0 of shuffle(rng, [0, 1, 2, 3])) {
      const path: [number, number][] = [[ci, cj]]
      let [i, j, d] = [ci, cj, d0]
      for (let s = 0; s < len; s++) {
        let nd = d
        if (s > 0 && rng() < 0.25) nd = (d + (rng() < 0.5 ? 1 : 3)) % 4
        if (!interior(i, j, nd)) nd = d
        if (!interior(i, j, nd)) break
        i += step[nd][0]
        j += step[nd][1]
        d = nd
        if (path.some(([a, b]) => a === i && b === j)) break
        path.push([i, j])
      }
      if (path.length > best.length) best = path
      if (best.length > len) break
    }
    if (best.length > len) break
  }
  if (best.length < 2) {
    // fall back to a line across the anchor cell
    const q = cellQuad(anchor)
    return { type: 'LineString', coordinates: [toLL(...bilinear(q, 0.5, 0.2)), toLL(...bilinear(q, 0.5, 0.8))] }
  }
  return { type: 'LineString', coordinates: best.map(([i, j]) => LLN[nodeId(i, j)]) }
}

// ---------------------------------------------------------------------------------------
// Basemap: county outline (GCJ-02 -> WGS-84), river, parks, lake

/**
 * The county outline: GCJ-02 -> WGS-84 with gcoord. The source is generalised to 1/1024°
 * and has zero-width spikes and rings that touch themselves; those are cleaned first, exactly,
 * on the source's 1/1024° grid: spikes and back-tracks dropped, pinched loops split off as
 * separate lobes (same orientation) or holes (opposite orientation).
 */
function countyOutline(): Geometry {
  const src = JSON.parse(fs.readFileSync(OUTLINE_GCJ, 'utf8'))
  const g = src.features[0].geometry
  if (g.type !== 'Polygon' || g.coordinates.length !== 1) throw new Error('outline: expected a Polygon with one ring')
  const Q = 1024
  let pts: [number, number][] = g.coordinates[0].map(([x, y]: number[]) => {
    const p: [number, number] = [Math.round(x * Q), Math.round(y * Q)]
    if (Math.abs(p[0] / Q - x) > 1e-9 || Math.abs(p[1] / Q - y) > 1e-9) throw new Error('outline: not on the 1/1024 grid')
    return p
  })
  const eq = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1]
  if (eq(pts[0], pts[pts.length - 1])) pts.pop()
  // drop duplicates, spikes (a b a) and back-tracks (b on the way back from a to c)
  for (let changed = true; changed; ) {
    changed = false
    const out: [number, number][] = []
    for (const p of pts) {
      if (out.length && eq(out[out.length - 1], p)) {
        changed = true
        continue
      }
      out.push(p)
      while (out.length >= 3) {
        const [a, b, c] = out.slice(-3)
        const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
        const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1])
        if (cross === 0 && dot <= 0) {
          out.splice(out.length - 2, 1) // b is a spike tip or a back-track
          if (out.length >= 2 && eq(out[out.length - 1], out[out.length - 2])) out.pop()
          changed = true
        } else break
      }
    }
    // the same across the ring's seam
    while (out.length > 3) {
      const n = out.length
      const [a, b, c] = [out[n - 1], out[0], out[1]]
      const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
      const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1])
      if (eq(a, b)) out.pop()
      else if (cross === 0 && dot <= 0) out.shift()
      else break
      changed = true
    }
    pts = out
  }
  // split at vertices the ring passes twice
  const loops: [number, number][][] = []
  const split = (ring: [number, number][]) => {
    const seen = new Map<string, number>()
    for (let k = 0; k < ring.length; k++) {
      const key = ring[k].join(',')
      const at = seen.get(key)
      if (at !== undefined) {
        split(ring.slice(at, k))
        split([...ring.slice(0, at), ...ring.slice(k)])
        return
      }
      seen.set(key, k)
    }
    if (ring.length >= 3) loops.push(ring)
  }
  split(pts)
  const signed = (r: [number, number][]) => {
    let a = 0
    for (let k = 0; k < r.length; k++) {
      const p = r[k]
      const q2 = r[(k + 1) % r.length]
      a += p[0] * q2[1] - q2[0] * p[1]
    }
    return a / 2
  }
  loops.sort((a, b) => Math.abs(signed(b)) - Math.abs(signed(a)))
  const mainSign = Math.sign(signed(loops[0]))
  const toWgs = (r: [number, number][], ccw: boolean): [number, number][] => {
    const rr = Math.sign(signed(r)) > 0 === ccw ? r : [...r].reverse()
    const ring = rr.map(([x, y]) => {
      const [lon, lat] = gcoord.transform([x / Q, y / Q], gcoord.GCJ02, gcoord.WGS84) as [number, number]
      return [r7(lon), r7(lat)] as [number, number]
    })
    return [...ring, ring[0]]
  }
  const shells = loops.filter((l) => Math.sign(signed(l)) === mainSign)
  const holes = loops.filter((l) => Math.sign(signed(l)) !== mainSign)
  const polys: [number, number][][][] = shells.map((sh) => [toWgs(sh, true)])
  // pinched-off holes are filled: at 1/1024° they are generalisation artefacts, and a hole that
  // touches its shell twice would disconnect the interior (invalid)
  const filled = holes.reduce((a, h) => a + Math.abs(signed(h)), 0)
  outlineStats = { loops: loops.length, lobes: shells.length - 1, holes: holes.length, vertices: pts.length, filledKm2: (filled / Q / Q) * (MX / 1000) * (MY / 1000) }
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys }
}
let outlineStats = { loops: 0, lobes: 0, holes: 0, vertices: 0, filledKm2: 0 }
function riverGeometry(): Geometry {
  const WEST = -14000
  const EAST = 10000
  const south: [number, number][] = []
  const northB: [number, number][] = []
  const step = 150
  for (let x = WEST; x < XS[0] - step / 2; x += step) south.push(toLL(...bankPoint(x, false)))
  for (let i = 0; i < NI; i++) south.push(LLN[nodeId(i, JR)])
  for (let x = XS[NI - 1] + step; x <= EAST; x += step) south.push(toLL(...bankPoint(x, false)))
  for (let x = WEST; x < XS[0] - step / 2; x += step) northB.push(toLL(...bankPoint(x, true)))
  for (let i = 0; i < NI; i++) northB.push(LLN[nodeId(i, JR + 1)])
  for (let x = XS[NI - 1] + step; x <= EAST; x += step) northB.push(toLL(...bankPoint(x, true)))
  const ring = [...south, ...northB.reverse()]
  ring.push(ring[0])
  return { type: 'Polygon', coordinates: [ring] }
}

// ---------------------------------------------------------------------------------------
// Assemble the layers

type Props = Record<string, string | number | boolean | null | string[]>
interface Feature { type: 'Feature'; properties: Props; geometry: Geometry }
const feature = (properties: Props, geometry: Geometry): Feature => ({ type: 'Feature', properties, geometry })
const lineLength = (coords: [number, number][]) => Math.round(turf.length(turf.lineString(coords), { units: 'kilometers' }) * 1000 * 100) / 100

const out: Record<LayerName, Feature[]> = {
  street: STREETS.map((s) => feature({ code: s.code, name: s.name, kind: '街道' }, cellsGeometry(streetCells.get(s.code)!))),
  community: communities.map((cm) =>
    feature(
      {
        code: cm.code,
        name: cm.name,
        parent_code: cm.street,
        type: cm.type,
        registered_population: cm.registered,
        resident_population: cm.resident,
        households: cm.households,
        service_area_m2: cm.service,
        full_time_workers: cm.workers,
      },
      cellsGeometry(commCells.get(cm.code)!),
    ),
  ),
  grid: gridsOut.map((g) =>
    feature(
      { code: g.code, name: g.name, parent_code: g.community, households: g.households, grid_worker: g.worker, worker_full_time: g.fullTime },
      cellsGeometry(g.cells),
    ),
  ),
  micro_grid: microsOut.map((m) =>
    feature({ code: m.code, name: m.name, parent_code: m.grid, households: m.households, building_head: m.head }, quadGeometry(m.quad)),
  ),
  former_village: VILLAGES.map((v) => feature({ code: v.code, name: v.name, converted_year: 2022 }, cellsGeometry(villageCells.get(v.code)!))),
  management_area: MANAGEMENT.map((m) => feature({ code: m.code, name: m.name, kind: m.kind, manager: m.manager }, cellsGeometry(m.cells))),
  facility: facilitiesOut.map((f) =>
    feature({ code: f.code, name: f.name, parent_code: f.community, type: f.type, floor_area_m2: f.area }, { type: 'Point', coordinates: toLL(...f.point) }),
  ),
  walk_edge: walk.map((e, k) => {
    const coords: [number, number][] = [LLN[e.a], ...(e.via ?? []).map(([x, y]) => toLL(x, y)), LLN[e.b]]
    return feature(
      { code: 'W' + String(k + 1).padStart(6, '0'), name: e.name, highway: e.highway, steps: e.highway === 'steps', length_m: lineLength(coords) },
      { type: 'LineString', coordinates: coords },
    )
  }),
  residence: residencesOut.map((r) =>
    feature({ code: r.code, name: r.name, parent_code: r.community, households: r.households, residents: r.residents }, { type: 'Point', coordinates: toLL(...r.point) }),
  ),
  backlog: backlogOut.map((b) =>
    feature(
      {
        code: b.code,
        name: b.name,
        parent_code: b.community,
        category: b.category,
        cost_yuan: b.cost,
        households_served: b.households,
        complaints: b.complaints,
        severity: b.severity,
        status: b.status,
        ...(b.dependsOn.length ? { depends_on: b.dependsOn } : {}),
        requested_on: b.requested,
      },
      b.geometry,
    ),
  ),
  basemap: [
    feature({ code: 'county-outline', name: '龙泉市', kind: 'outline' }, countyOutline()),
    // the land the four street offices must tile, for the 三不管 check of streets against the city
    feature({ code: 'city-urban', name: '龙泉市城区', kind: 'city' }, cellsGeometry(STREETS.flatMap((s) => streetCells.get(s.code)!))),
    feature({ code: 'river-longquanxi', name: '龙泉溪', kind: 'river' }, riverGeometry()),
    ...PARKS.map((p) => feature({ code: p.code, name: p.name, kind: 'park' }, cellsGeometry(p.cells))),
    feature({ code: 'water-jianchihu', name: '剑池湖', kind: 'water' }, quadGeometry(shrink(cellQuad(lakeCell), 0.62))),
  ],
}

// ---------------------------------------------------------------------------------------
// Validate against layers.ts, then write

function validate(layer: LayerName, fs_: Feature[], codesOf: (l: LayerName) => Set<string>) {
  const spec = layers[layer]
  const allowed = new Set(['code', ...(spec.parent ? ['parent_code'] : []), ...spec.properties.map((p) => p.name)])
  const seen = new Set<string>()
  const geomOk: Record<string, string[]> = { polygon: ['Polygon', 'MultiPolygon'], point: ['Point'], line: ['LineString'], any: ['Point', 'LineString', 'Polygon', 'MultiPolygon'] }
  for (const f of fs_) {
    const p = f.properties
    const where = `${layer} ${p.code}`
    if (typeof p.code !== 'string' || !spec.codePattern.test(p.code)) throw new Error(`${where}: bad code`)
    if (seen.has(p.code)) throw new Error(`${where}: duplicate code`)
    seen.add(p.code)
    for (const k of Object.keys(p)) if (!allowed.has(k)) throw new Error(`${where}: unknown property ${k}`)
    if (spec.parent) {
      const pc = p.parent_code
      if (pc == null) {
        if (spec.parent.required) throw new Error(`${where}: parent_code missing`)
      } else if (!codesOf(spec.parent.layer).has(String(pc))) throw new Error(`${where}: parent ${pc} not found`)
    }
    for (const ps of spec.properties as readonly PropertySpec[]) {
      const v = p[ps.name]
      if (v == null) {
        if (ps.required) throw new Error(`${where}: ${ps.name} required`)
        continue
      }
      const bad = (why: string) => new Error(`${where}: ${ps.name}=${v} ${why}`)
      if (ps.type === 'integer' && !Number.isInteger(v)) throw bad('not an integer')
      if (ps.type === 'number' && !(typeof v === 'number' && Number.isFinite(v))) throw bad('not a number')
      if (ps.type === 'boolean' && typeof v !== 'boolean') throw bad('not a boolean')
      if (ps.type === 'text' && typeof v !== 'string') throw bad('not text')
      if (ps.type === 'date' && !(typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))) throw bad('not a date')
      if (ps.type === 'text[]' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) throw bad('not a list of text')
      if (ps.links && Array.isArray(v) && !v.every((c) => codesOf(layer).has(c))) throw bad('names an unknown code')
      if (ps.values && !ps.values.includes(String(v))) throw bad('not an allowed value')
      if (ps.min != null && (v as number) < ps.min) throw bad('below min')
      if (ps.max != null && (v as number) > ps.max) throw bad('above max')
    }
    if (!geomOk[spec.geometry].includes(f.geometry.type)) throw new Error(`${where}: geometry ${f.geometry.type}`)
  }
}
const codeSets = new Map<LayerName, Set<string>>()
const codesOf = (l: LayerName) => {
  if (!codeSets.has(l)) codeSets.set(l, new Set(out[l].map((f) => String(f.properties.code))))
  return codeSets.get(l)!
}
for (const l of layerNames) validate(l, out[l], codesOf)

fs.mkdirSync(OUT, { recursive: true })
for (const l of layerNames) {
  const body = '{"type":"FeatureCollection","features":[\n' + out[l].map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n'
  fs.writeFileSync(path.join(OUT, `${l}.geojson`), body)
}

// ---------------------------------------------------------------------------------------
// Figures

const km2 = (g: Geometry) => turf.area(g as any) / 1e6
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
const report: string[] = []
const say = (s = '') => report.push(s)
say('Longquan sample city: figures')
say()
say('| layer | features | file size |')
say('|---|---:|---:|')
for (const l of layerNames) say(`| ${l} | ${fmt(out[l].length)} | ${fmt(fs.statSync(path.join(OUT, `${l}.geojson`)).size / 1024)} KB |`)
say()
const gridHH = gridsOut.map((g) => g.households)
const microHH = microsOut.map((m) => m.households)
say(`streets: ${STREETS.map((s) => `${s.name} ${fmt(km2(out.street[STREETS.indexOf(s)].geometry), 2)} km²`).join(', ')}`)
say(`communities: ${communities.length} (${communities.filter((c) => c.type === '村改居型').length} 村改居型, ${communities.filter((c) => c.type === '纯居型').length} 纯居型); resident ${fmt(sum(communities.map((c) => c.resident)))}, registered ${fmt(sum(communities.map((c) => c.registered)))}, households ${fmt(sum(communities.map((c) => c.households)))}`)
say(`service rooms below 300 m²: ${communities.filter((c) => c.service < 300).length} of 28; below 18 workers per 10,000 residents: ${communities.filter((c) => c.workers < (c.resident / 10000) * 18).length} of 28; full-time workers ${fmt(sum(communities.map((c) => c.workers)))}`)
say(`grids: ${gridsOut.length}; households per grid ${Math.min(...gridHH)}–${Math.max(...gridHH)}; under 500: ${gridHH.filter((h) => h < 500).length}, over 800: ${gridHH.filter((h) => h > 800).length}; full-time grid workers ${gridsOut.filter((g) => g.fullTime).length} (${fmt((100 * gridsOut.filter((g) => !g.fullTime).length) / gridsOut.length, 1)}% part-time)`)
say(`micro-grids: ${microsOut.length}; households per micro-grid ${Math.min(...microHH)}–${Math.max(...microHH)}, mean ${fmt(sum(microHH) / microHH.length, 1)}`)
say(`residences: ${residencesOut.length}; households ${fmt(sum(residencesOut.map((r) => r.households)))}, residents ${fmt(sum(residencesOut.map((r) => r.residents)))}`)
const walkLen = sum(out.walk_edge.map((f) => f.properties.length_m as number))
const hwCount = new Map<string, number>()
for (const e of walk) hwCount.set(e.highway, (hwCount.get(e.highway) ?? 0) + 1)
say(`county outline: ${fmt(km2(out.basemap[0].geometry), 0)} km², ${outlineStats.vertices} vertices after cleaning, ${outlineStats.lobes} pinched-off lobes, ${outlineStats.holes} pinched-off holes filled (${fmt(outlineStats.filledKm2, 3)} km²)`)
say(`walking network: ${walk.length} edges, ${fmt(walkLen / 1000, 1)} km, ${new Set(walk.flatMap((e) => [e.a, e.b])).size} nodes, 1 component, ${BRIDGES.length} bridges (${BRIDGES.map((b) => b.name).join(', ')}); ${[...hwCount.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`)
const ftCount = new Map<string, number>()
for (const f of facilitiesOut) ftCount.set(f.type, (ftCount.get(f.type) ?? 0) + 1)
say(`facilities: ${facilitiesOut.length}: ${facilityTypes.map((t) => `${t} ${ftCount.get(t) ?? 0}`).join(', ')}`)
const bcat = new Map<string, number>()
for (const b of backlogOut) bcat.set(b.category, (bcat.get(b.category) ?? 0) + 1)
say(`backlog: ${backlogOut.length} items, ¥${fmt(sum(backlogOut.map((b) => b.cost)))}: ${[...bcat.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}; in 村改居型 communities ${backlogOut.filter((b) => commByCode.get(b.community)!.type === '村改居型').length}`)
say(`former villages: ${VILLAGES.map((v) => `${v.name} (${[...new Set(villageCells.get(v.code)!.map((c) => cellComm[c]).filter(Boolean))].map((c) => commByCode.get(c!)!.name).join('+')})`).join(', ')}`)
say()
say('| community | street | type | km² | resident | registered | households | grids | micro-grids | service m² | workers |')
say('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
communities.forEach((cm, k) => {
  say(`| ${cm.name} | ${STREETS.find((s) => s.code === cm.street)!.name} | ${cm.type} | ${fmt(km2(out.community[k].geometry), 2)} | ${fmt(cm.resident)} | ${fmt(cm.registered)} | ${fmt(cm.households)} | ${gridsOut.filter((g) => g.community === cm.code).length} | ${microsOut.filter((m) => m.community === cm.code).length} | ${cm.service} | ${cm.workers} |`)
})
say()
const caseLine = (label: string, cells: number[]) => {
  const g = cellsGeometry(cells)
  const [lon, lat] = turf.centroid(g as any).geometry.coordinates
  return `${label}: centroid ${lon.toFixed(5)} E, ${lat.toFixed(5)} N; area ${fmt(turf.area(g as any))} m² (${fmt(turf.area(g as any) / 1e4, 2)} ha)`
}
say('planted 三不管 cases:')
say('- ' + caseLine('(a) 吴处联建房 — gap: in 剑池街道, in no community and no management area', wuchuCells))
say('- ' + caseLine('(b) 水南犁山棚户区 — overlap: claimed by 剑池街道办事处 and 龙泉经济开发区', lishanCells))
say('- ' + caseLine('(c) 林场 — gap between 城南棚户区改造区块 (建设局) and 剑池街道办事处', linchangCells))
console.log(report.join('\n'))
