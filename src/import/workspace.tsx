// The page's import as a workspace: a file picked in its panel or dropped on the map is read and
// checked in a worker, drawn over the map in the preview colours before anything is written, and
// written through public.import_layer as the signed-in role; the units and analyses read again after.
import type { ExpressionSpecification } from 'maplibre-gl'
import { lazy, Suspense, useCallback, useEffect, useMemo } from 'react'
import { defineWorkspace, type WorkspaceDrawing, type WorkspaceStyle } from '../app/workspace.ts'
import { layerNames } from '../shared/layers.ts'
import { LegendRow } from '../views/Legend.tsx'
import { useImport } from './useImport.ts'

/**
 * The preview's colours: a lime no layer of the map uses (the facility types take the other clear
 * hues), and a dark red, unlike the party service centres' red, for a feature with a problem.
 */
export const previewInk: [number, number, number] = [80, 230, 20]
export const problemInk: [number, number, number] = [130, 20, 20]
/** The panel, loaded when the workspace first opens. */
const ImportPanel = lazy(() => import('./ImportPanel.tsx'))
const css = (c: readonly number[]) => (c.length === 4 ? `rgba(${c.join(',')})` : `rgb(${c.join(',')})`)

type NoUrl = Record<string, never>


export const importWorkspace = defineWorkspace<NoUrl>({
  id: 'import',
  title: 'workspace.import',
  url: { keys: [], parse: () => ({}), format: () => ({}) },
  useWorkspace(context): WorkspaceDrawing {
    const { client, open, access, t, fitBounds, reloadUnits } = context
    const writable = useMemo(() => layerNames.filter((name) => access?.write[name] === true), [access])
    const model = useImport(client, open, writable[0] ?? null, reloadUnits)
    const { prepared } = model

    // a file dropped anywhere on the page while the workspace is open
    const { open: openFiles } = model
    useEffect(() => {
      if (!open || !writable.length) return
      const over = (e: DragEvent) => e.preventDefault()
      const drop = (e: DragEvent) => {
        e.preventDefault()
        openFiles([...(e.dataTransfer?.files ?? [])])
      }
      window.addEventListener('dragover', over)
      window.addEventListener('drop', drop)
      return () => {
        window.removeEventListener('dragover', over)
        window.removeEventListener('drop', drop)
      }
    }, [open, writable.length, openFiles])

    const withProblem = useMemo(() => new Set((prepared?.problems ?? []).map((p) => p.index)), [prepared])
    // the whole file in view once it is ready
    useEffect(() => {
      if (open && prepared?.preview.bbox) fitBounds(prepared.preview.bbox, 17)
    }, [open, prepared, fitBounds])
    const show = useCallback(
      (index: number) => {
        const box = prepared?.boxes[index]
        if (box) fitBounds(box, 18)
      },
      [prepared, fitBounds],
    )

    // the preview as a MapLibre source: its features are cut into tiles in MapLibre's own worker, so a
    // district's file does not hold the page's thread as deck.gl's tessellation of it would
    const style = useMemo(() => previewStyle(open), [open])
    const data = useMemo(() => ({ [previewSource]: open && prepared ? prepared.preview.url : emptyCollection }), [open, prepared])

    const loading: string[] = []
    if (open && model.stage !== 'idle') loading.push(t('import.loading'))
    const legend = open && prepared && (
      <li key="import" data-testid="import-legend">
        <ul>
          <LegendRow fill={css([...previewInk, 0.3])} line={css(previewInk)}>
            {t('legend.import')}
          </LegendRow>
          {withProblem.size > 0 && (
            <LegendRow fill={css([...problemInk, 0.3])} line={css(problemInk)}>
              {t('legend.import.problem')}
            </LegendRow>
          )}
        </ul>
      </li>
    )
    return {
      layers: [],
      style,
      data,
      panel: open ? (
        <Suspense fallback={null}>
          <ImportPanel model={model} writable={writable} show={show} />
        </Suspense>
      ) : null,
      legend,
      inspector: null,
      loading,
    }
  },
})

const previewSource = 'import-preview'
const emptyCollection: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] }

/** The preview's MapLibre layers: fills and outlines of polygons, lines, and points with a dark ring. */
function previewStyle(open: boolean): WorkspaceStyle {
  const visibility = open ? 'visible' : 'none'
  const ink: ExpressionSpecification = ['case', ['get', 'problem'], css(problemInk), css(previewInk)]
  return {
    sources: { [previewSource]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
    layers: [
      { id: 'import-preview-fill', type: 'fill', source: previewSource, filter: ['==', ['geometry-type'], 'Polygon'], layout: { visibility }, paint: { 'fill-color': ink, 'fill-opacity': 0.32 } },
      { id: 'import-preview-line', type: 'line', source: previewSource, filter: ['!=', ['geometry-type'], 'Point'], layout: { visibility, 'line-join': 'round' }, paint: { 'line-color': ink, 'line-width': 2 } },
      {
        id: 'import-preview-point',
        type: 'circle',
        source: previewSource,
        filter: ['==', ['geometry-type'], 'Point'],
        layout: { visibility },
        paint: { 'circle-color': ink, 'circle-radius': 8, 'circle-stroke-color': '#141414', 'circle-stroke-width': 2 },
      },
    ],
  }
}
