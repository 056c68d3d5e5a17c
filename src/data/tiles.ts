// Web-Mercator tile arithmetic: the map asks for a layer tile by tile, so a pan fetches only
// the strips it uncovers and a feature is never fetched twice at the same level of detail.
import type { Bbox } from './types.ts'

export interface Tile {
  z: number
  x: number
  y: number
}

const maxLatitude = 85.0511287798

export function tileKey(tile: Tile): string {
  return `${tile.z}/${tile.x}/${tile.y}`
}

function lonToX(lon: number, z: number): number {
  return ((lon + 180) / 360) * 2 ** z
}

function latToY(lat: number, z: number): number {
  const clamped = Math.max(-maxLatitude, Math.min(maxLatitude, lat))
  const rad = (clamped * Math.PI) / 180
  return ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z
}

function xToLon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180
}

function yToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z
  return (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))
}

/** The tiles of zoom z that cover a bounding box, nearest the box's centre first. */
export function tilesCovering(bbox: Bbox, z: number, limit = 256): Tile[] {
  const [west, south, east, north] = bbox
  const n = 2 ** z
  const x0 = Math.max(0, Math.floor(lonToX(west, z)))
  const x1 = Math.min(n - 1, Math.floor(lonToX(east, z) - 1e-9))
  const y0 = Math.max(0, Math.floor(latToY(north, z)))
  const y1 = Math.min(n - 1, Math.floor(latToY(south, z) - 1e-9))
  const cx = (x0 + x1) / 2
  const cy = (y0 + y1) / 2
  const tiles: Tile[] = []
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) tiles.push({ z, x, y })
  tiles.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy))
  return tiles.slice(0, limit)
}

export function tileBbox(tile: Tile): Bbox {
  const { z, x, y } = tile
  return [xToLon(x, z), yToLat(y + 1, z), xToLon(x + 1, z), yToLat(y, z)]
}
