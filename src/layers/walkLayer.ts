// The walking network (步行路网) the service circles are measured on: streets by class, paths,
// and steps, which matter to the elderly. Drawn by MapLibre as part of the basemap's stack (its
// line layers cost a fraction of deck.gl's PathLayer in software WebGL), hovered and clicked
// through MapLibre's rendered features.
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import type { AtlasFeature } from '../data/types.ts'
import { fillsBelow } from './order.ts'
import { cssColor, walkColors } from './palette.ts'

export type WalkClass = 'major' | 'minor' | 'foot' | 'steps'

const majorHighways = ['primary', 'secondary', 'tertiary', 'trunk']
const footHighways = ['footway', 'path', 'pedestrian', 'cycleway', 'track']

export function walkClass(feature: AtlasFeature): WalkClass {
  const highway = typeof feature.properties?.highway === 'string' ? feature.properties.highway : ''
  if (feature.properties?.steps === true || highway === 'steps') return 'steps'
  if (majorHighways.includes(highway)) return 'major'
  if (footHighways.includes(highway)) return 'foot'
  return 'minor'
}

export const walkSource = 'walk'
/** The MapLibre layers a click or a hover may hit, and the atlas layer they show. */
export const walkQueryLayers = { 'walk-lines': 'walk_edge' } as const

/** Widths in metres on the ground, drawn to scale (about 69 km a pixel at zoom 0, at 28° N). */
const widthM: Record<WalkClass, number> = { major: 10, minor: 5, foot: 2.5, steps: 3 }
const metresPerPixelZ0 = 69_110

function byClass(values: Record<WalkClass, string | number>): ExpressionSpecification {
  return [
    'case',
    ['any', ['==', ['get', 'steps'], true], ['==', ['get', 'highway'], 'steps']],
    values.steps,
    ['match', ['get', 'highway'], majorHighways, values.major, footHighways, values.foot, values.minor],
  ]
}

/** A width of `extraM` more than each class's, to scale from zoom 14 to 20. */
function width(extraM = 0, only?: WalkClass): ExpressionSpecification {
  const at = (z: number) => {
    const px = (c: WalkClass) => ((widthM[c] + extraM) * 2 ** z) / metresPerPixelZ0
    return only ? px(only) : byClass({ major: px('major'), minor: px('minor'), foot: px('foot'), steps: px('steps') })
  }
  return ['interpolate', ['exponential', 2], ['zoom'], 14, at(14), 20, at(20)]
}

export function walkStyleLayers(visible: boolean, minzoom: number): LayerSpecification[] {
  const visibility = visible ? 'visible' : 'none'
  return [
    {
      id: fillsBelow, // 'walk-casing', the lowest of MapLibre's lines over the fills
      type: 'line',
      source: walkSource,
      minzoom,
      filter: ['match', ['get', 'highway'], majorHighways, true, false],
      layout: { visibility, 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': cssColor(walkColors.majorCasing), 'line-width': width(3, 'major') },
    },
    {
      id: 'walk-lines',
      type: 'line',
      source: walkSource,
      minzoom,
      layout: { visibility, 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': [
          'case',
          ['boolean', ['feature-state', 'hover'], false],
          '#e6005c',
          byClass({ major: cssColor(walkColors.major), minor: cssColor(walkColors.minor), foot: cssColor(walkColors.foot), steps: cssColor(walkColors.steps) }),
        ],
        'line-width': width(),
      },
    },
  ]
}
