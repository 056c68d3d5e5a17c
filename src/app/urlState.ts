// The URL holds the view, the visible layers, the selection, the language, the role, the
// basemap and the open workspace with its own keys, so a reload restores the map and a copied
// link opens the same one. It lives in the hash: the embedded server and any static host serve
// the same page for every link.
import { isAppRole, type AppRole } from '../shared/roles.ts'
import type { Lang } from '../i18n/core.ts'
import { defaultLayers, isMapLayer, maxMapZoom, minMapZoom, type MapLayer } from '../layers/zoom.ts'
import { isLayerName, type LayerName } from '../shared/layers.ts'

export type BasemapChoice = 'atlas' | 'osm' | 'tianditu'
export const basemapChoices: readonly BasemapChoice[] = ['atlas', 'osm', 'tianditu']

export interface View {
  zoom: number
  lat: number
  lon: number
}

export interface Selection {
  layer: LayerName
  code: string
}

export interface UrlState {
  view: View | null
  layers: MapLayer[]
  selection: Selection | null
  lang: Lang
  role: AppRole | null
  basemap: BasemapChoice
  /** The open workspace (`ws=circles`), or none. */
  workspace: string | null
  /** Every other key, as it came: the workspaces parse their own (app/workspace.ts). */
  params: Record<string, string>
}

export const defaultUrlState: UrlState = {
  view: null,
  layers: [...defaultLayers],
  selection: null,
  lang: 'zh',
  role: null,
  basemap: 'atlas',
  workspace: null,
  params: {},
}

const finite = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

const ownKeys = new Set(['map', 'layers', 'sel', 'lang', 'role', 'basemap', 'ws'])

export function parseUrlState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const state: UrlState = { ...defaultUrlState, layers: [...defaultUrlState.layers], params: {} }

  const map = params.get('map')?.split('/')
  if (map && map.length === 3) {
    const [zoom, lat, lon] = map.map(finite)
    if (zoom !== null && lat !== null && lon !== null && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
      state.view = { zoom: Math.min(Math.max(zoom, minMapZoom), maxMapZoom), lat, lon }
    }
  }
  const layers = params.get('layers')
  if (layers !== null) state.layers = [...new Set(layers.split(',').filter(isMapLayer))]

  const sel = params.get('sel')
  if (sel) {
    const at = sel.indexOf(':')
    const layer = sel.slice(0, at)
    const code = sel.slice(at + 1)
    if (at > 0 && isLayerName(layer) && /^[\w-]{1,40}$/.test(code)) state.selection = { layer, code }
  }
  const lang = params.get('lang')
  if (lang === 'en' || lang === 'zh') state.lang = lang
  const role = params.get('role')
  if (isAppRole(role)) state.role = role
  const basemap = params.get('basemap')
  if (basemap && (basemapChoices as readonly string[]).includes(basemap)) state.basemap = basemap as BasemapChoice
  const ws = params.get('ws')
  if (ws && /^[a-z][\w-]{0,31}$/.test(ws)) state.workspace = ws
  for (const [key, value] of params) if (!ownKeys.has(key)) state.params[key] = value
  return state
}

/** A value in the hash, escaped only where it must be (commas and slashes stay readable). */
const escape = (value: string) => encodeURIComponent(value).replace(/%2C/g, ',').replace(/%2F/g, '/')

/** The hash for a state; the view's precision follows its zoom (about a pixel). */
export function formatUrlState(state: UrlState): string {
  const parts: string[] = []
  if (state.view) {
    const { zoom, lat, lon } = state.view
    const digits = Math.max(4, Math.min(7, Math.ceil(zoom * Math.LOG10E * Math.LN2 + 2.5)))
    parts.push(`map=${zoom.toFixed(2)}/${lat.toFixed(digits)}/${lon.toFixed(digits)}`)
  }
  parts.push(`layers=${state.layers.join(',')}`)
  if (state.selection) parts.push(`sel=${state.selection.layer}:${state.selection.code}`)
  if (state.lang !== 'zh') parts.push(`lang=${state.lang}`)
  if (state.role) parts.push(`role=${state.role}`)
  if (state.basemap !== 'atlas') parts.push(`basemap=${state.basemap}`)
  if (state.workspace) parts.push(`ws=${state.workspace}`)
  for (const [key, value] of Object.entries(state.params)) parts.push(`${escape(key)}=${escape(value)}`)
  return '#' + parts.join('&')
}

/** Within this long of the last change that made an entry, another one joins it (a slider dragged). */
export const historyBurstMs = 1000

/** Whether two hashes differ in nothing but the view (`map=`): a pan or a zoom. */
export function viewOnlyChange(previousHash: string, nextHash: string): boolean {
  const withoutView = (hash: string) => formatUrlState({ ...parseUrlState(hash), view: null })
  return withoutView(previousHash) === withoutView(nextHash)
}

/**
 * How the address takes a new hash: a new history entry when something besides the view changed,
 * so Back undoes a selection, a workspace, a layer or a language; the current entry replaced when
 * only the view moved (panning would flood the history otherwise) or when the change follows the
 * last one within `historyBurstMs` (one entry for a burst).
 */
export function historyMode(previousHash: string, nextHash: string, msSinceLastChange: number): 'push' | 'replace' {
  if (viewOnlyChange(previousHash, nextHash)) return 'replace'
  return msSinceLastChange < historyBurstMs ? 'replace' : 'push'
}
