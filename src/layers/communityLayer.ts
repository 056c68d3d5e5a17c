// Communities (社区), coloured by type: 纯居型 (purely urban) or 村改居型 (converted from a village).
import type { AtlasFeature } from '../data/types.ts'
import type { LayerContext } from './context.ts'
import { communityFallback, communityFill, communityLine, communityOutline } from './palette.ts'
import { unitLayer } from './unitLayer.ts'

export function communityColor(feature: Pick<AtlasFeature, 'properties'>) {
  const type = feature.properties?.type as keyof typeof communityFill | undefined
  return (type && communityFill[type]) || communityFallback
}

export function communityLayers(features: AtlasFeature[], context: LayerContext) {
  return unitLayer('community', features, context, {
    fill: communityColor,
    line: communityLine,
    outline: communityOutline,
    lineWidth: 1.5,
    outlineWidth: context.zoom < 15 ? 2 : 2.5,
  })
}
