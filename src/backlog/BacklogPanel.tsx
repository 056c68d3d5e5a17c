// The backlog's panel: the plan (budget, totals, curve, constraints, exports), the filters, the
// items by score with their place in the plan, the weights; and the selected item's card over the
// map's right side.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { formatWhen, formatYuan } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import type { AppRole } from '../shared/roles.ts'
import { categoryName, filterItems, formatScore, isCandidate, placesOf, sortByScore } from './display.ts'
import { ItemCard, statusName } from './ItemCard.tsx'
import { categoryInks, otherInk, shapeOf } from './layers.ts'
import { PlanSection } from './PlanSection.tsx'
import { constraintCount } from './url.ts'
import type { BacklogModel, BacklogUrl } from './useBacklog.ts'
import type { PlanState } from './usePlan.ts'
import { backlogCategories, backlogStatuses, type PlanItemResult, type ScoredItem } from './types.ts'
import { WeightsEditor } from './WeightsEditor.tsx'
import './backlog.css'

type SetUrl = (update: (state: BacklogUrl) => BacklogUrl) => void

const toggled = <T,>(list: readonly T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value])

function Filters({ url, setUrl, items }: { url: BacklogUrl; setUrl: SetUrl; items: readonly ScoredItem[] }) {
  const { t } = useI18n()
  const { streets, communities } = useMemo(() => placesOf(items), [items])
  const shownCommunities = url.street ? communities.filter((c) => c.street_code === url.street) : communities
  const any = url.categories.length || url.statuses.length || url.street || url.community
  return (
    <div className="backlog-filters" data-testid="backlog-filters">
      <div className="chip-row" role="group" aria-label={t('backlog.category')}>
        {backlogCategories.map((c) => (
          <button
            key={c}
            type="button"
            className="filter-chip"
            data-testid="filter-category"
            data-value={c}
            aria-pressed={url.categories.includes(c)}
            onClick={() => setUrl((s) => ({ ...s, categories: toggled(s.categories, c) }))}
          >
            <span className="category-dot" style={{ background: categoryInks[c] }} aria-hidden />
            {categoryName(t, c)}
          </button>
        ))}
      </div>
      <div className="chip-row" role="group" aria-label={t('backlog.status')}>
        {backlogStatuses.map((s) => (
          <button key={s} type="button" className="filter-chip" data-testid="filter-status" data-value={s} aria-pressed={url.statuses.includes(s)} onClick={() => setUrl((u) => ({ ...u, statuses: toggled(u.statuses, s) }))}>
            {statusName(t, s)}
          </button>
        ))}
      </div>
      <div className="filter-places">
        <select data-testid="filter-street" aria-label={t('backlog.street')} value={url.street ?? ''} onChange={(e) => setUrl((s) => ({ ...s, street: e.target.value || null, community: null }))}>
          <option value="">{t('backlog.allStreets')}</option>
          {streets.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}
            </option>
          ))}
        </select>
        <select data-testid="filter-community" aria-label={t('backlog.community')} value={url.community ?? ''} onChange={(e) => setUrl((s) => ({ ...s, community: e.target.value || null }))}>
          <option value="">{t('backlog.allCommunities')}</option>
          {shownCommunities.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {any ? (
        <button type="button" className="link" data-testid="filter-clear" onClick={() => setUrl((s) => ({ ...s, categories: [], statuses: [], street: null, community: null }))}>
          {t('backlog.clearFilters')}
        </button>
      ) : null}
    </div>
  )
}

function ItemRow({ item, planItem, selected, onSelect }: { item: ScoredItem; planItem: PlanItemResult | undefined; selected: boolean; onSelect: () => void }) {
  const { t, lang } = useI18n()
  const ref = useRef<HTMLButtonElement>(null)
  // into view within the list only: the side column keeps its place (the budget stays in sight)
  useEffect(() => {
    const row = ref.current
    const list = row?.closest('.backlog-list') as HTMLElement | null
    if (!selected || !row || !list) return
    const top = row.offsetTop
    if (top < list.scrollTop) list.scrollTop = top
    else if (top + row.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top + row.offsetHeight - list.clientHeight
  }, [selected])
  const ink = isCandidate(item) ? categoryInks[item.category] : otherInk
  const mark = !isCandidate(item) ? 'other' : !planItem ? 'none' : planItem.funded ? 'funded' : 'unfunded'
  return (
    <li>
      <button
        ref={ref}
        className={`backlog-row ${mark}${selected ? ' selected' : ''}`}
        data-testid="backlog-row"
        data-code={item.code}
        data-score={item.score}
        data-funded={planItem?.funded ?? false}
        aria-pressed={selected}
        onClick={onSelect}
      >
        <span className={`shape-mark ${item.geometry ? shapeOf(item.geometry) : 'point'}`} style={{ color: ink }} aria-hidden />
        <span className="row-main">
          <span className="row-name">
            <code>{item.code}</code> {item.name}
          </span>
          <span className="row-detail muted">
            {categoryName(t, item.category)} · {formatYuan(lang, Number(item.cost_yuan))} · {isCandidate(item) ? (planItem ? (planItem.funded ? t('backlog.funded') : t('backlog.unfunded')) : '') : statusName(t, item.status)}
          </span>
        </span>
        <span className="row-score">{formatScore(lang, Number(item.score))}</span>
      </button>
    </li>
  )
}

/**
 * The stage over the map, where the card floats at the right (it is the page's, not the side
 * column's): the panel's ancestor, found once the panel is in the document (give it the ref).
 */
function useStage(): [Element | null, (panel: Element | null) => void] {
  const [stage, setStage] = useState<Element | null>(null)
  const within = useCallback((panel: Element | null) => setStage(panel?.closest('.stage') ?? null), [])
  return [stage, within]
}

export interface BacklogPanelProps {
  model: BacklogModel
  plan: PlanState
  url: BacklogUrl
  setUrl: SetUrl
  select: (code: string | null) => void
  zoomTo: (code: string) => void
  total: number
  canEdit: boolean
  role: AppRole | null
}

export function BacklogPanel({ model, plan, url, setUrl, select, zoomTo, total, canEdit, role }: BacklogPanelProps) {
  const { t, lang } = useI18n()
  const [stage, stageRef] = useStage()
  const { scores, items } = model
  const all = useMemo(() => items ?? [], [items])
  const { streets } = useMemo(() => placesOf(all), [all])
  const sorted = useMemo(() => sortByScore(filterItems(all, url)), [all, url])
  const planItems = useMemo(() => new Map((plan.result?.items ?? []).map((i) => [i.code, i])), [plan.result])
  const item = model.item
  const factors = (model.preview && model.previewed.data ? model.previewed.data.factors : scores.data?.factors) ?? []

  return (
    <section ref={stageRef} className="panel backlog-panel" data-testid="backlog-panel" aria-label={t('backlog.title')} aria-busy={scores.loading}>
      <h3>{t('backlog.title')}</h3>
      <p className="muted backlog-intro">{t('backlog.intro')}</p>
      {!canEdit && (
        <p className="notice backlog-readonly" data-testid="backlog-readonly">
          {t('backlog.readonly', { role: role ? t(`role.${role}`) : '—' })}
        </p>
      )}
      {scores.loading && !scores.data && (
        <div className="engine-progress" role="progressbar" aria-label={t('backlog.loading')}>
          <div className="progress-bar" />
          <span className="muted">{t('backlog.loading')}</span>
        </div>
      )}
      {scores.error && (
        <div className="inline-error" role="alert">
          {t('backlog.failed', { message: scores.error })} <button onClick={scores.retry}>{t('app.retry')}</button>
        </div>
      )}
      {model.preview && (
        <p className="notice preview-note" data-testid="preview-note">
          {t('backlog.previewNote')}{' '}
          <button type="button" className="link" onClick={() => model.setPreview(null)}>
            {t('backlog.previewEnd')}
          </button>
        </p>
      )}
      {items && <PlanSection url={url} setUrl={setUrl} plan={plan} items={all} total={total} streets={streets} constraintCount={constraintCount(url)} />}

      {items && (
        <>
          <h4 className="list-head">
            {t('backlog.items', { n: sorted.length, of: all.length })}
            <span className="muted">{t('backlog.byScore')}</span>
          </h4>
          <Filters url={url} setUrl={setUrl} items={all} />
          <ul className="backlog-list" data-testid="backlog-list">
            {sorted.map((i) => (
              <ItemRow key={i.code} item={i} planItem={planItems.get(i.code)} selected={i.code === url.item} onSelect={() => select(i.code === url.item ? null : i.code)} />
            ))}
          </ul>
          {url.item && !item && !scores.loading && (
            <p className="notice" data-testid="backlog-gone">
              {t('backlog.gone', { code: url.item })}
            </p>
          )}
        </>
      )}

      {scores.data && (
        <details className="backlog-weights" data-testid="backlog-weights">
          <summary>{t('backlog.weights')}</summary>
          <WeightsEditor
            stored={scores.data}
            factors={factors}
            preview={model.preview}
            setPreview={model.setPreview}
            previewed={model.previewed}
            history={model.weightHistory}
            canEdit={canEdit}
            role={role}
            save={model.saveWeights}
          />
        </details>
      )}
      {scores.data && <p className="muted">{t('backlog.asOf', { when: formatWhen(lang, scores.data.as_of) })}</p>}

      {item &&
        stage &&
        createPortal(
          <ItemCard
            key={item.code}
            item={item}
            factors={factors}
            planItem={planItems.get(item.code) ?? null}
            reasons={plan.reasons}
            history={model.history}
            canEdit={canEdit}
            role={role}
            preview={!!model.preview}
            url={url}
            setUrl={setUrl}
            select={select}
            zoomTo={() => zoomTo(item.code)}
            setStatus={model.setStatus}
          />,
          stage,
        )}
    </section>
  )
}
