// The one owner of the map: a MapLibre map for the basemap and labels, with deck.gl's data
// layers drawn inside it (MapboxOverlay, interleaved, below the labels). Everything else gives
// it layers and data and hears back about the view, clicks and hovers.
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { Layer } from '@deck.gl/core'
import type { FeatureCollection } from 'geojson'
import maplibregl, { type GeoJSONSource, type StyleSpecification } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { useEffect, useLayoutEffect, useRef } from 'react'
import type { View } from '../app/urlState.ts'
import type { WorkspaceDrawing, WorkspaceImage } from '../app/workspace.ts'
import type { Bbox } from '../data/types.ts'
import { atlasLayerOf } from '../layers/context.ts'
import { isMapLayer, layerZooms, maxMapZoom, minMapZoom, zoomShowing, type MapLayer } from '../layers/zoom.ts'
import type { LayerName } from '../shared/layers.ts'
import { overlaysBelow, type InterleavedProps } from '../layers/order.ts'
import { localIdeographFont } from './basemapStyle.ts'

/** What deck.gl's pick found under the pointer (its hover's, or the click's own). */
interface DeckHit {
  x: number
  y: number
  picked: boolean
  layer?: Layer | null
  object?: unknown
}

/** What a click or a hover hit: a feature of an atlas layer, drawn by deck.gl or by MapLibre. */

/** Where a map with no view and no units opens: China's middle. */
export const chinaMiddle: [number, number] = [104.2, 35.9]
export interface Pick {
  layer: MapLayer
  properties: Record<string, unknown>
}

/**
 * A marker the pointer drags: a press within `radius` pixels of `at` starts it (and holds the map
 * still), every move reports where the pointer is, the release where it ended. The press is
 * measured, not picked: no picking pass for it.
 */
export interface MapDrag {
  at: [number, number]
  radius: number
  onMove: (lngLat: [number, number]) => void
  onEnd: (lngLat: [number, number]) => void
}

function nearDrag(map: maplibregl.Map, drag: MapDrag | undefined, x: number, y: number): boolean {
  if (!drag) return false
  const p = map.project(drag.at)
  return Math.hypot(p.x - x, p.y - y) <= drag.radius + 3
}

export interface MapViewProps {
  style: StyleSpecification
  /** Data of the style's GeoJSON sources, by source id; set without rebuilding the style. */
  sources: Record<string, FeatureCollection | string>
  layers: Layer[]
  initialView: View | null
  initialBounds: Bbox | null
  onView: (view: View, bounds: Bbox) => void
  /** A click: what it hit. */
  onPick: (pick: Pick | null) => void
  /** A click while a workspace is in a mode (placing a facility): taken before anything is picked when it returns true. */
  onModeClick?: (lngLat: [number, number]) => boolean
  onIdle: (idle: boolean) => void
  tooltip: (pick: Pick) => string | null
  /** The tooltip of an object of a deck.gl layer that is not an atlas layer (a workspace's). */
  otherTooltip?: (deckLayerId: string, object: unknown) => string | null
  /** The pointer over the map, when a mode wants another one (crosshair while placing). */
  cursor?: string
  drag?: MapDrag
  /** Images the style's layers use (workspaces' fill patterns), by id. */
  images?: Record<string, WorkspaceImage>
  /** Clicks on features of these MapLibre layers go to their handler, not to picking. */
  featureClick?: WorkspaceDrawing['featureClick']
  /** MapLibre layers that clicks and hovers reach (where deck.gl picks nothing), and their atlas layer. */
  queryable: Record<string, MapLayer>
  onError: (message: string) => void
  onReady: (map: maplibregl.Map) => void
}

/** Room for a workspace's side column (300 px while open) when fitting a workspace's object. */
export const workspacePadding = { top: 60, bottom: 60, left: 350, right: 60 }
/** Room for the panels over the map's left side when fitting the city. */
export const cityPadding = { top: 30, bottom: 40, left: 260, right: 30 }
/** …and for the inspector on the right when flying to a unit. */
export const unitPadding = { top: 60, bottom: 60, left: 280, right: 380 }

/** Flies to a box at a zoom where the layer is drawn. */
export function flyToUnit(map: maplibregl.Map, layer: LayerName, bbox: Bbox): void {
  const camera = map.cameraForBounds(bbox, { padding: unitPadding })
  const target = camera?.zoom ?? map.getZoom()
  const z = isMapLayer(layer) ? zoomShowing(layer, Math.min(target, layerZooms[layer].maxZoom - 0.5)) : target
  map.flyTo({ center: camera?.center ?? map.getCenter(), zoom: Math.min(z, 18.5), duration: 900 })
}

declare global {
  interface Window {
    __atlas?: { map: maplibregl.Map; overlay: MapboxOverlay }
  }
}

function withData(style: StyleSpecification, sources: Record<string, FeatureCollection | string>): StyleSpecification {
  const copy = { ...style, sources: { ...style.sources } }
  for (const [id, data] of Object.entries(sources)) {
    const source = copy.sources[id]
    if (source?.type === 'geojson') copy.sources[id] = { ...source, data }
  }
  return copy
}

function viewOf(map: maplibregl.Map): [View, Bbox] {
  const { lng, lat } = map.getCenter()
  const b = map.getBounds()
  return [{ zoom: map.getZoom(), lat, lon: lng }, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]]
}

export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null)
  const mapRef = useRef<maplibregl.Map | null>(null)
  const overlayRef = useRef<MapboxOverlay | null>(null)
  const dragging = useRef(false)
  // the layers the overlay was last given
  const sentLayers = useRef<Layer[]>([])
  // the props as of the last render, for the map's listeners, which are attached once
  const latest = useRef(props)
  useLayoutEffect(() => {
    latest.current = props
  })

  // The map is made once, from the props it first had; later changes arrive through the effects below.
  useEffect(() => {
    const initial = latest.current
    let map: maplibregl.Map
    try {
      map = new maplibregl.Map({
        container: container.current!,
        style: withData(initial.style, initial.sources),
        // with no view and no units to fit to (a new city): China's middle, as far out as the atlas goes
        center: initial.initialView ? [initial.initialView.lon, initial.initialView.lat] : chinaMiddle,
        zoom: initial.initialView?.zoom ?? minMapZoom,
        minZoom: minMapZoom,
        maxZoom: maxMapZoom,
        localIdeographFontFamily: localIdeographFont,
        attributionControl: { compact: false },
        dragRotate: false,
        pitchWithRotate: false,
        fadeDuration: 0,
      })
    } catch (error) {
      initial.onError((error as Error).message)
      return
    }
    if (!initial.initialView && initial.initialBounds) map.fitBounds(initial.initialBounds, { padding: cityPadding, duration: 0 })
    map.touchZoomRotate.disableRotation()
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right')
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left')

    // deck.gl's pick first (under a workspace's object, the atlas layers' object there); where it
    // hits nothing, MapLibre's features under the pointer
    let hovered: { source: string; id: string | number } | null = null
    /** The topmost object of an atlas layer drawn by deck.gl at a point, if any. */
    const pickAtlasObject = (x: number, y: number) => {
      const layerIds = latest.current.layers.map((l) => l.id).filter((id) => atlasLayerOf(id))
      return layerIds.length ? overlay.pickObject({ x, y, layerIds }) : null
    }
    const pickAt = (info: DeckHit): (Pick & { feature?: maplibregl.MapGeoJSONFeature }) | null => {
      let hit: { layer?: Layer | null; object?: unknown } | null = info.picked && info.layer ? info : null
      if (hit && !atlasLayerOf(hit.layer!.id) && info.x >= 0) hit = pickAtlasObject(info.x, info.y)
      const layer = hit?.layer ? atlasLayerOf(hit.layer.id) : null
      const properties = (hit?.object as { properties?: Record<string, unknown> } | undefined)?.properties
      if (layer && properties) return { layer, properties }
      const queryable = latest.current.queryable
      const ids = Object.keys(queryable).filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none')
      if (!ids.length || info.x < 0 || info.y < 0) return null
      const r = 4
      const [feature] = map.queryRenderedFeatures([[info.x - r, info.y - r], [info.x + r, info.y + r]], { layers: ids })
      return feature ? { layer: queryable[feature.layer.id], properties: feature.properties, feature } : null
    }
    const overlay = new MapboxOverlay({
      interleaved: true,
      layers: [],
      onHover: (info) => {
        if (dragging.current) return
        const other = info.picked && info.layer && !atlasLayerOf(info.layer.id)
        const draggable = info.x >= 0 && nearDrag(map, latest.current.drag, info.x, info.y)
        const pick = draggable ? null : pickAt(info)
        map.getCanvas().style.cursor = draggable ? 'grab' : (latest.current.cursor ?? (pick || other ? 'pointer' : ''))
        const next = pick?.feature?.id !== undefined ? { source: pick.feature.source, id: pick.feature.id } : null
        if (hovered && (hovered.id !== next?.id || hovered.source !== next?.source)) map.setFeatureState(hovered, { hover: false })
        if (next) map.setFeatureState(next, { hover: true })
        hovered = next
      },
      getTooltip: (info) => {
        if (dragging.current) return null
        const other = info.picked && info.layer && !atlasLayerOf(info.layer.id) ? latest.current.otherTooltip?.(info.layer.id, info.object) : null
        const pick = other ? null : pickAt(info)
        const text = other || (pick && latest.current.tooltip(pick))
        return text ? { text, className: 'atlas-tooltip' } : null
      },
    })
    map.addControl(overlay)
    // A click is MapLibre's (which fires on every press and release in place), picked here, rather
    // than deck.gl's onClick, which depends on the pick deck.gl made at the press.
    map.on('click', (event) => {
      if (dragging.current) return // the release of a drag, not a click
      if (latest.current.onModeClick?.([event.lngLat.lng, event.lngLat.lat])) return
      const { x, y } = event.point
      const claimed = latest.current.featureClick
      const claimedIds = claimed?.layers.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none') ?? []
      if (claimed && claimedIds.length) {
        const [feature] = map.queryRenderedFeatures([x, y], { layers: claimedIds })
        if (feature) return claimed.onClick(feature.properties)
      }
      // one picking pass, over the atlas layers only: what pickAt would pick again under a workspace's object
      const hit = pickAtlasObject(x, y)
      const pick = pickAt({ x, y, picked: !!hit, layer: hit?.layer ?? null, object: hit?.object })
      latest.current.onPick(pick && { layer: pick.layer, properties: pick.properties })
    })
    mapRef.current = map
    overlayRef.current = overlay
    window.__atlas = { map, overlay }
    initial.onReady(map)

    const report = () => {
      const [view, bounds] = viewOf(map)
      latest.current.onView(view, bounds)
    }
    // Dragging a marker: a press on it holds the map still (no pan) until the release.
    map.on('mousedown', (event) => {
      const drag = latest.current.drag
      if (!drag || event.originalEvent.button !== 0 || !nearDrag(map, drag, event.point.x, event.point.y)) return
      event.preventDefault()
      map.dragPan.disable()
      dragging.current = true
      map.getCanvas().style.cursor = 'grabbing'
      const move = (e: maplibregl.MapMouseEvent) => latest.current.drag?.onMove([e.lngLat.lng, e.lngLat.lat])
      const end = (e: MouseEvent) => {
        map.off('mousemove', move)
        window.removeEventListener('mouseup', end)
        const rect = map.getCanvas().getBoundingClientRect()
        const { lng, lat } = map.unproject([e.clientX - rect.left, e.clientY - rect.top])
        latest.current.drag?.onEnd([lng, lat])
        map.dragPan.enable()
        map.getCanvas().style.cursor = 'grab'
        // the click that follows the release belongs to the drag
        setTimeout(() => (dragging.current = false), 0)
      }
      map.on('mousemove', move)
      window.addEventListener('mouseup', end)
    })

    map.on('moveend', report)
    map.on('load', report)
    map.on('idle', () => latest.current.onIdle(true))
    map.on('movestart', () => latest.current.onIdle(false))
    map.on('error', (event) => {
      // a raster tile that fails to load (offline) is not worth a banner; anything else is.
      // MapLibre fires its own ErrorEvent ({ error: { message } }) but declares the DOM's, whose error is `any`.
      const error: unknown = event.error
      const message = typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : 'map error'
      if (!/tile|Failed to fetch|AJAXError/i.test(message)) latest.current.onError(message)
    })
    report()
    return () => {
      map.removeControl(overlay)
      map.remove()
      mapRef.current = null
      overlayRef.current = null
      sentLayers.current = []
      delete window.__atlas
    }
  }, [])

  // The basemap's style: diffed, with the current data of its sources.
  const styleRef = useRef(props.style)
  useEffect(() => {
    const map = mapRef.current
    if (!map || styleRef.current === props.style) return
    styleRef.current = props.style
    map.setStyle(withData(props.style, latest.current.sources), { diff: true })
    // drawn once MapLibre says so (its next 'idle'), not before
    latest.current.onIdle(false)
    map.triggerRepaint()
  }, [props.style])

  // Only the sources whose data changed are set again (MapLibre re-tiles a source on setData).
  const sentRef = useRef<Record<string, FeatureCollection | string>>(props.sources)
  useEffect(() => {
    const map = mapRef.current
    if (!map) return
    for (const [id, data] of Object.entries(props.sources)) {
      if (sentRef.current[id] === data) continue
      map.getSource<GeoJSONSource>(id)?.setData(data)
      // new data is tiled in MapLibre's worker: drawn at its next 'idle'
      latest.current.onIdle(false)
    }
    sentRef.current = props.sources
  }, [props.sources])

  useEffect(() => {
    const map = mapRef.current
    if (map && !dragging.current) map.getCanvas().style.cursor = props.cursor ?? ''
  }, [props.cursor])

  // Images: added now, and again whenever a rebuilt style asks for one it lost.
  useEffect(() => {
    const map = mapRef.current
    const images = props.images
    if (!map || !images) return
    const add = (id: string) => {
      const image = images[id]
      if (image && !map.hasImage(id)) map.addImage(id, image)
    }
    for (const id of Object.keys(images)) add(id)
    const missing = (event: { id: string }) => add(event.id)
    map.on('styleimagemissing', missing)
    return () => {
      map.off('styleimagemissing', missing)
    }
  }, [props.images])

  // In a mode a click means a place, not an object: nothing is picked or hovered (a software
  // WebGL picking pass, and the frame a hover highlight costs, would delay what the click asks for).
  const inMode = !!props.onModeClick
  useEffect(() => {
    overlayRef.current?.setProps({ _pickable: !inMode })
  }, [inMode])

  // The layers arrive in a new array at every render of the page: handed to deck.gl only when one of them changed.
  useEffect(() => {
    const overlay = overlayRef.current
    const sent = sentLayers.current
    if (!overlay || (sent.length === props.layers.length && sent.every((layer, i) => layer === props.layers[i]))) return
    sentLayers.current = props.layers
    // each layer below its own MapLibre layer if it names one (unit fills: below the boundaries),
    // otherwise below the labels
    overlay.setProps({
      // deck.gl declares clone() as returning any; it returns a layer of the same class
      layers: props.layers.map((layer: Layer<InterleavedProps>) => layer.clone({ beforeId: layer.props.beforeId ?? overlaysBelow }) as Layer),
    })
  }, [props.layers])

  return <div id="map" data-testid="map" ref={container} className="map" />
}
