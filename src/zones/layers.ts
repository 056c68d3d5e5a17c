// What the 三不管 workspace draws: the zones as MapLibre layers over one GeoJSON source each for
// the zones, their labels and the nesting violations. A zone is land nobody (gap) or more than one
// unit (overlap) is responsible for, so it is hatched rather than filled: the units under it stay
// readable. The hatches are images made here (fill-pattern), one per style; everything in this
// file is pure, so the map and the tests build the same thing.
import type { Feature, FeatureCollection } from 'geojson'
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import type { WorkspaceStyle } from '../app/workspace.ts'
import { formatArea, translatorsOf, type Lang } from '../i18n/core.ts'
import { labelFont } from '../map/basemapStyle.ts'
import type { CoManagement, NestingViolation, Zone } from './types.ts'
import * as words from './words.ts'

export const zonesSource = 'zones'
export const zoneLabelsSource = 'zones-labels'
export const nestingSource = 'zones-nesting'
/** The land of the declared co-managed areas: drawn apart, as no 三不管 zone. */
export const declaredSource = 'zones-declared'

/** The map's layers a click on a zone reaches. */
export const zoneFillLayer = 'zones-fill'

/**
 * The inks: gaps warm, overlaps cool, settled zones grey, units sticking out of their parent
 * magenta. Dark enough to read over the communities' peach and lavender fills, and none of them
 * near a colour the base map uses.
 */
export const zoneInks = {
  gap: '#d9480f',
  overlap: '#1864ab',
  settled: '#868e96',
  nesting: '#c2255c',
} as const
export type ZoneStyleName = keyof typeof zoneInks
/** Declared co-managed land: teal, a plain wash under a dashed outline, neither hatch nor a zone's ink. */
export const declaredInk = '#0b7285'

/** A zone's style: what it is, unless a planner has settled it. */
export const styleOf = (zone: Pick<Zone, 'kind' | 'status'>): ZoneStyleName => (zone.status === 'settled' ? 'settled' : zone.kind)

export const hatchImageId = (style: ZoneStyleName) => `zones-hatch-${style}`

/** The period of a hatch and the width of its stripes, pixels. */
export const hatchSize = 12
const stripe: Record<ZoneStyleName, number> = { gap: 3, overlap: 3, settled: 2, nesting: 2 }

export interface HatchImage {
  width: number
  height: number
  /** RGBA, rows top to bottom. */
  data: Uint8Array
}

const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]

/**
 * A hatch that tiles: opaque stripes on transparency, with hard edges so the stripes keep their
 * exact colour on the map. Gaps lean one way and overlaps the other (two kinds stay apart even
 * for a reader who cannot tell the colours); settled zones lean as gaps, thinner; nesting
 * violations are cross-hatched.
 */
export function hatchImage(style: ZoneStyleName, size = hatchSize): HatchImage {
  const [r, g, b] = rgbOf(zoneInks[style])
  const data = new Uint8Array(size * size * 4)
  const width = stripe[style]
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const rising = (((x + y) % size) + size) % size < width
      const falling = (((x - y) % size) + size) % size < width
      const on = style === 'overlap' ? falling : style === 'nesting' ? rising || falling : rising
      if (!on) continue
      const i = (y * size + x) * 4
      data[i] = r
      data[i + 1] = g
      data[i + 2] = b
      data[i + 3] = 255
    }
  return { width: size, height: size, data }
}

/** Every hatch by its image id. */
export function hatchImages(): Record<string, HatchImage> {
  return Object.fromEntries((Object.keys(zoneInks) as ZoneStyleName[]).map((style) => [hatchImageId(style), hatchImage(style)]))
}

/** The same hatch as CSS, for the legend and the panel's swatches. */
export function hatchCss(style: ZoneStyleName): string {
  const ink = zoneInks[style]
  const w = stripe[style]
  const stripes = (angle: number) => `repeating-linear-gradient(${angle}deg, ${ink} 0 ${w}px, transparent ${w}px ${hatchSize / Math.SQRT2}px)`
  if (style === 'nesting') return `${stripes(45)}, ${stripes(-45)}`
  return stripes(style === 'overlap' ? 45 : -45)
}

/** Largest first; equal areas by kind, level and id, so the order never flickers. */
export function sortZones<T extends Pick<Zone, 'id' | 'area_m2' | 'kind' | 'level'>>(zones: readonly T[]): T[] {
  return [...zones].sort((a, b) => b.area_m2 - a.area_m2 || a.kind.localeCompare(b.kind) || a.level.localeCompare(b.level) || a.id.localeCompare(b.id))
}

/** The name of the unit a zone goes to: its decision's owner once settled, else the suggestion. */
export function ownerOf(zone: Zone): { code: string; name: string } | null {
  const code = zone.decision?.owner_code ?? zone.suggested_owner
  if (!code) return null
  const candidate = zone.candidates.find((c) => c.code === code)
  return { code, name: candidate?.name || code }
}

const say = translatorsOf(words)

/** The label on the map: the area, and who it goes to, in the panel's words. */
export function zoneLabel(lang: Lang, zone: Zone): string {
  const owner = ownerOf(zone)
  const area = formatArea(lang, zone.area_m2)
  if (!owner) return area
  return `${area}\n${say[lang](zone.status === 'settled' ? 'zones.settledTo' : 'zones.suggested', { name: owner.name })}`
}

export interface ZoneDrawOptions {
  lang: Lang
  showNoise: boolean
  selected: string | null
}

/** The zones shown: noise only when asked for. */
export const shownZones = (zones: readonly Zone[], showNoise: boolean) => zones.filter((z) => showNoise || z.status !== 'noise')

/**
 * The zones' features (with their style, status and whether selected) and their labels. A gap
 * at two levels (a community gap that is also a management gap) is the same land twice: both
 * are drawn, the hatches coincide, and the label is given once per place, for the larger level
 * first in the list.
 */
export function zoneCollections(zones: readonly Zone[], { lang, showNoise, selected }: ZoneDrawOptions): { zones: FeatureCollection; labels: FeatureCollection } {
  const shown = sortZones(shownZones(zones, showNoise))
  const polygons: Feature[] = []
  const labels: Feature[] = []
  const labelled = new Set<string>()
  for (const zone of shown) {
    const properties = { id: zone.id, style: styleOf(zone), status: zone.status, kind: zone.kind, selected: zone.id === selected }
    if (zone.geometry) polygons.push({ type: 'Feature', properties, geometry: zone.geometry })
    const at = zone.label.map((v) => v.toFixed(6)).join(',')
    if (zone.status === 'noise' || (labelled.has(at) && zone.id !== selected)) continue
    labelled.add(at)
    labels.push({ type: 'Feature', properties: { ...properties, label: zoneLabel(lang, zone) }, geometry: { type: 'Point', coordinates: zone.label } })
  }
  return { zones: { type: 'FeatureCollection', features: polygons }, labels: { type: 'FeatureCollection', features: labels } }
}

export function nestingCollection(nesting: readonly NestingViolation[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: nesting.flatMap((n) => (n.geometry ? [{ type: 'Feature' as const, properties: { code: n.code, layer: n.layer, parent: n.parent_code }, geometry: n.geometry }] : [])),
  }
}

const byStyle = (values: Record<ZoneStyleName, string>): ExpressionSpecification =>
  ['match', ['get', 'style'], 'gap', values.gap, 'overlap', values.overlap, 'settled', values.settled, values.nesting]

/** The zones as MapLibre layers, hidden while the workspace is closed. */
export function zonesStyle(open: boolean): WorkspaceStyle {
  const visibility = open ? 'visible' : 'none'
  const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } }
  const noise: ExpressionSpecification = ['==', ['get', 'status'], 'noise']
  const layers: LayerSpecification[] = [
    {
      id: zoneFillLayer,
      type: 'fill',
      source: zonesSource,
      layout: { visibility },
      paint: {
        'fill-pattern': ['match', ['get', 'style'], 'overlap', hatchImageId('overlap'), 'settled', hatchImageId('settled'), hatchImageId('gap')],
        // noise is the faint version of its kind
        'fill-opacity': ['case', noise, 0.45, 1],
      },
    },
    {
      id: 'zones-nesting-fill',
      type: 'fill',
      source: nestingSource,
      layout: { visibility },
      paint: { 'fill-pattern': hatchImageId('nesting') },
    },
    {
      id: 'zones-nesting-line',
      type: 'line',
      source: nestingSource,
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': zoneInks.nesting, 'line-width': 1.5, 'line-dasharray': [1, 1.5] },
    },
    {
      id: 'zones-declared-fill',
      type: 'fill',
      source: declaredSource,
      layout: { visibility },
      paint: { 'fill-color': declaredInk, 'fill-opacity': 0.14 },
    },
    {
      id: 'zones-declared-line',
      type: 'line',
      source: declaredSource,
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': declaredInk, 'line-width': 2, 'line-dasharray': [4, 2] },
    },
    {
      id: 'zones-selected-halo',
      type: 'line',
      source: zonesSource,
      filter: ['==', ['get', 'selected'], true],
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 6, 'line-opacity': 0.9 },
    },
    {
      id: 'zones-line',
      type: 'line',
      source: zonesSource,
      filter: ['!=', ['get', 'status'], 'settled'],
      layout: { visibility, 'line-join': 'round' },
      paint: {
        'line-color': byStyle(zoneInks),
        'line-width': ['case', ['==', ['get', 'selected'], true], 3, noise, 0.8, 1.6],
      },
    },
    {
      // settled: a dashed grey outline, so it reads as dealt with
      id: 'zones-settled-line',
      type: 'line',
      source: zonesSource,
      filter: ['==', ['get', 'status'], 'settled'],
      layout: { visibility, 'line-join': 'round' },
      paint: { 'line-color': zoneInks.settled, 'line-width': ['case', ['==', ['get', 'selected'], true], 3, 1.4], 'line-dasharray': [3, 2] },
    },
    {
      id: 'zones-label',
      type: 'symbol',
      source: zoneLabelsSource,
      minzoom: 11.5,
      layout: {
        visibility,
        'text-field': ['get', 'label'],
        'text-font': labelFont,
        'text-size': ['interpolate', ['linear'], ['zoom'], 12, 12, 16, 14],
        'text-max-width': 16,
        'text-line-height': 1.3,
        'text-padding': 2,
        // beside the zone where its middle is taken by a unit's name
        'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
        'text-radial-offset': 1.2,
        'text-justify': 'auto',
        // the selected zone's label wins a collision
        'symbol-sort-key': ['case', ['==', ['get', 'selected'], true], 0, 1],
      },
      paint: {
        'text-color': ['match', ['get', 'style'], 'overlap', '#0b3d75', 'settled', '#343a40', '#7a2600'],
        // a wide opaque halo: the stripes must not cut through the strokes
        'text-halo-color': '#ffffff',
        'text-halo-width': 2.6,
      },
    },
  ]
  return { sources: { [zonesSource]: empty, [zoneLabelsSource]: empty, [nestingSource]: empty, [declaredSource]: empty }, layers }
}

/** The standing declarations' shared land, each with its arrangement. */
export function declaredCollection(declared: readonly CoManagement[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: declared
      .filter((d) => !d.withdrawn_at && d.geometry)
      .map((d) => ({ type: 'Feature', id: d.id, properties: { id: d.id, arrangement: d.arrangement, area: d.area_code, partner: d.partner_code }, geometry: d.geometry! })),
  }
}
