// The city's standards where the page's parts read them (the circles' default walk and its
// source, the grids' band in the legend, the leader's view), read once the page has signed in
// and replaced when a leader changes one.
import { createContext, useContext } from 'react'
import type { Standard } from './types.ts'

export const StandardsContext = createContext<readonly Standard[]>([])

export const useStandards = (): readonly Standard[] => useContext(StandardsContext)

/** The standards with one replaced by its saved self. */
export function withStandard(standards: readonly Standard[], saved: Standard): Standard[] {
  return standards.map((s) => (s.key === saved.key ? saved : s))
}

/** Changes whenever a standard does: what the views that depend on them key their fetches by. */
export function standardsStamp(standards: readonly Standard[]): string {
  return standards.map((s) => `${s.key}:${s.updated_at ?? ''}`).join('|')
}
