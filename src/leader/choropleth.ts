// The leader's choropleth: an indicator's values → classes, colours and a legend that marks the
// standard. Pure (no React, no map): the page's map and legend, the PDF report and the CSV share
// it, so they colour and word the lights the same way.
//
// The standard is always a class break and the colours diverge there: greens on the side that
// meets it, ambers then reds on the side that misses it, darker the further from it. Inside each
// side the breaks follow the data (its terciles, rounded to readable numbers; the catalogue's
// amber threshold where it falls among the values), so no class is empty where that is avoidable.
import { formatNumber, type Lang } from '../i18n/core.ts'
import { say } from './report/words.ts'
import type { IndicatorInfo, IndicatorKey, IndicatorValue, Light } from './types.ts'

export interface ChoroplethClass {
  /** Open ends are null. For a 'min' indicator a class is from ≤ v < to; for a 'max' one from < v ≤ to. */
  from: number | null
  to: number | null
  color: string
  label: string
}

export interface Choropleth {
  key: IndicatorKey
  /** In legend order, low to high. */
  classes: ChoroplethClass[]
  /** The colour for no data. */
  noData: string
  /** The standard the legend marks: the value where the light turns green, in words. */
  standard: { value: number; label: string } | null
  colorOf(value: number | null): string
}

/**
 * The traffic lights' colours. Green, amber and red differ in lightness as well as hue (amber
 * light, green middling, red dark), so they stay apart for a reader who cannot tell red from green.
 */
export const lightColors: Record<Light, string> = {
  green: '#2f9e4f',
  amber: '#f2b33d',
  red: '#b81d2a',
  none: '#bdbdbd',
}

export function lightLabel(light: Light, lang: Lang): string {
  return say[lang](`leader.light.${light}`)
}

/** The data an indicator without a value needs, in words; null where it has its light or its standard is not applied. */
export function needsOf(info: Pick<IndicatorInfo, 'applied' | 'needs_zh' | 'needs_en'>, entry: IndicatorValue | undefined, lang: Lang): string | null {
  if ((entry?.light ?? 'none') !== 'none' || !info.applied || (entry?.value !== null && entry?.value !== undefined)) return null
  return (lang === 'zh' ? info.needs_zh : info.needs_en) || null
}

/** A unit's light in a word or two: met, near, missed, data missing, or the standard not applied here. */
export function lightShort(info: Pick<IndicatorInfo, 'applied'>, entry: IndicatorValue | undefined, lang: Lang): string {
  const light = entry?.light ?? 'none'
  return light === 'none' && !info.applied ? say[lang]('leader.light.notApplied') : lightLabel(light, lang)
}

/**
 * A unit's light in words, and where it has none, why: the city does not apply the standard, or
 * the data it is computed from is not loaded (named by the catalogue), never a bare "no data".
 */
export function lightText(info: Pick<IndicatorInfo, 'applied' | 'needs_zh' | 'needs_en'>, entry: IndicatorValue | undefined, lang: Lang): string {
  const needs = needsOf(info, entry, lang)
  return needs ? say[lang]('leader.light.needs', { needs }) : lightShort(info, entry, lang)
}

export const noDataColor = '#d0d0d0'

// Ramps from the standard outwards: the nearest class first. Lightness falls away from the
// standard on both sides; the missing side runs amber → orange → red.
const meetingRamps: Record<number, string[]> = {
  1: ['#74c476'],
  2: ['#a8dca0', '#2f8f4a'],
  3: ['#c2e6b8', '#6bbd72', '#1e7336'],
}
const missingRamps: Record<number, string[]> = {
  1: ['#ec7a3b'],
  2: ['#fcc46a', '#c8312b'],
  3: ['#fdd585', '#f08a3e', '#b21f2b'],
}
/** Without a standard: one hue, light to dark, low to high. */
const sequentialRamps: Record<number, string[]> = {
  1: ['#6f9fc9'],
  2: ['#b3cde3', '#3b78b0'],
  3: ['#c6dbef', '#6f9fc9', '#2a5f94'],
  4: ['#d6e5f3', '#97bcdc', '#5a8fc0', '#2a5f94'],
  5: ['#deebf7', '#aecde6', '#7aaed6', '#4b86bb', '#24578a'],
}

/** The most data breaks on either side of the standard (so at most three classes a side). */
const breaksPerSide = 2

/**
 * Indicators whose light judges the value's size, whatever its sign: 人户分离 is signed (more
 * residents than registered is negative) but as far from the standard either way. They are
 * classed by size, and their classes say ±.
 */
export const classedBySize: ReadonlySet<IndicatorKey> = new Set<IndicatorKey>(['household_separation'])

export function choropleth(info: IndicatorInfo, values: readonly (number | null)[], lang: Lang): Choropleth {
  const bySize = classedBySize.has(info.key)
  const finite = (v: number | null): v is number => typeof v === 'number' && Number.isFinite(v)
  const data = values.filter(finite).map((v) => (bySize ? Math.abs(v) : v))
  const upperInclusive = info.direction === 'max'
  const standard = info.green
  const breaks = standard === null ? sequentialBreaks(data) : divergingBreaks(info, standard, data)
  // The classes' colours, low to high.
  let colors: string[]
  if (standard === null) {
    colors = sequentialRamps[breaks.length + 1]
  } else {
    const at = breaks.indexOf(standard)
    const below = at + 1 // classes below the standard
    const above = breaks.length - at // classes above it
    const [lowSide, highSide] = info.direction === 'min' ? [missingRamps, meetingRamps] : [meetingRamps, missingRamps]
    colors = [...lowSide[below].slice().reverse(), ...highSide[above]]
  }
  const classes: ChoroplethClass[] = colors.map((color, i) => {
    const from = i === 0 ? null : breaks[i - 1]
    const to = i === breaks.length ? null : breaks[i]
    return { from, to, color, label: bySize ? sizeLabel(from, to, lang) : classLabel(from, to, upperInclusive, lang) }
  })
  const classOf = (value: number) => {
    let i = 0
    while (i < breaks.length && (upperInclusive ? value > breaks[i] : value >= breaks[i])) i++
    return i
  }
  return {
    key: info.key,
    classes,
    noData: noDataColor,
    standard: standard === null ? null : { value: standard, label: lang === 'zh' ? info.standard_zh : info.standard_en },
    colorOf: (value) => (finite(value) ? classes[classOf(bySize ? Math.abs(value) : value)].color : noDataColor),
  }
}

/**
 * The breaks, ascending, the standard among them: on each side of it, the side's terciles (and
 * the amber threshold on the missing side), rounded, dropped where they would leave a class empty.
 */
function divergingBreaks(info: IndicatorInfo, standard: number, data: number[]): number[] {
  const upperInclusive = info.direction === 'max'
  const meets = (v: number) => (info.direction === 'min' ? v >= standard : v <= standard)
  // For 'min' the values below the standard miss it; for 'max' those above it do.
  const low = data.filter((v) => meets(v) === (info.direction === 'max'))
  const high = data.filter((v) => meets(v) === (info.direction === 'min'))
  const amber = info.amber
  const missingSide = info.direction === 'min' ? 'low' : 'high'
  const side = (values: number[], which: 'low' | 'high'): number[] => {
    if (!values.length) return []
    const preferred = which === missingSide && amber !== null ? [amber] : []
    return sideBreaks(values, standard, which, preferred, upperInclusive)
  }
  return [...side(low, 'low'), standard, ...side(high, 'high')]
}

/** Data breaks strictly inside one side of the standard, ascending, none leaving a class empty. */
function sideBreaks(values: number[], standard: number, which: 'low' | 'high', preferred: number[], upperInclusive: boolean): number[] {
  const sorted = [...values].sort((a, b) => a - b)
  const lo = which === 'low' ? sorted[0] : standard
  const hi = which === 'high' ? sorted[sorted.length - 1] : standard
  // Cut at the terciles of the distinct values, so many equal values (0 % covered in half the
  // communities) do not swallow the classes; rounded to a step of the data's own spread (not the
  // distance to the standard, which may be far), finer where that rounding lands outside the side.
  const distinct = unique(sorted)
  const step = niceStep((distinct[distinct.length - 1] - distinct[0]) / 10)
  const inside = (b: number) => b > lo && b < hi
  const prefer = preferred.filter(inside)
  const quantiles: number[] = []
  for (const q of [1 / 3, 2 / 3]) {
    const exact = quantile(distinct, q)
    const rounded = [step, step / 2, step / 5, step / 10].map((s) => roundTo(exact, s)).find(inside)
    if (rounded !== undefined) quantiles.push(rounded)
  }
  let breaks = unique([...prefer, ...quantiles])
  // The side's classes, standard included as its edge: drop a break that leaves one of them empty.
  const edges = () => (which === 'low' ? [...breaks, standard] : [standard, ...breaks])
  for (;;) {
    const bounds = edges()
    const counts = new Array<number>(bounds.length + 1).fill(0)
    for (const v of sorted) {
      let i = 0
      while (i < bounds.length && (upperInclusive ? v > bounds[i] : v >= bounds[i])) i++
      counts[i]++
    }
    // On the low side the last class lies above the standard, on the high side the first below it.
    const own = which === 'low' ? counts.slice(0, -1) : counts.slice(1)
    const empty = own.findIndex((c) => c === 0)
    if (empty < 0 || !breaks.length) break
    // The empty class is bounded by breaks[empty - 1] and breaks[empty] (low side) or their like.
    const candidates = which === 'low' ? [breaks[empty], breaks[empty - 1]] : [breaks[empty - 1], breaks[empty]]
    const drop = candidates.find((b) => b !== undefined)!
    breaks = breaks.filter((b) => b !== drop)
  }
  // At most three classes a side: keep the amber threshold, drop the quantile nearest to it
  // (merging two classes never empties one).
  while (breaks.length > breaksPerSide) {
    const quantileBreaks = breaks.filter((b) => !prefer.includes(b))
    const anchor = prefer.find((b) => breaks.includes(b)) ?? standard
    const drop = quantileBreaks.reduce((a, b) => (Math.abs(b - anchor) < Math.abs(a - anchor) ? b : a))
    breaks = breaks.filter((b) => b !== drop)
  }
  return breaks
}

/** Without a standard: quintiles of the values, rounded, none leaving a class empty. */
function sequentialBreaks(data: number[]): number[] {
  if (data.length < 2) return []
  const sorted = [...data].sort((a, b) => a - b)
  const lo = sorted[0]
  const hi = sorted[sorted.length - 1]
  if (lo === hi) return []
  const step = niceStep((hi - lo) / 10)
  let breaks = unique([0.2, 0.4, 0.6, 0.8].map((q) => roundTo(quantile(sorted, q), step)).filter((b) => b > lo && b <= hi))
  for (;;) {
    const counts = new Array<number>(breaks.length + 1).fill(0)
    for (const v of sorted) {
      let i = 0
      while (i < breaks.length && v >= breaks[i]) i++
      counts[i]++
    }
    const empty = counts.findIndex((c) => c === 0)
    if (empty < 0) break
    breaks = breaks.filter((_, i) => i !== Math.min(empty, breaks.length - 1))
  }
  return breaks
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q
  const i = Math.floor(at)
  return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * (at - i) : sorted[i]
}

/** 1, 2 or 5 × a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  const scaled = raw / power
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power
}

function roundTo(value: number, step: number): number {
  // Rounded through the step's decimals, so 0.1 + 0.2 reads 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)))
  return Number((Math.round(value / step) * step).toFixed(decimals))
}

const unique = (numbers: number[]) => [...new Set(numbers)].sort((a, b) => a - b)

/** A break as a reader reads it: grouped digits, at most two decimals. */
export const formatBreak = (value: number, lang: Lang) => formatNumber(lang, value, 2)

function classLabel(from: number | null, to: number | null, upperInclusive: boolean, lang: Lang): string {
  const f = (v: number) => formatBreak(v, lang)
  if (from === null && to === null) return say[lang]('leader.class.all')
  if (from === null) return `${upperInclusive ? '≤' : '<'} ${f(to!)}`
  if (to === null) return `${upperInclusive ? '>' : '≥'} ${f(from)}`
  return `${f(from)}–${f(to)}`
}

/** A class of a size-judged indicator: within ±20, ±20–50, beyond ±50 (sizes are ≥ 0). */
function sizeLabel(from: number | null, to: number | null, lang: Lang): string {
  const f = (v: number) => formatBreak(v, lang)
  if (from === null && to === null) return say[lang]('leader.class.all')
  if (from === null) return say[lang]('leader.class.within', { n: f(to!) })
  if (to === null) return say[lang]('leader.class.beyond', { n: f(from) })
  return `±${f(from)}–${f(to)}`
}
