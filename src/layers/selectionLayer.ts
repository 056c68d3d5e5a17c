// The selected unit, outlined on top of everything, so the inspector's subject is never in doubt.
// An outline with a white halo, never a fill: a tint would change the colours that carry meaning.
import { GeoJsonLayer } from '@deck.gl/layers'
import type { Feature } from 'geojson'
import { selectionHalo, selectionLine } from './palette.ts'

export function selectionLayers(feature: Feature | null) {
  if (!feature) return []
  const point = feature.geometry.type === 'Point'
  return [6.5, 3].map(
    (width, i) =>
      new GeoJsonLayer({
        id: `selection/${i ? 'line' : 'halo'}`,
        data: [feature],
        filled: false,
        stroked: true,
        getLineColor: i ? selectionLine : selectionHalo,
        getLineWidth: width,
        lineWidthUnits: 'pixels',
        pointType: 'circle',
        getPointRadius: point ? 11 : 0,
        pointRadiusUnits: 'pixels',
      }),
  )
}
