// Service facilities: a dot per facility, coloured by type; the party-and-people service
// centre (党群服务中心) of each community is larger.
import { ScatterplotLayer } from '@deck.gl/layers'
import type { Point } from 'geojson'
import type { AtlasFeature } from '../data/types.ts'
import type { LayerContext } from './context.ts'
import { facilityColors, facilityFallback } from './palette.ts'

export function facilityColor(feature: Pick<AtlasFeature, 'properties'>) {
  const type = feature.properties?.type as keyof typeof facilityColors | undefined
  return (type && facilityColors[type]) || facilityFallback
}

export function facilityLayers(features: AtlasFeature[], context: LayerContext) {
  const scale = context.zoom < 15 ? 1 : context.zoom < 17 ? 1.4 : 1.8
  return [
    new ScatterplotLayer<AtlasFeature>({
      id: 'facility/dots',
      data: features,
      getPosition: (f) => (f.geometry as Point).coordinates as [number, number],
      getFillColor: facilityColor,
      getLineColor: [255, 255, 255, 255],
      getRadius: (f) => (f.properties?.type === 'party_service_centre' ? 7 : 5) * scale,
      radiusUnits: 'pixels',
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 0, 255],
      updateTriggers: { getRadius: scale },
    }),
  ]
}
