// The backlog's keys in the URL's hash, each left out while it holds the default, so a link
// reopens the same plan and item:
//   budget=20 (millions of yuan; 8,6,6 for three years)   item=BL-001
//   bl-cat=硬化,供水  bl-status=proposed  bl-street=<code>  bl-com=<code>     what is shown
//   bl-must=BL-001,BL-002  bl-ex=BL-003  bl-share=硬化:10-50,供水:5-  bl-floor=<street>:5
//   bl-xor=BL-001/BL-004,BL-007/BL-009  bl-keep=0                            the plan's constraints
import { backlogCategories, backlogStatuses, type Category, type CategoryShare, type PlanConstraints, type Status } from './types.ts'
import { defaultBacklogUrl, type BacklogUrl } from './useBacklog.ts'

export const backlogUrlKeys = ['budget', 'item', 'bl-cat', 'bl-status', 'bl-street', 'bl-com', 'bl-must', 'bl-ex', 'bl-share', 'bl-floor', 'bl-xor', 'bl-keep'] as const

const codePattern = /^[\w-]{1,40}$/
const millions = /^\d{1,6}(\.\d{1,6})?$/
const percent = /^\d{1,3}(\.\d{1,2})?$/

const list = (value: string | undefined) => (value ? value.split(',').filter(Boolean) : [])
const codes = (value: string | undefined) => [...new Set(list(value).filter((c) => codePattern.test(c)))]
/** Yuan as millions, exact to the yuan, without trailing zeros. */
const toMillions = (yuan: number) => String(Number((yuan / 1_000_000).toFixed(6)))
const fromMillions = (text: string) => Math.round(Number(text) * 1_000_000)
/** A share as a percentage (0.1 → 10), to two decimals. */
const toPercent = (share: number) => String(Number((share * 100).toFixed(2)))

function parseBudgets(value: string | undefined): number[] | null {
  const parts = list(value)
  if (!parts.length || parts.length > 5 || !parts.every((p) => millions.test(p))) return null
  return parts.map(fromMillions)
}

function parseShares(value: string | undefined): CategoryShare[] {
  const shares: CategoryShare[] = []
  for (const part of list(value)) {
    const m = /^(.+):(\d[\d.]*)?-(\d[\d.]*)?$/.exec(part)
    if (!m || !(backlogCategories as readonly string[]).includes(m[1]) || shares.some((s) => s.category === m[1])) continue
    const bound = (text: string | undefined) => (text === undefined ? undefined : percent.test(text) && Number(text) <= 100 ? Number(text) / 100 : null)
    const [min, max] = [bound(m[2]), bound(m[3])]
    // a bound it cannot read drops the whole share
    if (min === null || max === null || (min === undefined && max === undefined)) continue
    const share: CategoryShare = { category: m[1] as Category }
    if (min !== undefined) share.min = min
    if (max !== undefined) share.max = max
    shares.push(share)
  }
  return shares
}

function parseFloors(value: string | undefined): BacklogUrl['floors'] {
  const floors: BacklogUrl['floors'] = []
  for (const part of list(value)) {
    const [street, amount] = part.split(':')
    if (codePattern.test(street ?? '') && millions.test(amount ?? '') && !floors.some((f) => f.street_code === street)) floors.push({ street_code: street, min_yuan: fromMillions(amount) })
  }
  return floors
}

export function parseBacklogUrl(values: Readonly<Record<string, string | undefined>>): BacklogUrl {
  const item = values.item
  const one = (value: string | undefined) => (value && codePattern.test(value) ? value : null)
  const categories = list(values['bl-cat'])
  const statuses = list(values['bl-status'])
  return {
    budgets: parseBudgets(values.budget),
    item: item && codePattern.test(item) ? item : null,
    categories: backlogCategories.filter((c) => categories.includes(c)),
    statuses: backlogStatuses.filter((s) => statuses.includes(s)),
    street: one(values['bl-street']),
    community: one(values['bl-com']),
    must: codes(values['bl-must']),
    exclude: codes(values['bl-ex']),
    shares: parseShares(values['bl-share']),
    floors: parseFloors(values['bl-floor']),
    exclusive: list(values['bl-xor'])
      .map((group) => [...new Set(group.split('/').filter((c) => codePattern.test(c)))])
      .filter((group) => group.length >= 2),
    keepApproved: values['bl-keep'] !== '0',
  }
}

export function formatBacklogUrl(state: BacklogUrl): Record<(typeof backlogUrlKeys)[number], string | null> {
  const joined = (values: readonly string[]) => (values.length ? values.join(',') : null)
  const inOrder = <T extends string>(all: readonly T[], chosen: readonly T[]) => all.filter((v) => chosen.includes(v))
  return {
    budget: state.budgets ? state.budgets.map(toMillions).join(',') : null,
    item: state.item,
    'bl-cat': joined(inOrder(backlogCategories, state.categories)),
    'bl-status': joined(inOrder<Status>(backlogStatuses, state.statuses)),
    'bl-street': state.street,
    'bl-com': state.community,
    'bl-must': joined(state.must),
    'bl-ex': joined(state.exclude),
    'bl-share': joined(state.shares.map((s) => `${s.category}:${s.min !== undefined ? toPercent(s.min) : ''}-${s.max !== undefined ? toPercent(s.max) : ''}`)),
    'bl-floor': joined(state.floors.map((f) => `${f.street_code}:${toMillions(f.min_yuan)}`)),
    'bl-xor': joined(state.exclusive.map((group) => group.join('/'))),
    'bl-keep': state.keepApproved ? null : '0',
  }
}

export const backlogUrl = { keys: backlogUrlKeys, parse: parseBacklogUrl, format: formatBacklogUrl }

/** The plan's constraints as the URL holds them. */
export function planConstraints(state: BacklogUrl): PlanConstraints {
  return {
    must: state.must,
    exclude: state.exclude,
    categoryShare: state.shares,
    streetFloor: state.floors,
    exclusive: state.exclusive,
    keepApproved: state.keepApproved,
  }
}

/** How many constraints the user has added (approved items kept counts only when switched off). */
export function constraintCount(state: BacklogUrl): number {
  return state.must.length + state.exclude.length + state.shares.length + state.floors.length + state.exclusive.length + (state.keepApproved ? 0 : 1)
}
export { defaultBacklogUrl }
