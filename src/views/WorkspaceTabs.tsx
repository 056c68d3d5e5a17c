// The workspaces as tabs over the side column: the map alone, or one workspace open.
import type { AnyWorkspace } from '../app/workspace.ts'
import { useI18n } from '../i18n/react.tsx'

export function WorkspaceTabs({ workspaces, open, onOpen }: { workspaces: readonly AnyWorkspace[]; open: string | null; onOpen: (id: string | null) => void }) {
  const { t } = useI18n()
  const tab = (id: string | null, label: string) => (
    <button key={id ?? 'map'} role="tab" aria-selected={open === id} className={open === id ? 'tab active' : 'tab'} data-testid={`workspace-${id ?? 'map'}`} onClick={() => onOpen(id)}>
      {label}
    </button>
  )
  return (
    <nav className="workspace-tabs panel" role="tablist" aria-label={t('workspace.label')}>
      {tab(null, t('workspace.map'))}
      {workspaces.map((w) => tab(w.id, t(w.title)))}
    </nav>
  )
}
