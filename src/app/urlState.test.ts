import { describe, expect, it } from 'vitest'
import { defaultUrlState, formatUrlState, parseUrlState } from './urlState.ts'

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
