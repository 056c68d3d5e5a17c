// The selected unit, outlined on top of everything, so the inspector's subject is never in doubt.
import { GeoJsonLayer } from '@deck.gl/layers'
import type { Feature } from 'geojson'
import { selectionFill, selectionLine } from './palette.ts'

export function selectionLayers(feature: Feature | null) {
  if (!feature) return []
  return [
    new GeoJsonLayer({
      id: 'selection/outline',
      data: [feature] as never,
      filled: feature.geometry.type !== 'Point',
      stroked: true,
      getFillColor: selectionFill,
      getLineColor: selectionLine,
      getLineWidth: 3.5,
      lineWidthUnits: 'pixels',
      pointType: 'circle',
      getPointRadius: 10,
      pointRadiusUnits: 'pixels',
    }),
  ]
}
