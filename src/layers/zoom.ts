// Zoom decides what is drawn: street offices and communities at city zoom, grids closer,
// micro-grids closest. A layer outside its zoom range is neither drawn nor fetched.
import type { LayerName } from '../shared/layers.ts'

/** The layers the map can draw (the basemap is drawn by MapLibre, not toggled here). */
export const mapLayers = ['street', 'community', 'grid', 'micro_grid', 'former_village', 'facility', 'walk_edge'] as const
export type MapLayer = (typeof mapLayers)[number] & LayerName

export function isMapLayer(value: string): value is MapLayer {
  return (mapLayers as readonly string[]).includes(value)
}

/**
 * How a layer is fetched at a zoom: in tiles of `tileZoom`, simplified for `detailZoom` (the
 * server keeps half a pixel of detail at that zoom). A layer may have coarser levels below.
 */
export interface FetchLevel {
  fromZoom: number
  tileZoom: number
  detailZoom: number
}

export interface LayerZoom {
  minZoom: number
  maxZoom: number
  levels: readonly FetchLevel[]
}

export const maxMapZoom = 19
export const minMapZoom = 8

export const layerZooms: Record<MapLayer | 'basemap', LayerZoom> = {
  street: { minZoom: 8, maxZoom: 15, levels: [{ fromZoom: 0, tileZoom: 9, detailZoom: 14 }] },
  community: { minZoom: 10.5, maxZoom: 17, levels: [{ fromZoom: 0, tileZoom: 10, detailZoom: 16 }] },
  grid: { minZoom: 13, maxZoom: 19, levels: [{ fromZoom: 0, tileZoom: 12, detailZoom: 17 }] },
  micro_grid: { minZoom: 15.5, maxZoom: 22, levels: [{ fromZoom: 0, tileZoom: 14, detailZoom: 18 }] },
  former_village: { minZoom: 10.5, maxZoom: 17, levels: [{ fromZoom: 0, tileZoom: 10, detailZoom: 16 }] },
  facility: { minZoom: 13, maxZoom: 22, levels: [{ fromZoom: 0, tileZoom: 11, detailZoom: 18 }] },
  walk_edge: { minZoom: 14.5, maxZoom: 22, levels: [{ fromZoom: 0, tileZoom: 14, detailZoom: 17 }] },
  basemap: {
    minZoom: 0,
    maxZoom: 22,
    levels: [
      { fromZoom: 0, tileZoom: 7, detailZoom: 11 },
      { fromZoom: 12, tileZoom: 11, detailZoom: 15 },
    ],
  },
}

/** The layers on by default (the former villages are an overlay one asks for). */
export const defaultLayers: readonly MapLayer[] = ['street', 'community', 'grid', 'micro_grid', 'facility', 'walk_edge']

export function inZoom(layer: MapLayer | 'basemap', zoom: number): boolean {
  const { minZoom, maxZoom } = layerZooms[layer]
  return zoom >= minZoom && zoom < maxZoom
}

/** The layers drawn at a zoom: switched on, and in their zoom range; in drawing order. */
export function drawnLayers(zoom: number, enabled: Iterable<MapLayer>): MapLayer[] {
  const on = new Set(enabled)
  return mapLayers.filter((layer) => on.has(layer) && inZoom(layer, zoom))
}

/** The fetch level of a layer at a zoom. */
export function fetchLevel(layer: MapLayer | 'basemap', zoom: number): FetchLevel {
  const levels = layerZooms[layer].levels
  let level = levels[0]
  for (const candidate of levels) if (zoom >= candidate.fromZoom) level = candidate
  return level
}

const unitDepth: Partial<Record<MapLayer, number>> = { street: 0, community: 1, grid: 2, micro_grid: 3 }

/**
 * Whether a unit layer is filled or drawn as an outline: only the finest unit layer drawn is
 * filled (its colour carries the meaning); its parents frame it as outlines.
 */
export function unitStyle(layer: MapLayer, drawn: readonly MapLayer[]): 'fill' | 'outline' {
  const depth = unitDepth[layer]
  if (depth === undefined || layer === 'street') return 'outline'
  const deeper = drawn.some((other) => (unitDepth[other] ?? -1) > depth && other !== 'street')
  return deeper ? 'outline' : 'fill'
}

/**
 * The deepest zoom at which a unit layer is still the filled one (its colour carries its
 * meaning: a grid's household band), where it has finer units that would take over.
 */
const filledUpTo: Partial<Record<MapLayer, number>> = { grid: layerZooms.micro_grid.minZoom - 0.1 }

/** A zoom at which a unit layer is drawn, near the given one: where search flies to. */
export function zoomShowing(layer: MapLayer, zoom: number): number {
  const { minZoom, maxZoom } = layerZooms[layer]
  const top = Math.min(maxZoom - 0.5, maxMapZoom - 0.5, filledUpTo[layer] ?? Infinity)
  return Math.min(Math.max(zoom, minZoom + 0.5), top)
}
