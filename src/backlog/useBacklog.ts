// The backlog's state: the items with their scores (and geometry), the stored weights and their
// history, a preview of other weights (scored by the database, nothing written), the selected
// item's history, and the works role's writes. Every write is followed by a fresh read: a status
// step changes the item's version, new weights change every score.
import { useCallback, useMemo, useState } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { useFetched } from '../data/useFetched.ts'
import { backlogHistory, backlogScores, backlogWeightHistory, setBacklogStatus, setBacklogWeights } from './api.ts'
import type { BacklogChange, BacklogScores, CategoryShare, Category, ScoredItem, Status, WeightRecord, Weights } from './types.ts'

/** What the URL holds of the workspace. */
export interface BacklogUrl {
  /** One budget per year, yuan; null: the example budget (one year). */
  budgets: number[] | null
  /** The selected item's code. */
  item: string | null
  /** What is shown (not what the plan weighs): empty lists mean all. */
  categories: Category[]
  statuses: Status[]
  street: string | null
  community: string | null
  /** The plan's constraints. */
  must: string[]
  exclude: string[]
  shares: CategoryShare[]
  floors: { street_code: string; min_yuan: number }[]
  exclusive: string[][]
  /** Approved items must be funded (the default). */
  keepApproved: boolean
}

export const defaultBacklogUrl: BacklogUrl = {
  budgets: null,
  item: null,
  categories: [],
  statuses: [],
  street: null,
  community: null,
  must: [],
  exclude: [],
  shares: [],
  floors: [],
  exclusive: [],
  keepApproved: true,
}

export function useBacklog(client: AtlasClient, open: boolean, generation: number, selected: string | null) {
  // grows after every write: what the database says now must be read again
  const [version, setVersion] = useState(0)
  const key = open ? `${generation}/${version}` : null
  const scores = useFetched<BacklogScores>(key, (signal) => backlogScores(client, { withGeometry: true }, signal))
  const weightHistory = useFetched<WeightRecord[]>(key, (signal) => backlogWeightHistory(client, signal))
  const reload = useCallback(() => setVersion((v) => v + 1), [])

  // other weights scored by the database without saving them
  const [preview, setPreview] = useState<Weights | null>(null)
  const previewKey = open && preview ? `${key}/${JSON.stringify(preview)}` : null
  const previewed = useFetched<BacklogScores>(previewKey, (signal) => backlogScores(client, { weights: preview }, signal))

  const stored = scores.data?.items ?? null
  /** The items as shown: under the previewed weights while a preview is on, each keeping its geometry. */
  const items = useMemo<ScoredItem[] | null>(() => {
    if (!stored) return null
    if (!preview || !previewed.data) return stored
    const shapes = new Map(stored.map((item) => [item.code, item.geometry]))
    return previewed.data.items.map((item) => ({ ...item, geometry: item.geometry ?? shapes.get(item.code) }))
  }, [stored, preview, previewed.data])

  const item = selected ? (items?.find((i) => i.code === selected) ?? null) : null
  const history = useFetched<BacklogChange[]>(open && item ? `${key}/${item.code}/${item.version}` : null, (signal) => backlogHistory(client, item!.code, signal))

  const setStatus = useCallback(
    async (code: string, status: Status, itemVersion: number, remark: string): Promise<ScoredItem> => {
      try {
        return await setBacklogStatus(client, code, status, itemVersion, remark.trim() || null)
      } finally {
        // refused or not, read the item again: a conflict means it changed
        reload()
      }
    },
    [client, reload],
  )
  // the weights in force as read: new ones are set from them
  const inForce = weightHistory.data?.[0]?.set_at ?? null
  const saveWeights = useCallback(
    async (weights: Weights): Promise<WeightRecord> => {
      try {
        const saved = await setBacklogWeights(client, weights, inForce)
        setPreview(null)
        return saved
      } finally {
        // refused or not, read them again: a conflict means someone else set them
        reload()
      }
    },
    [client, reload, inForce],
  )

  return { scores, items, item, history, weightHistory, preview, setPreview, previewed, version, reload, setStatus, saveWeights }
}

export type BacklogModel = ReturnType<typeof useBacklog>
