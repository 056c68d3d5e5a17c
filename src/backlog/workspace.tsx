// The construction bureau's backlog as a workspace of the page: its URL keys (./url.ts), the items
// on the map by category and score with the funded plan highlighted, the panel with the plan
// solved in a worker, and the works role's edits. Leaders and planners read.
import { useCallback, useMemo } from 'react'
import { defineWorkspace, type WorkspaceDrawing } from '../app/workspace.ts'
import { LegendRow } from '../views/Legend.tsx'
import { BacklogPanel } from './BacklogPanel.tsx'
import { candidatesTotal, categoryName, filterItems } from './display.ts'
import { backlogStyle, categoryInks, clickableLayers, geometryBbox, itemCollections, itemLabelsSource, itemsSource, otherInk } from './layers.ts'
import { budgetsOf } from './PlanSection.tsx'
import { backlogUrl, planConstraints } from './url.ts'
import { useBacklog, type BacklogUrl } from './useBacklog.ts'
import { usePlan } from './usePlan.ts'
import { backlogCategories } from './types.ts'

/** No closer than this when zooming to an item: the street and its neighbours stay readable. */
const itemMaxZoom = 16.5
const emptyFeatures = { type: 'FeatureCollection' as const, features: [] }

export { backlogUrl }

export const backlogWorkspace = defineWorkspace<BacklogUrl>({
  id: 'backlog',
  title: 'workspace.backlog',
  url: backlogUrl,
  useWorkspace(context, url, setUrl): WorkspaceDrawing {
    const { client, open, generation, access, role, t, fitBounds } = context
    // whether RLS lets this caller write the backlog, as the database itself says (my_access)
    const canEdit = access?.write.backlog === true
    const model = useBacklog(client, open, generation, url.item)
    const items = model.items
    const budgets = budgetsOf(url)
    const constraints = useMemo(() => planConstraints(url), [url])
    const plan = usePlan(items, budgets, constraints, open)
    const total = useMemo(() => candidatesTotal(items ?? []), [items])

    const zoomTo = useCallback(
      (code: string) => {
        const geometry = items?.find((i) => i.code === code)?.geometry
        const box = geometry ? geometryBbox(geometry) : null
        if (box) fitBounds(box, itemMaxZoom)
      },
      [items, fitBounds],
    )
    const select = useCallback(
      (code: string | null) => {
        setUrl((s) => ({ ...s, item: code }))
        if (code) zoomTo(code)
      },
      [setUrl, zoomTo],
    )
    const featureClick = useMemo(
      () => ({ layers: clickableLayers, onClick: (properties: Record<string, unknown>) => typeof properties.code === 'string' && select(properties.code) }),
      [select],
    )

    const style = useMemo(() => backlogStyle(open), [open])
    const funded = useMemo(() => (plan.result && plan.result.status !== 'infeasible' ? new Map(plan.result.items.map((i) => [i.code, i.funded])) : null), [plan.result])
    const data = useMemo(() => {
      if (!open || !items) return { [itemsSource]: emptyFeatures, [itemLabelsSource]: emptyFeatures }
      const shown = filterItems(items, url)
      // the selected item stays drawn whatever the filters
      const selected = url.item && !shown.some((i) => i.code === url.item) ? items.filter((i) => i.code === url.item) : []
      const drawn = itemCollections([...shown, ...selected], { plan: funded, selected: url.item })
      return { [itemsSource]: drawn.items, [itemLabelsSource]: drawn.labels }
    }, [open, items, url, funded])

    const loading: string[] = []
    if (open) {
      if (model.scores.loading) loading.push(t('backlog.loading.items'))
      if (model.previewed.loading && model.preview) loading.push(t('backlog.loading.preview'))
      if (model.history.loading) loading.push(t('backlog.loading.history'))
      if (plan.stage === 'loading') loading.push(t('backlog.loading.solver'))
      else if (plan.solving) loading.push(t('backlog.loading.plan'))
      if (plan.reasoning) loading.push(t('backlog.loading.reasons'))
      if (plan.curving) loading.push(t('backlog.loading.curve'))
    }
    const failed = open && model.scores.error ? model.scores : null

    const legend = open && (
      <li key="backlog" data-testid="backlog-legend">
        <div className="legend-heading">{t('legend.backlog')}</div>
        <ul>
          {backlogCategories.map((c) => (
            <LegendRow key={c} fill={categoryInks[c]} line="#ffffff">
              {categoryName(t, c)}
            </LegendRow>
          ))}
          <LegendRow line={otherInk} fill="#ffffff">
            {t('legend.backlog.other')}
          </LegendRow>
        </ul>
        <div className="legend-heading">{t('legend.backlog.plan')}</div>
        <ul className="backlog-legend-marks">
          <li className="legend-row">
            <span className="mark-line funded" aria-hidden />
            <span>{t('legend.backlog.funded')}</span>
          </li>
          <li className="legend-row">
            <span className="mark-line unfunded" aria-hidden />
            <span>{t('legend.backlog.unfunded')}</span>
          </li>
          <li className="legend-row muted">{t('legend.backlog.width')}</li>
        </ul>
      </li>
    )

    return {
      layers: [],
      style,
      data,
      featureClick: open ? featureClick : undefined,
      panel: open ? <BacklogPanel model={model} plan={plan} url={url} setUrl={setUrl} select={select} zoomTo={zoomTo} total={total} canEdit={canEdit} role={role} /> : null,
      legend,
      inspector: null,
      loading,
      error: failed ? { message: t('backlog.failed', { message: failed.error! }), retry: failed.retry } : null,
    }
  },
})
