// The shape every unit layer shares (street office, community, grid, micro-grid): filled with
// meaning when it is the finest unit drawn, otherwise an outline framing the finer one.
import { GeoJsonLayer } from '@deck.gl/layers'
import type { AtlasFeature } from '../data/types.ts'
import type { LayerContext } from './context.ts'
import { hoverFill, type RGBA } from './palette.ts'
import { unitStyle, type MapLayer } from './zoom.ts'

export interface UnitLayerStyle {
  fill: (feature: AtlasFeature) => RGBA
  /** The thin line between neighbours when filled. */
  line: RGBA
  /** The line when the layer frames a finer one. */
  outline: RGBA
  lineWidth: number
  outlineWidth: number
  /** What the fill colour depends on, for deck.gl to know when to recompute it. */
  trigger?: unknown
}

export function unitLayer(layer: MapLayer, features: readonly AtlasFeature[], context: LayerContext, style: UnitLayerStyle) {
  const filled = unitStyle(layer, context.drawn) === 'fill'
  return new GeoJsonLayer<Record<string, unknown>>({
    id: `${layer}/${filled ? 'fill' : 'outline'}`,
    data: features as never,
    filled,
    stroked: true,
    pickable: filled,
    autoHighlight: filled,
    highlightColor: hoverFill,
    getFillColor: style.fill as never,
    getLineColor: filled ? style.line : style.outline,
    getLineWidth: filled ? style.lineWidth : style.outlineWidth,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    updateTriggers: { getFillColor: style.trigger },
  })
}
