// Former villages (原行政村): an overlay of the boundaries before 村改居, a halo and a line,
// drawn over the units so that a village split across communities shows at a glance.
import { GeoJsonLayer } from '@deck.gl/layers'
import type { AtlasFeature } from '../data/types.ts'
import { formerVillageHalo, formerVillageLine } from './palette.ts'

export function formerVillageLayers(features: AtlasFeature[]) {
  return [
    new GeoJsonLayer<AtlasFeature['properties']>({
      id: 'former_village/halo',
      data: features,
      filled: false,
      stroked: true,
      getLineColor: formerVillageHalo,
      getLineWidth: 7,
      lineWidthUnits: 'pixels',
    }),
    new GeoJsonLayer<AtlasFeature['properties']>({
      id: 'former_village/line',
      data: features,
      filled: false,
      stroked: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [142, 63, 176, 255],
      getLineColor: formerVillageLine,
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
    }),
  ]
}
