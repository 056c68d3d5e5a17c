// The map page: header (search, role, language, settings), the map, the layers and legend on
// the left, the inspector on the right, loading and errors at the bottom. It holds the state
// that lives in the URL and wires data → layers → map.
import type { Layer } from '@deck.gl/core'
import type { Feature, FeatureCollection } from 'geojson'
import type maplibregl from 'maplibre-gl'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { mapLayer, myAccess, unitRecord } from '../data/api.ts'
import { signInAsRole, type AtlasClient } from '../data/client.ts'
import { appRoles, type AppRole } from '../data/config.ts'
import { toAtlasError, type AtlasError } from '../data/errors.ts'
import type { Access, Bbox, LayerStats, SearchHit, UnitRecord } from '../data/types.ts'
import { formatNumber, useI18n, type MessageKey } from '../i18n/index.tsx'
import { communityLayers } from '../layers/communityLayer.ts'
import type { LayerContext } from '../layers/context.ts'
import { facilityLayers } from '../layers/facilityLayer.ts'
import { formerVillageLayers } from '../layers/formerVillageLayer.ts'
import { gridLayers } from '../layers/gridLayer.ts'
import { labelCollection, labelFeatures } from '../layers/labels.ts'
import { microGridLayers } from '../layers/microGridLayer.ts'
import { selectionLayers } from '../layers/selectionLayer.ts'
import { streetLayers } from '../layers/streetLayer.ts'
import { walkQueryLayers, walkSource } from '../layers/walkLayer.ts'
import { drawnLayers, isMapLayer, layerZooms, zoomShowing, type MapLayer } from '../layers/zoom.ts'
import { basemapStyle, boundarySource } from '../map/basemapStyle.ts'
import { unitLayerNames, type Boundary, type UnitDrawing, type UnitLayerName } from '../layers/unitLayer.ts'
import { MapView, cityPadding, unitPadding, type Pick } from '../map/MapView.tsx'
import type { LayerName } from '../shared/layers.ts'
import { BasemapSettings, tiandituKeyStorage } from '../views/BasemapSettings.tsx'
import { Inspector } from '../views/Inspector.tsx'
import { LayersPanel } from '../views/LayersPanel.tsx'
import { Legend } from '../views/Legend.tsx'
import { Search } from '../views/Search.tsx'
import { StatusBar } from '../views/StatusBar.tsx'
import { featuresAt, useLayerStore, useWantedTiles } from './useMapData.ts'
import type { Selection, UrlState, View } from './urlState.ts'

export interface AtlasProps {
  client: AtlasClient
  stats: LayerStats
  /** The city view: where the map opens without a view in the URL, and where 'reset' goes. */
  cityBounds: Bbox | null
  initialRole: AppRole | null
  url: UrlState
  setUrl: (update: (state: UrlState) => UrlState) => void
}

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] }

// One collection per array of features, so the map is handed the same object until the data
// changes and re-tiles nothing it already has.
const collections = new WeakMap<readonly Feature[], FeatureCollection>()
function collectionOf(features: readonly Feature[] | undefined): FeatureCollection {
  if (!features || !features.length) return emptyCollection
  let collection = collections.get(features)
  if (!collection) collections.set(features, (collection = { type: 'FeatureCollection', features: features as Feature[] }))
  return collection
}

export function Atlas({ client, stats, cityBounds, initialRole, url, setUrl }: AtlasProps) {
  const { t, lang } = useI18n()
  const store = useLayerStore(client)
  const [role, setRole] = useState<AppRole | null>(initialRole)
  const [roleGeneration, setRoleGeneration] = useState(0)
  const [switchingRole, setSwitchingRole] = useState(false)
  const [view, setView] = useState<View | null>(url.view)
  const [bounds, setBounds] = useState<Bbox | null>(null)
  const [mapIdle, setMapIdle] = useState(false)
  const [mapError, setMapError] = useState<string | null>(null)
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [tiandituKey, setTiandituKey] = useState(() => localStorage.getItem(tiandituKeyStorage) ?? undefined)
  const mapRef = useRef<maplibregl.Map | null>(null)
  // what row level security lets this role write, asked of the database after every sign-in
  const [access, setAccess] = useState<Access | null>(null)
  useEffect(() => {
    let cancelled = false
    myAccess(client)
      .then((found) => !cancelled && setAccess(found))
      .catch(() => !cancelled && setAccess(null))
    return () => {
      cancelled = true
    }
  }, [client, roleGeneration])

  const zoom = view?.zoom ?? 12
  const drawn = useMemo(() => drawnLayers(zoom, url.layers), [zoom, url.layers])
  const atlasBasemap = url.basemap === 'atlas' || (url.basemap === 'tianditu' && !tiandituKey)
  const requests = useWantedTiles(store, bounds, zoom, drawn, roleGeneration)

  // ── data → layers
  const features = Object.fromEntries(drawn.map((layer) => [layer, featuresAt(store, layer, zoom)])) as Record<MapLayer, ReturnType<typeof featuresAt>>
  const basemapFeatures = featuresAt(store, 'basemap', zoom)
  const version = store?.getVersion() ?? 0
  const { deckLayers, boundaries } = useMemo(() => {
    const context: LayerContext = { drawn, zoom }
    const out: Layer[] = []
    const lines: Partial<Record<UnitLayerName, Boundary>> = {}
    const unit = (layer: UnitLayerName, drawing: UnitDrawing) => {
      out.push(...drawing.layers)
      lines[layer] = drawing.boundary
    }
    for (const layer of drawn) {
      const data = features[layer]
      if (layer === 'street') unit(layer, streetLayers(data, context))
      if (layer === 'community') unit(layer, communityLayers(data, context))
      if (layer === 'grid') unit(layer, gridLayers(data, context))
      if (layer === 'micro_grid') unit(layer, microGridLayers(data, context))
      if (layer === 'former_village') out.push(...formerVillageLayers(data))
      if (layer === 'facility') out.push(...facilityLayers(data, context))
    }
    // over the fills (and MapLibre's walking network and boundaries): former villages, then points
    const order = (id: string) => (id.endsWith('/fill') ? 0 : id.startsWith('former_village') ? 1 : 2)
    return { deckLayers: out.sort((a, b) => order(a.id) - order(b.id)), boundaries: lines }
    // features change only with the store's version
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, drawn, Math.round(zoom * 2)])
  const boundaryKey = JSON.stringify(boundaries)
  const walkDrawn = drawn.includes('walk_edge')

  const labels = useMemo(() => {
    const parts = []
    if (drawn.includes('street') && features.street) parts.push(labelFeatures('street', features.street))
    if (drawn.includes('community') && features.community) parts.push(labelFeatures('community', features.community))
    if (drawn.includes('grid') && features.grid) parts.push(labelFeatures('grid', features.grid))
    parts.push(labelFeatures('basemap', basemapFeatures.filter((f) => f.properties?.kind !== 'outline')))
    return labelCollection(parts)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, drawn])
  const basemapCollection = collectionOf(basemapFeatures)
  const sources = useMemo(() => {
    const all: Record<string, FeatureCollection> = { atlas: basemapCollection, labels }
    for (const layer of unitLayerNames)
      all[boundarySource(layer)] = drawn.includes(layer) ? collectionOf(features[layer]) : emptyCollection
    all[walkSource] = drawn.includes('walk_edge') ? collectionOf(features.walk_edge) : emptyCollection
    return all
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [basemapCollection, labels, version, drawn])
  const style = useMemo(
    () => basemapStyle({ choice: atlasBasemap ? 'atlas' : url.basemap, tiandituKey, basemap: emptyCollection, labels: emptyCollection, boundaries, walk: walkDrawn, t }),
    // the boundaries by value: a new object with the same lines must not restyle the map
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [atlasBasemap, url.basemap, tiandituKey, t, boundaryKey, walkDrawn],
  )

  // ── selection and the inspector
  const [record, setRecord] = useState<UnitRecord | null>(null)
  const [recordError, setRecordError] = useState<AtlasError | null>(null)
  const [recordAttempt, setRecordAttempt] = useState(0)
  const [selectedShape, setSelectedShape] = useState<Feature | null>(null)
  const selection = url.selection
  useEffect(() => {
    setRecord(null)
    setRecordError(null)
    setSelectedShape(null)
    if (!selection) return
    let cancelled = false
    unitRecord(client, selection.layer, selection.code)
      .then(async (found) => {
        if (cancelled) return
        setRecord(found)
        // the outline of the selection, even where its layer is not drawn at this zoom
        const [w, s, e, n] = found.bbox
        const pad = 1e-5
        const shape = await mapLayer(client, selection.layer, [w - pad, s - pad, e + pad, n + pad], 17)
        if (!cancelled) setSelectedShape((shape.features.find((f) => String(f.id) === selection.code) as Feature | undefined) ?? null)
      })
      .catch((error) => !cancelled && setRecordError(toAtlasError(error)))
    return () => {
      cancelled = true
    }
  }, [client, selection?.layer, selection?.code, recordAttempt, roleGeneration]) // eslint-disable-line react-hooks/exhaustive-deps

  const allLayers = useMemo(() => [...deckLayers, ...selectionLayers(selectedShape)], [deckLayers, selectedShape])

  const select = useCallback((next: Selection | null) => setUrl((state) => ({ ...state, selection: next })), [setUrl])

  // Escape closes the inspector (unless one is typing in a field, where it means something else)
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      if (event.key === 'Escape' && !(target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))) select(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [select])

  /** Flies to a box at a zoom where the layer is drawn. */
  const flyTo = useCallback(
    (layer: LayerName, bbox: Bbox) => {
      const map = mapRef.current
      if (!map) return
      const camera = map.cameraForBounds(bbox, { padding: unitPadding })
      const target = camera?.zoom ?? map.getZoom()
      const z = isMapLayer(layer) ? zoomShowing(layer, Math.min(target, layerZooms[layer].maxZoom - 0.5)) : target
      const center = camera?.center ?? map.getCenter()
      map.flyTo({ center, zoom: Math.min(z, 18.5), duration: 900, essential: true })
    },
    [],
  )

  const onPick = useCallback(
    (pick: Pick | null) => {
      const code = pick?.properties.code
      if (pick && code) select({ layer: pick.layer, code: String(code) })
      else select(null)
    },
    [select],
  )

  const tooltip = useCallback(
    ({ layer, properties: props }: Pick) => {
      const name = (props.name as string) || String(props.code)
      const households = typeof props.households === 'number' ? ` · ${t('tooltip.households', { n: props.households })}` : ''
      const kind = layer === 'facility' ? t(`facility.${props.type}` as MessageKey) : t(`layer.${layer}` as MessageKey)
      return `${name}\n${kind}${households}`
    },
    [t],
  )

  // ── the view into the URL
  const onView = useCallback(
    (next: View, nextBounds: Bbox) => {
      setView(next)
      setBounds(nextBounds)
      setUrl((state) => ({ ...state, view: next }))
    },
    [setUrl],
  )

  // ── role switch: through the real data path; RLS decides what each role sees and may edit
  const switchRole = async (next: AppRole) => {
    setSwitchingRole(true)
    try {
      const signedIn = await signInAsRole(client, next)
      setRole(signedIn)
      setUrl((state) => ({ ...state, role: next }))
      store?.clear()
      setRoleGeneration((g) => g + 1)
    } catch (error) {
      setMapError(toAtlasError(error).message)
    } finally {
      setSwitchingRole(false)
    }
  }

  // ── state the tests and the benchmarks read
  const pending = store?.pending() ?? 0
  const failures = store?.errors() ?? []
  const complete = requests.every((request) => store?.complete(request))
  const inspecting = !!selection && !record && !recordError
  const state = failures.length || mapError ? 'error' : !bounds || pending > 0 || !complete || !mapIdle || inspecting ? 'loading' : 'idle'
  useEffect(() => {
    document.documentElement.dataset.atlasState = state
  }, [state])

  const loadingLayers = requests.filter((request) => !store?.complete(request)).map((request) => request.layer)
  // the city's totals, not what happens to be loaded
  const counts = Object.fromEntries(
    Object.entries(stats).flatMap(([layer, value]) => (isMapLayer(layer) && typeof (value as { count?: unknown })?.count === 'number' ? [[layer, (value as { count: number }).count]] : [])),
  )
  const community = stats.community as { count: number; resident_population: number; households: number } | undefined
  const hasCity = !!stats.bbox

  return (
    <div className="atlas">
      <header className="topbar">
        <div className="brand">
          <h1>{t('app.title')}</h1>
          <div className="subtitle">
            {t('app.subtitle')}
            {community?.count ? ` · ${t('child.community', { n: community.count })} · ${t('unit.people', { n: formatNumber(lang, community.resident_population) })}` : ''}
          </div>
        </div>
        <Search
          client={client}
          onPick={(hit: SearchHit) => {
            select({ layer: hit.layer, code: hit.code })
            if (isMapLayer(hit.layer) && !url.layers.includes(hit.layer)) setUrl((s) => ({ ...s, layers: [...s.layers, hit.layer as MapLayer] }))
            flyTo(hit.layer, hit.bbox)
          }}
        />
        <div className="controls">
          {client.config.mode === 'embedded' && (
            <label className="role" title={t('role.rls')}>
              <span>{t('role.label')}</span>
              <select data-testid="role-switch" value={role ?? ''} disabled={switchingRole} onChange={(e) => void switchRole(e.target.value as AppRole)}>
                {appRoles.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button data-testid="lang-switch" title={t('lang.switchTitle')} onClick={() => setUrl((s) => ({ ...s, lang: s.lang === 'zh' ? 'en' : 'zh' }))}>
            {t('lang.switch')}
          </button>
          <button data-testid="settings-open" onClick={() => setSettingsOpen(true)}>
            {t('map.settings')}
          </button>
        </div>
      </header>

      <main className={selection ? 'stage inspecting' : 'stage'}>
        <MapView
          style={style}
          sources={sources}
          layers={allLayers}
          initialView={url.view}
          initialBounds={cityBounds}
          onView={onView}
          onPick={onPick}
          onIdle={setMapIdle}
          tooltip={tooltip}
          queryable={walkQueryLayers}
          onError={(message) => setMapError(t('map.webglFailed', { message }))}
          onReady={(map) => (mapRef.current = map)}
        />

        <div className="side">
          <LayersPanel
            enabled={url.layers}
            zoom={zoom}
            counts={counts}
            onToggle={(layer, on) => setUrl((s) => ({ ...s, layers: on ? [...s.layers, layer] : s.layers.filter((l) => l !== layer) }))}
          />
          <Legend drawn={drawn} basemap={atlasBasemap} />
          {role && (
            <p className="role-note muted" data-testid="role-note">
              {t(`role.${role}.can` as MessageKey)}
              {access && (
                <>
                  {' · '}
                  {t('role.writes')}
                  {Object.entries(access.write).filter(([, ok]) => ok).map(([layer]) => t(`layer.${layer}` as MessageKey)).join(lang === 'zh' ? '、' : ', ') || t('role.writesNothing')}
                </>
              )}
            </p>
          )}
          <button
            className="reset-view"
            onClick={() => cityBounds && mapRef.current?.fitBounds(cityBounds, { padding: cityPadding, duration: 600 })}
          >
            {t('map.resetView')}
          </button>
        </div>

        {selection && (
          <Inspector
            selection={selection}
            record={record}
            error={recordError}
            access={access}
            onSelect={(next) => {
              select(next)
            }}
            onZoomTo={(r) => flyTo(r.layer, r.bbox)}
            onClose={() => select(null)}
            onRetry={() => setRecordAttempt((a) => a + 1)}
          />
        )}

        <StatusBar loading={[...new Set(loadingLayers)]} pending={pending} failures={failures} zoom={zoom} onRetry={() => store?.retry()} />
        {mapError && (
          <div className="error-banner map-error" data-testid="error" role="alert">
            <div>{mapError}</div>
            <button data-testid="retry" onClick={() => setMapError(null)}>
              {t('app.dismiss')}
            </button>
          </div>
        )}
        {!hasCity && <div className="empty-city panel">{t('app.noCity')}</div>}
      </main>

      {settingsOpen && (
        <BasemapSettings
          choice={url.basemap}
          center={view ? [view.lon, view.lat] : [119.14, 28.07]}
          onClose={() => setSettingsOpen(false)}
          onApply={(choice, key) => {
            if (key) setTiandituKey(key)
            setUrl((s) => ({ ...s, basemap: choice }))
            setSettingsOpen(false)
          }}
        />
      )}
    </div>
  )
}
