// The map page: header (search, role or account, language, settings), the map, the workspace
// tabs, the open workspace's panel, the layers and legend on the left, the inspector on the right,
// loading and errors at the bottom, and a lost database across the top. It holds the state that lives in the URL and hands the shared context to
// the base map and to every workspace (./workspaces.ts), drawing what they return.
import { useCity } from '../city/context.ts'
import { CityForm } from '../city/CityForm.tsx'
import type { CityProfile } from '../city/types.ts'
import { StandardsForm } from '../standards/StandardsForm.tsx'
import type { Standard } from '../standards/types.ts'
import type maplibregl from 'maplibre-gl'
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { isDemo, type AppRole } from '../data/config.ts'
import type { AtlasError } from '../data/errors.ts'
import type { Bbox, LayerStats } from '../data/types.ts'
import { useI18n } from '../i18n/react.tsx'
import { selectionLayers } from '../layers/selectionLayer.ts'
import { walkQueryLayers } from '../layers/walkLayer.ts'
import { drawnLayers, isMapLayer, type MapLayer } from '../layers/zoom.ts'
import { MapView, chinaMiddle, cityPadding, flyToUnit, workspacePadding, type Pick } from '../map/MapView.tsx'
import { BasemapSettings, tiandituKeyStorage } from '../views/BasemapSettings.tsx'
import { DatabaseBanner } from '../views/DatabaseBanner.tsx'
import { pickTooltip } from '../views/format.ts'
import { Inspector } from '../views/Inspector.tsx'
import { LayersPanel } from '../views/LayersPanel.tsx'
import { Legend } from '../views/Legend.tsx'
import { RoleNote } from '../views/RoleNote.tsx'
import { StatusBar } from '../views/StatusBar.tsx'
import { TopBar } from '../views/TopBar.tsx'
import { WorkspaceTabs } from '../views/WorkspaceTabs.tsx'
import { useBaseMap } from './useBaseMap.ts'
import { useLayerStore, useWantedTiles } from './useMapData.ts'
import { useRole } from './useRole.ts'
import { useSelection } from './useSelection.ts'
import { useWorkspaces } from './useWorkspaces.ts'
import { workspaces } from './workspaces.ts'
import type { Selection, UrlState, View } from './urlState.ts'

export interface AtlasProps {
  client: AtlasClient
  stats: LayerStats
  /** The city view: where the map opens without a view in the URL, and where 'reset' goes. */
  cityBounds: Bbox | null
  initialRole: AppRole | null
  /** The signed-in account's email (shown outside the demonstration, whose role switch says who one is). */
  email: string | null
  /** Set once the server answered that it lost its database: one banner, no other failure stacked on it. */
  databaseProblem: AtlasError | null
  onSignOut: () => void
  url: UrlState
  setUrl: (update: (state: UrlState) => UrlState) => void
  /** The city's profile as a leader saved it. */
  onCity: (city: CityProfile) => void
  /** A standard as a leader saved it. */
  onStandard: (standard: Standard) => void
}

export function Atlas({ client, stats, cityBounds, initialRole, email, databaseProblem, onSignOut, url, setUrl, onCity, onStandard }: AtlasProps) {
  const { t, lang } = useI18n()
  const city = useCity()
  const store = useLayerStore(client)
  const [view, setView] = useState<View | null>(url.view)
  const [bounds, setBounds] = useState<Bbox | null>(null)
  const [mapIdle, setMapIdle] = useState(false)
  const [mapError, setMapError] = useState<string | null>(null)
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [tiandituKey, setTiandituKey] = useState(() => localStorage.getItem(tiandituKeyStorage) ?? undefined)
  const mapRef = useRef<maplibregl.Map | null>(null)
  // the address names the role signed in as, unless it already means it (Back to an address with
  // no role signs in as the page's first role again, and must leave that address as it was)
  const signedIn = (next: AppRole) => {
    setUrl((state) => ((state.role ?? initialRole) === next ? state : { ...state, role: next }))
    store?.clear()
  }
  const { role, access, generation, switching, switchRole } = useRole(client, initialRole, signedIn, setMapError)
  const demo = isDemo(client.config)

  const zoom = view?.zoom ?? 12
  const drawn = useMemo(() => drawnLayers(zoom, url.layers), [zoom, url.layers])
  // grows when a workspace changed boundaries: the units are fetched again
  const [reloads, setReloads] = useState(0)
  const requests = useWantedTiles(store, bounds, zoom, drawn, `${generation}/${reloads}`)
  const selection = url.selection
  const selected = useSelection(client, selection, generation + reloads)
  const reloadUnits = useCallback(() => {
    store?.clear()
    setReloads((n) => n + 1)
  }, [store])
  const fitBounds = useCallback((bbox: Bbox, maxZoom = 16.5) => {
    mapRef.current?.fitBounds(bbox, { padding: workspacePadding, maxZoom, duration: 700 })
  }, [])

  const select = useCallback((next: Selection | null) => setUrl((state) => ({ ...state, selection: next })), [setUrl])

  // ── the workspaces: each draws, shows and handles what is its own
  const drawings = useWorkspaces({ client, role, access, generation, view, bounds, zoom, selection, lang, t, fitBounds, reloadUnits, select }, url, setUrl)
  const active = drawings.find((d) => d.open)
  const { deckLayers, sources, style, atlasBasemap } = useBaseMap({ store, drawn, zoom, basemap: url.basemap, tiandituKey, attribution: city.attribution, t, workspaces: drawings })
  const outline = useMemo(() => selectionLayers(selected.shape), [selected.shape])
  // a new array at every render, of the same layers until one changes: the map compares them one by one
  const allLayers = [...deckLayers, ...drawings.flatMap((d) => d.layers), ...outline]

  // A view in the URL that the map did not report came from the address (Back, Forward, an edited
  // hash): the map goes there. The map's own reports are left alone, even when it has moved on
  // since (a zoom still easing), and the jump's report only replaces the entry.
  const reported = useRef<View | null>(null)
  useEffect(() => {
    const map = mapRef.current
    if (!map || !url.view || url.view === reported.current || showing(map, url.view)) return
    map.jumpTo({ center: [url.view.lon, url.view.lat], zoom: url.view.zoom })
  }, [url.view])

  // …and, in the demonstration, a role in it that is not the signed-in one signs in as that role
  // (none: the role the page opened with, as a reload of that address would). Elsewhere the
  // account decides the role.
  const wantedRole = url.role ?? initialRole
  const follow = useEffectEvent((wanted: AppRole | null) => {
    if (demo && wanted && role && wanted !== role && !switching) void switchRole(wanted)
  })
  useEffect(() => follow(wantedRole), [wantedRole])

  // Escape closes the inspector (unless one is typing in a field, where it means something else)
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      if (event.key === 'Escape' && !(target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))) select(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [select])

  // a click goes to the open workspace when it is in a mode (MapView asks it first), otherwise it selects
  const onPick = (pick: Pick | null) => {
    const code = pick?.properties.code
    select(pick && code && (typeof code === 'string' || typeof code === 'number') ? { layer: pick.layer, code: String(code) } : null)
  }
  const onView = useCallback(
    (next: View, nextBounds: Bbox) => {
      reported.current = next
      setView(next)
      setBounds(nextBounds)
      setUrl((state) => ({ ...state, view: next }))
    },
    [setUrl],
  )

  // ── state the tests and the benchmarks read
  const pending = store?.pending() ?? 0
  const failures = store?.errors() ?? []
  const complete = requests.every((request) => store?.complete(request))
  const inspecting = !!selection && !selected.record && !selected.error
  const working = drawings.flatMap((d) => d.loading)
  const workspaceError = drawings.find((d) => d.error)?.error
  const busy = !bounds || pending > 0 || !complete || !mapIdle || inspecting || working.length > 0
  const state = databaseProblem || failures.length || mapError || workspaceError ? 'error' : busy ? 'loading' : 'idle'
  useEffect(() => {
    document.documentElement.dataset.atlasState = state
  }, [state])
  const loading = [...new Set(requests.filter((request) => !store?.complete(request)).map((request) => t(`layer.${request.layer}`))), ...working]

  return (
    <div className="atlas">
      <TopBar
        client={client}
        stats={stats}
        role={role}
        demo={demo}
        email={email}
        switchingRole={switching}
        onRole={(next) => void switchRole(next)}
        onSignOut={onSignOut}
        onLanguage={() => setUrl((s) => ({ ...s, lang: s.lang === 'zh' ? 'en' : 'zh' }))}
        onSettings={() => setSettingsOpen(true)}
        onSearch={(hit) => {
          select({ layer: hit.layer, code: hit.code })
          if (isMapLayer(hit.layer) && !url.layers.includes(hit.layer)) setUrl((s) => ({ ...s, layers: [...s.layers, hit.layer as MapLayer] }))
          if (mapRef.current) flyToUnit(mapRef.current, hit.layer, hit.bbox)
        }}
      />

      {databaseProblem && <DatabaseBanner error={databaseProblem} />}

      <main className={selection ? 'stage inspecting' : 'stage'}>
        <MapView
          style={style}
          sources={sources}
          layers={allLayers}
          initialView={url.view ?? city.view}
          initialBounds={cityBounds}
          onView={onView}
          onPick={onPick}
          onModeClick={active?.onMapClick}
          images={active?.images}
          featureClick={active?.featureClick}
          onIdle={setMapIdle}
          tooltip={(pick) => pickTooltip(t, pick.layer, pick.properties)}
          otherTooltip={(id, object) => drawings.map((d) => d.tooltip?.(id, object)).find(Boolean) ?? null}
          cursor={active?.cursor}
          drag={active?.drag}
          queryable={walkQueryLayers}
          onError={(message) => setMapError(t('map.webglFailed', { message }))}
          onReady={(map) => (mapRef.current = map)}
        />

        <div className={active ? 'side wide' : 'side'}>
          <WorkspaceTabs workspaces={workspaces} open={active?.workspace.id ?? null} onOpen={(id) => setUrl((s) => ({ ...s, workspace: id }))} />
          {active?.panel}
          <LayersPanel
            enabled={url.layers}
            zoom={zoom}
            stats={stats}
            onToggle={(layer, on) => setUrl((s) => ({ ...s, layers: on ? [...s.layers, layer] : s.layers.filter((l) => l !== layer) }))}
          />
          <Legend drawn={drawn} basemap={atlasBasemap} extra={active?.legend} />
          <RoleNote role={role} access={access} />
          <button className="reset-view" onClick={() => cityBounds && mapRef.current?.fitBounds(cityBounds, { padding: cityPadding, duration: 600 })}>
            {t('map.resetView')}
          </button>
        </div>

        {selection && (
          <Inspector
            selection={selection}
            record={selected.record}
            error={selected.error}
            access={access}
            onSelect={select}
            onZoomTo={(r) => mapRef.current && flyToUnit(mapRef.current, r.layer, r.bbox)}
            onClose={() => select(null)}
            onRetry={selected.retry}
          >
            {active?.inspector}
          </Inspector>
        )}

        {/* a lost database explains every failure at once: the per-layer ones would only repeat it, and nothing is loading any more */}
        <StatusBar
          loading={databaseProblem ? [] : loading}
          pending={databaseProblem ? 0 : pending}
          failures={databaseProblem ? [] : failures}
          zoom={zoom}
          onRetry={() => store?.retry()}
        />
        {!databaseProblem && (mapError || workspaceError) && (
          <div className="error-banner map-error" data-testid="error" role="alert">
            <div>{mapError ?? workspaceError?.message}</div>
            <button data-testid="retry" onClick={() => (mapError ? setMapError(null) : workspaceError?.retry())}>
              {mapError ? t('app.dismiss') : t('app.retry')}
            </button>
          </div>
        )}
        {!stats.bbox && <div className="empty-city panel">{t('app.noCity')}</div>}
      </main>

      {settingsOpen && (
        <BasemapSettings
          choice={url.basemap}
          center={view ? [view.lon, view.lat] : (city.view ? [city.view.lon, city.view.lat] : chinaMiddle)}
          onClose={() => setSettingsOpen(false)}
          onApply={(choice, key) => {
            if (key) setTiandituKey(key)
            setUrl((s) => ({ ...s, basemap: choice }))
            setSettingsOpen(false)
          }}
        >
          <CityForm client={client} writable={role === 'leader'} view={view} onSaved={onCity} />
          <StandardsForm
            client={client}
            writable={role === 'leader'}
            onSaved={(standard) => {
              onStandard(standard)
              // the grids' colours follow their band
              reloadUnits()
            }}
          />
        </BasemapSettings>
      )}
    </div>
  )
}

/** Whether the map shows a view already: the same zoom, its centre within a pixel. */
function showing(map: maplibregl.Map, view: View): boolean {
  if (Math.abs(map.getZoom() - view.zoom) > 0.005) return false
  const there = map.project([view.lon, view.lat])
  const here = map.project(map.getCenter())
  return Math.hypot(there.x - here.x, there.y - here.y) < 1
}
