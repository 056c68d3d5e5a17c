// Runs every workspace's hook with the shared context and its own slice of the URL. The list is
// a constant (./workspaces.ts), so the hooks are called in the same order at every render.
import { useCallback, useMemo } from 'react'
import { workspaces } from './workspaces.ts'
import { sliceValues, withSlice, type AnyWorkspace, type Workspace, type WorkspaceContext, type WorkspaceDrawing } from './workspace.ts'
import type { UrlState } from './urlState.ts'

export interface OpenedDrawing extends WorkspaceDrawing {
  workspace: AnyWorkspace
  open: boolean
}

type SetUrl = (update: (state: UrlState) => UrlState) => void

function useOne<S>(workspace: Workspace<S>, listed: AnyWorkspace, context: Omit<WorkspaceContext, 'open'>, url: UrlState, setUrl: SetUrl): OpenedDrawing {
  const slice = workspace.url
  // its state changes only when its own keys do
  const key = JSON.stringify(sliceValues(slice, url.params))
  const state = useMemo(() => slice.parse(JSON.parse(key) as Record<string, string | undefined>), [slice, key])
  const setState = useCallback(
    (update: (state: S) => S) => setUrl((s) => ({ ...s, params: withSlice(slice, s.params, update(slice.parse(sliceValues(slice, s.params)))) })),
    [slice, setUrl],
  )
  const open = url.workspace === workspace.id
  const drawing = workspace.useWorkspace({ ...context, open }, state, setState)
  return { ...drawing, workspace: listed, open }
}

export function useWorkspaces(context: Omit<WorkspaceContext, 'open'>, url: UrlState, setUrl: SetUrl): OpenedDrawing[] {
  // eslint-disable-next-line react-hooks/rules-of-hooks -- the list is a module constant: every render calls the same hooks in the same order
  return workspaces.map((listed) => listed.apply((workspace) => useOne(workspace, listed, context, url, setUrl)))
}
