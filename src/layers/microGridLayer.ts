// Micro-grids (微网格): buildings and small compounds, coloured by households in classes.
import type { AtlasFeature } from '../data/types.ts'
import type { LayerContext } from './context.ts'
import { gridOutline, microGridClass, microGridLine, microGridRamp } from './palette.ts'
import { unitLayer } from './unitLayer.ts'

export function microGridColor(feature: Pick<AtlasFeature, 'properties'>) {
  const k = microGridClass(feature.properties?.households as number | undefined)
  return k < 0 ? microGridRamp[0] : microGridRamp[k]
}

export function microGridLayers(features: AtlasFeature[], context: LayerContext) {
  return unitLayer('micro_grid', features, context, { fill: microGridColor, line: microGridLine, outline: gridOutline, lineWidth: 0.8, outlineWidth: 1 })
}
