// Grids (网格), coloured by households against the city's band (500–800 as shipped): under, in or over.
import type { AtlasFeature } from '../data/types.ts'
import type { LayerContext } from './context.ts'
import { gridBandFill, gridFallback, gridLine, gridOutline } from './palette.ts'
import { unitLayer } from './unitLayer.ts'

export function gridColor(feature: Pick<AtlasFeature, 'properties'>) {
  const band = feature.properties?.band as keyof typeof gridBandFill | undefined
  return (band && gridBandFill[band]) || gridFallback
}

export function gridLayers(features: AtlasFeature[], context: LayerContext) {
  return unitLayer('grid', features, context, { fill: gridColor, line: gridLine, outline: gridOutline, lineWidth: 1, outlineWidth: 1.5 })
}
