// Typed wrappers of the backlog's API functions (supabase/migrations/*_backlog.sql); the JSON they
// return is typed in ./types.ts.
import { rpc, type AtlasClient } from '../data/client.ts'
import { AtlasError } from '../data/errors.ts'
import type { BacklogChange, BacklogScores, ItemChanges, ScoredItem, Status, WeightRecord, Weights } from './types.ts'

/**
 * Every item with its score broken down by factor. `weights` null: the stored ones; given: a
 * preview, nothing written.
 */
export function backlogScores(client: AtlasClient, options: { weights?: Weights | null; withGeometry?: boolean } = {}, signal?: AbortSignal): Promise<BacklogScores> {
  return rpc(client, 'backlog_scores', { weights: options.weights ?? null, with_geometry: options.withGeometry ?? false }, signal)
}

/** An item's changes, newest first. */
export function backlogHistory(client: AtlasClient, code: string, signal?: AbortSignal): Promise<BacklogChange[]> {
  return rpc(client, 'backlog_history', { code }, signal)
}

/** The works role moves an item one step; `version` is the one it was read at (a stale one is refused: 409). */
export function setBacklogStatus(client: AtlasClient, code: string, status: Status, version: number | null, remark: string | null): Promise<ScoredItem> {
  return rpc(client, 'set_backlog_status', { code, status, version, remark })
}

/** The works role edits an item's fields, at the version it was read at. */
export function editBacklogItem(client: AtlasClient, code: string, version: number, changes: ItemChanges, remark: string | null): Promise<ScoredItem> {
  return rpc(client, 'edit_backlog_item', { code, version, changes, remark })
}

/**
 * The works role stores new weights, from the ones it read (`basedOn`: their set_at; weights set
 * by someone else since are refused: 409); the answer is the stored row.
 */
export function setBacklogWeights(client: AtlasClient, weights: Weights, basedOn: string | null): Promise<WeightRecord> {
  return rpc(client, 'set_backlog_weights', { weights, based_on: basedOn })
}

/** Every stored set of weights, newest first. */
export function backlogWeightHistory(client: AtlasClient, signal?: AbortSignal): Promise<WeightRecord[]> {
  return rpc(client, 'backlog_weight_history', {}, signal)
}

/** Someone else changed the item since it was read (the server maps PT409 to HTTP 409). */
export function isConflict(error: unknown): boolean {
  return error instanceof AtlasError && (error.status === 409 || error.code === 'PT409')
}
