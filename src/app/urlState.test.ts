import { describe, expect, it } from 'vitest'
import { defaultUrlState, formatUrlState, historyBurstMs, historyMode, parseUrlState, viewOnlyChange } from './urlState.ts'

describe('the URL state', () => {
  it('round-trips the view, layers, selection, language, role and basemap', () => {
    const state = {
      view: { zoom: 14.25, lat: 28.0712345, lon: 119.1401234 },
      layers: ['community' as const, 'grid' as const],
      selection: { layer: 'grid' as const, code: '331181001001001' },
      lang: 'en' as const,
      role: 'planner' as const,
      basemap: 'osm' as const,
      workspace: null,
      params: {},
    }
    const again = parseUrlState(formatUrlState(state))
    expect(again.layers).toEqual(state.layers)
    expect(again.selection).toEqual(state.selection)
    expect(again.lang).toBe('en')
    expect(again.role).toBe('planner')
    expect(again.basemap).toBe('osm')
    expect(again.view!.zoom).toBeCloseTo(14.25, 2)
    expect(again.view!.lat).toBeCloseTo(28.0712345, 5)
    expect(again.view!.lon).toBeCloseTo(119.1401234, 5)
  })

  it('keeps the open workspace and the keys it owns, readable', () => {
    const hash = '#layers=community&ws=circles&circles=8/66.7/basic&circles-show=party_service_centre,bands'
    const state = parseUrlState(hash)
    expect(state.workspace).toBe('circles')
    expect(state.params).toEqual({ circles: '8/66.7/basic', 'circles-show': 'party_service_centre,bands' })
    expect(formatUrlState(state)).toBe(hash)
  })

  it('an empty layer list means the basemap alone', () => {
    expect(parseUrlState('#layers=').layers).toEqual([])
    expect(parseUrlState('#').layers).toEqual(defaultUrlState.layers)
  })

  it('drops what it does not understand instead of failing', () => {
    const state = parseUrlState('#map=abc/28/119&layers=grid,nonsense&sel=grid:12;drop&lang=fr&role=admin&basemap=amap')
    expect(state.view).toBeNull()
    expect(state.layers).toEqual(['grid'])
    expect(state.selection).toBeNull()
    expect(state.lang).toBe('zh')
    expect(state.role).toBeNull()
    expect(state.basemap).toBe('atlas')
  })

  it('clamps the zoom to what the map shows', () => {
    expect(parseUrlState('#map=30/28/119').view!.zoom).toBe(19)
  })
})

describe('the history entry a change makes', () => {
  const at = '#map=12.00/28.0790/119.0790&layers=street,community'
  const moved = '#map=14.50/28.0712/119.1420&layers=street,community'
  const long = historyBurstMs * 10

  it('replaces the entry when only the view moved, however long since the last change', () => {
    expect(viewOnlyChange(at, moved)).toBe(true)
    expect(historyMode(at, moved, long)).toBe('replace')
    expect(historyMode(at, moved, 0)).toBe('replace')
    // the view appearing (first report of the map) is a move too
    expect(historyMode('#layers=street,community', at, long)).toBe('replace')
  })

  it('pushes an entry for a selection, a workspace, a layer, its keys, the language or the role', () => {
    for (const next of [
      `${at}&sel=community:331181001002`,
      `${at}&ws=circles`,
      '#map=12.00/28.0790/119.0790&layers=street',
      `${at}&circles=10/66.7/basic`,
      `${at}&lang=en`,
      `${at}&role=planner`,
    ]) {
      expect(viewOnlyChange(at, next), next).toBe(false)
      expect(historyMode(at, next, long), next).toBe('push')
    }
    // a selection and a move at once still make an entry
    expect(historyMode(at, `${moved}&sel=grid:331181001001001`, long)).toBe('push')
    // the selection gone (Escape, the inspector closed) too
    expect(historyMode(`${at}&sel=community:331181001002`, at, long)).toBe('push')
  })

  it('joins a change to the last one within the burst: one entry for a dragged slider', () => {
    const a = `${at}&ws=circles&circles=9/66.7/basic`
    const b = `${at}&ws=circles&circles=10/66.7/basic`
    expect(historyMode(a, b, historyBurstMs / 4)).toBe('replace')
    expect(historyMode(a, b, historyBurstMs - 1)).toBe('replace')
    expect(historyMode(a, b, historyBurstMs)).toBe('push')
  })

  it('sees through spellings of the same state', () => {
    // key order and a missing default make no difference
    expect(viewOnlyChange('#lang=en&layers=street&map=12/28/119', '#map=13.00/28.1/119.2&layers=street&lang=en')).toBe(true)
    expect(viewOnlyChange('#', `#layers=${defaultUrlState.layers.join(',')}&map=12/28/119`)).toBe(true)
  })
})
