// Colours with meaning, shared by the layers that draw them and the legend that explains them.
import type { communityTypes, facilityTypes } from '../shared/layers.ts'

export type RGBA = [number, number, number, number]
export type RGB = [number, number, number]

export function hex(value: string, alpha = 255): RGBA {
  const n = Number.parseInt(value.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha]
}

export function cssColor([r, g, b, a]: RGBA): string {
  return a === 255 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(3)})`
}

/** The same colour at another opacity (0–255). */
export function withAlpha([r, g, b]: RGB | RGBA, alpha: number): RGBA {
  return [r, g, b, alpha]
}

/** What a translucent colour looks like drawn over another: the legend shows it as drawn. */
export function over([r, g, b, a]: RGBA, [R, G, B]: RGB | RGBA): RGB {
  const k = a / 255
  return [Math.round(r * k + R * (1 - k)), Math.round(g * k + G * (1 - k)), Math.round(b * k + B * (1 - k))]
}

export const basemapColors = {
  /** Outside the city outline. */
  background: '#e9e6df',
  land: '#f6f3ec',
  outline: '#9a8f80',
  water: '#a8cbe3',
  river: '#8fbad9',
  park: '#d3e6c1',
}
export const landRgb = hex(basemapColors.land)

export const unitAlpha = 178

export const communityFill: Record<(typeof communityTypes)[number], RGBA> = {
  纯居型: hex('#f2b277', unitAlpha),
  村改居型: hex('#a893d6', unitAlpha),
}
export const communityFallback: RGBA = hex('#c8c0b0', unitAlpha)
export const communityLine: RGBA = hex('#ffffff', 230)
export const communityOutline: RGBA = hex('#7a5a3a', 220)

export const streetLine: RGBA = hex('#34404f', 235)

export const gridBandFill: Record<'under' | 'in' | 'over', RGBA> = {
  // under the band: a caution yellow (not blue, which reads as water); within: green; over: red
  under: hex('#f3d35c', unitAlpha),
  in: hex('#94cf8f', unitAlpha),
  over: hex('#e8603c', unitAlpha),
}
export const gridFallback: RGBA = hex('#c8c8c8', unitAlpha)
export const gridLine: RGBA = hex('#ffffff', 220)
export const gridOutline: RGBA = hex('#2f5d50', 200)

/** Micro-grids by households: class breaks (户) and a sequential ramp. */
export const microGridBreaks = [20, 30, 40, 50] as const
export const microGridRamp: RGBA[] = ['#e3f2ef', '#b6dfd5', '#7fc4b5', '#43a08f', '#1d6f62'].map((c) => hex(c, 200))
export const microGridLine: RGBA = hex('#ffffff', 200)

export function microGridClass(households: number | null | undefined): number {
  if (households === null || households === undefined || !Number.isFinite(households)) return -1
  let i = 0
  while (i < microGridBreaks.length && households >= microGridBreaks[i]) i++
  return i
}

export const formerVillageLine: RGBA = hex('#8e3fb0', 230)
export const formerVillageHalo: RGBA = hex('#8e3fb0', 60)

export const facilityColors: Record<(typeof facilityTypes)[number], RGBA> = {
  party_service_centre: hex('#d7263d'),
  health_station: hex('#1f77b4'),
  elderly_care: hex('#ff8c1a'),
  canteen: hex('#8c564b'),
  children: hex('#e377c2'),
  culture: hex('#7b52c7'),
  employment: hex('#17a2b8'),
  pioneer_station: hex('#9aa61c'),
}
export const facilityFallback: RGBA = hex('#666666')

export const walkColors = {
  major: hex('#ffffff'),
  majorCasing: hex('#b9ae9c'),
  minor: hex('#ffffff', 235),
  foot: hex('#b08d66', 220),
  steps: hex('#c2453d'),
}

export const selectionLine: RGBA = hex('#e6005c')
export const selectionHalo: RGBA = hex('#ffffff', 230)
export const hoverFill: RGBA = [255, 255, 255, 90]
