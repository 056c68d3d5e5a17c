// The seam between the page and its workspaces (service circles, 三不管 zones, the backlog, the
// leader's view). A workspace is one folder that brings its own data, layers and panel; the page
// knows it only through this interface and iterates over `workspaces` (./workspaces.ts).
import type { Layer } from '@deck.gl/core'
import type { FeatureCollection } from 'geojson'
import type { LayerSpecification, SourceSpecification } from 'maplibre-gl'
import type { ReactNode } from 'react'
import type { AtlasClient } from '../data/client.ts'
import type { Access, Bbox } from '../data/types.ts'
import type { Lang } from '../i18n/core.ts'
import type { MessageKey, Translate } from '../i18n/index.ts'
import type { AppRole } from '../shared/roles.ts'
import type { MapDrag } from '../map/MapView.tsx'
import type { Selection, View } from './urlState.ts'

/** What the page shares with every workspace. */
export interface WorkspaceContext {
  client: AtlasClient
  role: AppRole | null
  /** What row level security lets the signed-in role write (my_access). */
  access: Access | null
  /** Grows at every sign-in: what RLS decides must be fetched again. */
  generation: number
  view: View | null
  bounds: Bbox | null
  zoom: number
  selection: Selection | null
  lang: Lang
  t: Translate
  /** Whether the user has this workspace open: a closed one draws and fetches nothing. */
  open: boolean
  /** Moves the map to a box, clear of the side column, no closer than `maxZoom` (default 16.5). */
  fitBounds: (bbox: Bbox, maxZoom?: number) => void
  /** Fetches the unit layers and the selection again: after a workspace changed boundaries. */
  reloadUnits: () => void
  /** Selects a unit (or none), as a click on the map does: the inspector opens and the URL keeps it. */
  select: (selection: Selection | null) => void
}

/** An image a workspace's MapLibre layers use (a fill pattern): RGBA pixels. */
export interface WorkspaceImage {
  width: number
  height: number
  data: Uint8Array | Uint8ClampedArray
}

/** MapLibre sources and layers of a workspace. They stay in the style (hidden while closed), under the labels. */
export interface WorkspaceStyle {
  sources: Record<string, SourceSpecification>
  layers: LayerSpecification[]
}

/** What a workspace gives the page at each render. */
export interface WorkspaceDrawing {
  /** deck.gl layers for the current view, over the base map's. */
  layers: Layer[]
  style?: WorkspaceStyle
  /** The data of its style's GeoJSON sources, by source id: features, or a URL MapLibre's worker fetches. */
  data?: Record<string, FeatureCollection | string>
  /** Images its style's layers use, by id; added to the map while the workspace is open. */
  images?: Record<string, WorkspaceImage>
  /**
   * Clicks on features of these MapLibre layers go to the workspace instead of selecting the unit
   * under them.
   */
  featureClick?: { layers: string[]; onClick(properties: Record<string, unknown>): void }
  /** Its panel, in the side column while open. */
  panel: ReactNode
  /** Its legend entries (<li> elements). */
  legend: ReactNode
  /** A section of the inspector for the selected unit. */
  inspector: ReactNode
  /**
   * A click on the map while the workspace is in a mode (placing a facility): true when it took
   * the click. While it is set, nothing on the map is picked or hovered.
   */
  onMapClick?: (lngLat: [number, number]) => boolean
  /** The pointer over the map while in a mode. */
  cursor?: string
  /** A marker the pointer may drag. */
  drag?: MapDrag
  /** The tooltip of one of its deck.gl objects. */
  tooltip?: (deckLayerId: string, object: unknown) => string | null
  /** What it is fetching or computing, in words: the progress bar names them and the page is not idle. */
  loading: string[]
  /** A failure in words, with a retry. */
  error?: { message: string; retry: () => void } | null
}

/** A workspace's own keys of the URL's hash: parsed from their values, formatted back (null: leave the key out). */
export interface UrlSlice<S> {
  keys: readonly string[]
  parse(values: Readonly<Record<string, string | undefined>>): S
  format(state: S): Record<string, string | null>
}

export interface Workspace<S = never> {
  /** Its id in the URL: `ws=<id>`. */
  id: string
  title: MessageKey
  url: UrlSlice<S>
  /** A React hook: called at every render of the page, in the same order, open or not. */
  useWorkspace(context: WorkspaceContext, state: S, setState: (update: (state: S) => S) => void): WorkspaceDrawing
}

/** Declares a workspace, checking its parts against one state type. */
export const defineWorkspace = <S>(workspace: Workspace<S>): Workspace<S> => workspace

/**
 * Any workspace, whatever its state, as the page's list holds it: its id and title, and the
 * workspace itself handed to a function that works for every state type (TypeScript has no type
 * for "a workspace of some state"; this is how one is written).
 */
export interface AnyWorkspace {
  id: string
  title: MessageKey
  apply<R>(use: <S>(workspace: Workspace<S>) => R): R
}

export const anyWorkspace = <S>(workspace: Workspace<S>): AnyWorkspace => ({ id: workspace.id, title: workspace.title, apply: (use) => use(workspace) })

/** The values of a slice's keys in the URL's other parameters. */
export function sliceValues(slice: UrlSlice<unknown>, params: Readonly<Record<string, string>>): Record<string, string | undefined> {
  return Object.fromEntries(slice.keys.map((key) => [key, params[key]]))
}

/** The URL's other parameters with a slice's keys set to a state's values. */
export function withSlice<S>(slice: UrlSlice<S>, params: Readonly<Record<string, string>>, state: S): Record<string, string> {
  const next = { ...params }
  for (const [key, value] of Object.entries(slice.format(state))) {
    if (value === null) delete next[key]
    else next[key] = value
  }
  return next
}
