// Runs every workspace's hook with the shared context and its own slice of the URL. The list is
// a constant (./workspaces.ts), so the hooks are called in the same order at every render.
import { useCallback, useMemo } from 'react'
import { workspaces } from './workspaces.ts'
import { sliceValues, withSlice, type AnyWorkspace, type WorkspaceContext, type WorkspaceDrawing } from './workspace.ts'
import type { UrlState } from './urlState.ts'

export interface OpenedDrawing extends WorkspaceDrawing {
  workspace: AnyWorkspace
  open: boolean
}

function useOne(workspace: AnyWorkspace, context: Omit<WorkspaceContext, 'open'>, url: UrlState, setUrl: (update: (state: UrlState) => UrlState) => void): OpenedDrawing {
  const { keys } = workspace.url
  const values = sliceValues(workspace.url, url.params)
  const key = JSON.stringify(keys.map((k) => values[k] ?? null))
  // its state changes only when its own keys do
  const state = useMemo(() => workspace.url.parse(values), [key]) // eslint-disable-line react-hooks/exhaustive-deps
  const setState = useCallback(
    (update: (state: unknown) => unknown) =>
      setUrl((s) => ({ ...s, params: withSlice(workspace.url, s.params, update(workspace.url.parse(sliceValues(workspace.url, s.params)))) })),
    [workspace, setUrl],
  )
  const open = url.workspace === workspace.id
  const drawing = workspace.useWorkspace({ ...context, open }, state, setState)
  return { ...drawing, workspace, open }
}

export function useWorkspaces(context: Omit<WorkspaceContext, 'open'>, url: UrlState, setUrl: (update: (state: UrlState) => UrlState) => void): OpenedDrawing[] {
  // eslint-disable-next-line react-hooks/rules-of-hooks
  return workspaces.map((workspace) => useOne(workspace, context, url, setUrl))
}
