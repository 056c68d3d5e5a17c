// Label points of units for MapLibre's symbol layers: each at its polygon's pole of
// inaccessibility, with the zoom from which the name fits inside the polygon. MapLibre then
// keeps the labels from colliding; `rank` lets the roomier polygons place first.
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson'
import { polylabel, type LabelPoint } from '../analysis/polylabel.ts'
import type { AtlasFeature } from '../data/types.ts'

/** Units, and the basemap's named water and parks (one label each, not one per tile). */
export type LabelledLayer = 'street' | 'community' | 'grid' | 'basemap'

/** Metres per pixel at zoom 0 on MapLibre's 512-pixel tiles, at the equator. */
const metresPerPixelZ0 = 78271.517

/** Roughly the width of a label in pixels: CJK characters are square, others about half. */
export function labelWidthPx(name: string, sizePx: number): number {
  let width = 0
  for (const ch of name) width += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? sizePx : sizePx * 0.55
  return width
}

/** The zoom from which a label of that width fits inside a circle of `radiusM` at `lat`. */
export function fitZoom(radiusM: number, widthPx: number, lat: number): number {
  if (radiusM <= 0) return Infinity
  // fits when the inscribed circle's diameter covers most of the label's width
  const needed = (metresPerPixelZ0 * Math.cos((lat * Math.PI) / 180) * widthPx * 0.85) / (2 * radiusM)
  return Math.log2(needed)
}

const cache = new WeakMap<AtlasFeature, LabelPoint | null>()

function bestPoint(feature: AtlasFeature): LabelPoint | null {
  if (cache.has(feature)) return cache.get(feature)!
  const geometry = feature.geometry as Polygon | MultiPolygon | null
  let best: LabelPoint | null = null
  const polygons = geometry?.type === 'Polygon' ? [geometry.coordinates] : geometry?.type === 'MultiPolygon' ? geometry.coordinates : []
  for (const polygon of polygons) {
    const candidate = polylabel(polygon, 5)
    if (!best || candidate.radiusM > best.radiusM) best = candidate
  }
  cache.set(feature, best)
  return best
}

const labelSize: Record<LabelledLayer, number> = { street: 15, community: 14, grid: 12, basemap: 12 }

export function labelFeatures(layer: LabelledLayer, features: readonly AtlasFeature[]): Feature<Point>[] {
  const out: Feature<Point>[] = []
  for (const feature of features) {
    const name = feature.properties?.name
    if (typeof name !== 'string' || !name) continue
    const point = bestPoint(feature)
    if (!point) continue
    const minzoom = layer === 'street' || layer === 'basemap' ? 0 : fitZoom(point.radiusM, labelWidthPx(name, labelSize[layer]), point.point[1])
    if (!Number.isFinite(minzoom)) continue
    out.push({
      type: 'Feature',
      id: `${layer}:${feature.id}`,
      geometry: { type: 'Point', coordinates: point.point },
      properties: { name, layer, code: feature.id, minzoom: Math.round(minzoom * 100) / 100, rank: -Math.round(point.radiusM) },
    })
  }
  return out
}

export function labelCollection(parts: Feature<Point>[][]): FeatureCollection<Point> {
  return { type: 'FeatureCollection', features: parts.flat() }
}
