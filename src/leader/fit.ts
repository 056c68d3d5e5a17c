// The page fits the map to a box within fixed margins (a narrower side column's, no inspector).
// The leader's dashboard is wider, and choosing a community opens the inspector on the right, so
// the box handed to the page is widened until, fitted within those margins, the community itself
// lands in the room left between the dashboard and the inspector. Web Mercator, 512-pixel tiles,
// as MapLibre fits.
import type { Bbox } from '../data/types.ts'

export interface FitRoom {
  /** The map's size, pixels. */
  width: number
  height: number
  /** The margins the page fits within. */
  fit: { top: number; bottom: number; left: number; right: number }
  /** Where the community should land: the clear pixels from the left and right edges. */
  clear: { left: number; right: number }
  maxZoom: number
}

const worldX = (lon: number) => (lon + 180) / 360
const worldY = (lat: number) => {
  const s = Math.sin((lat * Math.PI) / 180)
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)
}
const lonOf = (x: number) => x * 360 - 180

/**
 * The box to fit so that `bbox` shows centred in the clear room, as large as the room, the map's
 * height and `maxZoom` allow. The box is widened east and west only (its height is kept), so the
 * zoom the page's fit picks is the one that suits the community in its room.
 */
export function boxForRoom(bbox: Bbox, room: FitRoom): Bbox {
  const [west, south, east, north] = bbox
  const fitWidth = room.width - room.fit.left - room.fit.right
  const fitHeight = room.height - room.fit.top - room.fit.bottom
  const clearWidth = room.width - room.clear.left - room.clear.right
  if (fitWidth <= 0 || fitHeight <= 0 || clearWidth <= 0) return bbox
  const dx = Math.max(worldX(east) - worldX(west), 1e-12)
  const dy = Math.max(worldY(south) - worldY(north), 1e-12)
  // pixels per world unit: what fits the clear room across, the height, and the zoom limit
  const scale = Math.min(clearWidth / dx, fitHeight / dy, 512 * 2 ** room.maxZoom)
  // the page centres the box in its margins: shift it so the community's centre lands in the room's
  const shift = (room.clear.left + clearWidth / 2 - (room.fit.left + fitWidth / 2)) / scale
  const centre = (worldX(west) + worldX(east)) / 2 - shift
  const half = Math.max(fitWidth / scale / 2, dx / 2)
  return [lonOf(centre - half), south, lonOf(centre + half), north]
}
