// Street offices (街道/乡镇): always a frame, the boundary above communities.
import type { AtlasFeature } from '../data/types.ts'
import type { LayerContext } from './context.ts'
import { streetLine } from './palette.ts'
import { unitLayer } from './unitLayer.ts'

export function streetLayers(features: AtlasFeature[], context: LayerContext) {
  const width = context.zoom < 12 ? 2.5 : 3.5
  return unitLayer('street', features, context, { fill: () => [0, 0, 0, 0], line: streetLine, outline: streetLine, lineWidth: width, outlineWidth: width })
}
