// The report's data, fetched through the API functions the page calls, so the page (supabase
// client) and the command line (the leader's claims on the database) gather the same report:
// public.indicators, the communities' and street offices' polygons (map_layer), the open 三不管
// zones (zones), the city's profile (its name) and the backlog's plan at a budget, solved by the
// backlog's own plan core.
import type { Highs } from 'highs'
import { candidates, loadHighs, solvePlan } from '../../backlog/plan/index.ts'
import { exampleBudget, type BacklogScores } from '../../backlog/types.ts'
import type { LayerCollection } from '../../data/types.ts'
import type { ApiCall } from '../../shared/api.ts'
import type { Zone, ZoneCandidate } from '../../zones/types.ts'
import type { IndicatorKey, Indicators } from '../types.ts'
import { ReportInputError, type ReportData, type ReportOptions, type ReportPlan, type ReportUnitShape, type ReportZone } from './types.ts'

export const defaultIndicator: IndicatorKey = 'coverage_households'

/** Simplification of the polygons (map_layer's zoom): about 5 m, finer than a printed A4 map shows. */
const mapZoom = 13

/** What openZones reads of a zone. */
export type ZoneOutline = Pick<Zone, 'id' | 'kind' | 'level' | 'parent' | 'area_m2' | 'status' | 'suggested_owner' | 'reason' | 'reason_zh' | 'label'> & {
  candidates: Pick<ZoneCandidate, 'code' | 'name' | 'relation'>[]
}

/** Checks the options before anything is fetched: a budget is yuan, 0 or more. */
export function checkReportOptions(options: ReportOptions): void {
  if (options.budget !== undefined && !(Number.isFinite(options.budget) && options.budget >= 0)) {
    throw new ReportInputError(`the budget must be a sum in yuan, 0 or more, not ${options.budget}`)
  }
  if (options.budget !== undefined && options.budget > Number.MAX_SAFE_INTEGER) throw new ReportInputError(`the budget ${options.budget} is too large`)
}

/** The indicator the map shows, checked against the catalogue: unknown keys are refused with the known ones. */
export function checkIndicator(indicators: Pick<Indicators, 'catalogue'>, key: string): IndicatorKey {
  const known = indicators.catalogue.find((info) => info.key === key)
  if (known) return known.key
  throw new ReportInputError(`unknown indicator "${key}"; the indicators are ${indicators.catalogue.map((info) => info.key).join(', ')}`)
}

export async function gatherReport(
  call: ApiCall,
  options: ReportOptions & { highs?: () => Promise<Highs>; now?: Date } = {},
): Promise<ReportData> {
  checkReportOptions(options)
  const world = { west: -180, south: -90, east: 180, north: 90, zoom: mapZoom }
  const [indicators, communities, streets, zones, scores, profile] = await Promise.all([
    // without a walk given, the city's standards decide (atlas.default_walk())
    call('indicators', { minutes: options.minutes ?? null, speed: options.speed ?? null }),
    call('map_layer', { layer: 'community', ...world }),
    call('map_layer', { layer: 'street', ...world }),
    call('zones', { with_geometry: false }),
    call('backlog_scores', { with_geometry: false }),
    call('city_profile', {}),
  ])
  const indicator = checkIndicator(indicators, options.indicator ?? defaultIndicator)
  const shapes = (collection: LayerCollection): ReportUnitShape[] =>
    collection.features
      .filter((f) => f.geometry)
      .map((f) => ({ code: f.properties.code, name: f.properties.name ?? f.properties.code, parent_code: f.properties.parent_code ?? null, geometry: f.geometry }))
  const streetShapes = shapes(streets)
  const communityShapes = shapes(communities)
  const plan = await planAt(scores, options.budget ?? exampleBudget, options.highs ?? (() => loadHighs()))
  return {
    // the city's own name (its profile), else the name of its outline on the basemap
    city: profile.name || (indicators.city?.name ?? ''),
    attribution: profile.attribution,
    printed_at: (options.now ?? new Date()).toISOString(),
    indicator,
    indicators,
    communities: communityShapes,
    streets: streetShapes,
    zones: openZones(zones.zones, [...streetShapes, ...communityShapes]),
    plan,
  }
}

/** The open zones, largest first (as zones() orders them), each placed in words. */
export function openZones(zones: readonly ZoneOutline[], units: readonly Pick<ReportUnitShape, 'code' | 'name'>[]): ReportZone[] {
  const names = new Map(units.map((u) => [u.code, u.name]))
  return zones
    .filter((z) => z.status === 'open')
    .map((z) => {
      const candidateName = new Map(z.candidates.map((c) => [c.code, c.name]))
      const parent = z.parent ? (names.get(z.parent.code) ?? z.parent.code) : null
      const around = z.candidates.map((c) => c.name ?? c.code).filter((name) => name !== parent)
      const where = [parent, around.length ? around.join('、') : null].filter(Boolean).join('：')
      return {
        id: z.id,
        kind: z.kind,
        level: z.level,
        area_m2: Number(z.area_m2),
        where,
        suggested_owner: z.suggested_owner ? { code: z.suggested_owner, name: candidateName.get(z.suggested_owner) ?? names.get(z.suggested_owner) ?? null } : null,
        reason_zh: z.reason_zh,
        reason_en: z.reason,
        label: z.label,
      }
    })
}

/** The optimal plan at the budget (proposed and approved items), against rank-and-cut. */
async function planAt(scores: BacklogScores, budget: number, highs: () => Promise<Highs>): Promise<ReportPlan> {
  const weighed = candidates(scores.items).filter((item) => item.status === 'proposed' || item.status === 'approved')
  const byCode = new Map(scores.items.map((item) => [item.code, item]))
  const approvedCost = weighed.filter((item) => item.status === 'approved').reduce((sum, item) => sum + item.cost_yuan, 0)
  const empty = { budget_yuan: budget, candidates: weighed.length, items: scores.items.length, approved_cost_yuan: approvedCost, funded: [], total_cost_yuan: 0, total_score: 0 }
  if (!scores.items.length) return { ...empty, status: 'optimal', rank_and_cut: { total_score: 0, total_cost_yuan: 0, items: 0 }, gain: 0 }
  const result = solvePlan(await highs(), { items: candidates(scores.items), budgets: [budget] }, { reasons: false })
  // Approved items are kept: a budget below their cost has no plan.
  if (result.status === 'infeasible') return { ...empty, status: 'infeasible', rank_and_cut: { total_score: 0, total_cost_yuan: 0, items: 0 }, gain: 0 }
  const funded = result.items
    .filter((item) => item.funded)
    .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1))
    .map((item) => ({
      code: item.code,
      name: item.name,
      category: item.category,
      community: byCode.get(item.code)?.community_name ?? '',
      street: byCode.get(item.code)?.street_name ?? '',
      cost_yuan: item.cost_yuan,
      score: item.score,
    }))
  return {
    budget_yuan: budget,
    candidates: weighed.length,
    items: scores.items.length,
    funded,
    total_cost_yuan: result.total_cost_yuan,
    total_score: result.total_score,
    approved_cost_yuan: approvedCost,
    status: result.status,
    rank_and_cut: { total_score: result.greedy.total_score, total_cost_yuan: result.greedy.total_cost_yuan, items: result.greedy.codes.length },
    gain: Math.round((result.total_score - result.greedy.total_score) * 100) / 100,
  }
}
