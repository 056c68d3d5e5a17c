// The shape every unit layer shares (street office, community, grid, micro-grid): filled with
// meaning when it is the finest unit drawn, otherwise only a boundary framing the finer one.
//
// deck.gl draws the fill (picking, hover highlight); MapLibre draws the boundary as a line layer
// of the basemap's style. Measured in Chromium on SwiftShader, panning at zoom 14 with street
// offices, communities and grids: 283–333 ms a frame with deck.gl's outlines (its PathLayer costs
// in proportion to vertices, whatever the width), 117–150 ms with MapLibre's, 67 ms with none.
import type { Layer } from '@deck.gl/core'
import { GeoJsonLayer } from '@deck.gl/layers'
import type { AtlasFeature } from '../data/types.ts'
import type { LayerContext } from './context.ts'
import { fillsBelow, type InterleavedProps } from './order.ts'
import { hoverFill, type RGBA } from './palette.ts'
import { unitStyle, type MapLayer } from './zoom.ts'

export type UnitLayerName = 'street' | 'community' | 'grid' | 'micro_grid'
/** Finest first: the order the boundaries are stacked in, coarser on top. */
export const unitLayerNames: readonly UnitLayerName[] = ['micro_grid', 'grid', 'community', 'street']


export interface UnitLayerStyle {
  fill: (feature: Pick<AtlasFeature, 'properties'>) => RGBA
  /** The thin line between neighbours when filled. */
  line: RGBA
  /** The line when the layer frames a finer one. */
  outline: RGBA
  lineWidth: number
  outlineWidth: number
  /** What the fill colour depends on, for deck.gl to know when to recompute it. */
  trigger?: unknown
}

export interface Boundary {
  color: RGBA
  /** pixels */
  width: number
}

export interface UnitDrawing {
  layers: Layer[]
  boundary: Boundary
}

export function unitLayer(layer: UnitLayerName & MapLayer, features: AtlasFeature[], context: LayerContext, style: UnitLayerStyle): UnitDrawing {
  const filled = unitStyle(layer, context.drawn) === 'fill'
  const boundary = filled ? { color: style.line, width: style.lineWidth } : { color: style.outline, width: style.outlineWidth }
  if (!filled) return { layers: [], boundary }
  const fill = new GeoJsonLayer<AtlasFeature['properties'], InterleavedProps>({
    id: `${layer}/fill`,
    data: features,
    filled: true,
    stroked: false,
    pickable: true,
    autoHighlight: true,
    highlightColor: hoverFill,
    getFillColor: style.fill,
    updateTriggers: { getFillColor: style.trigger },
    // below the walking network, the boundaries and the labels MapLibre draws (interleaved mode)
    beforeId: fillsBelow,
  })
  return { layers: [fill], boundary }
}
