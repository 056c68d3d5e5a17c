// The walking network (步行路网) the service circles are measured on: streets by class, paths,
// and steps, which matter to the elderly.
import { GeoJsonLayer } from '@deck.gl/layers'
import type { AtlasFeature } from '../data/types.ts'
import { walkColors, type RGBA } from './palette.ts'

export type WalkClass = 'major' | 'minor' | 'foot' | 'steps'

export function walkClass(feature: AtlasFeature): WalkClass {
  const highway = String(feature.properties?.highway ?? '')
  if (feature.properties?.steps === true || highway === 'steps') return 'steps'
  if (['primary', 'secondary', 'tertiary', 'trunk'].includes(highway)) return 'major'
  if (['footway', 'path', 'pedestrian', 'cycleway', 'track'].includes(highway)) return 'foot'
  return 'minor'
}

const widthM: Record<WalkClass, number> = { major: 10, minor: 5, foot: 2.5, steps: 3 }
const color: Record<WalkClass, RGBA> = { major: walkColors.major, minor: walkColors.minor, foot: walkColors.foot, steps: walkColors.steps }

export function walkLayers(features: readonly AtlasFeature[]) {
  const major = features.filter((f) => walkClass(f) === 'major')
  return [
    new GeoJsonLayer<Record<string, unknown>>({
      id: 'walk_edge/casing',
      data: major as never,
      stroked: true,
      getLineColor: walkColors.majorCasing,
      getLineWidth: widthM.major + 3,
      lineWidthUnits: 'meters',
      lineWidthMinPixels: 3,
      lineCapRounded: true,
    }),
    new GeoJsonLayer<Record<string, unknown>>({
      id: 'walk_edge/lines',
      data: features as never,
      stroked: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [230, 0, 92, 255],
      getLineColor: (f) => color[walkClass(f as AtlasFeature)],
      getLineWidth: (f) => widthM[walkClass(f as AtlasFeature)],
      lineWidthUnits: 'meters',
      lineWidthMinPixels: 1,
      lineCapRounded: true,
      lineJointRounded: true,
    }),
  ]
}
