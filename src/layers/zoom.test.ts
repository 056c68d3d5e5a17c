import { describe, expect, it } from 'vitest'
import { defaultLayers, drawnLayers, fetchLevel, inZoom, layerZooms, unitStyle, zoomShowing } from './zoom.ts'

describe('zoom → layers', () => {
  it('draws street offices and communities at city zoom, not grids', () => {
    expect(drawnLayers(12, defaultLayers)).toEqual(['street', 'community'])
  })

  it('adds grids closer and micro-grids closest', () => {
    expect(drawnLayers(14, defaultLayers)).toContain('grid')
    expect(drawnLayers(14, defaultLayers)).not.toContain('micro_grid')
    expect(drawnLayers(16.5, defaultLayers)).toContain('micro_grid')
  })

  it('draws nothing that is switched off', () => {
    expect(drawnLayers(16.5, ['grid'])).toEqual(['grid'])
    expect(drawnLayers(12, [])).toEqual([])
  })

  it('fills only the finest unit layer drawn', () => {
    const drawn = drawnLayers(14, defaultLayers)
    expect(unitStyle('grid', drawn)).toBe('fill')
    expect(unitStyle('community', drawn)).toBe('outline')
    expect(unitStyle('street', drawn)).toBe('outline')
    expect(unitStyle('community', ['street', 'community'])).toBe('fill')
  })

  it('picks the finer basemap level when zoomed in', () => {
    expect(fetchLevel('basemap', 9).detailZoom).toBeLessThan(fetchLevel('basemap', 15).detailZoom)
  })

  it('flies to a zoom where the layer is drawn', () => {
    expect(inZoom('micro_grid', zoomShowing('micro_grid', 12))).toBe(true)
    expect(inZoom('community', zoomShowing('community', 18))).toBe(true)
    expect(zoomShowing('grid', 14.2)).toBe(14.2)
  })

  it('flies to a grid at a zoom where its household band is still the fill', () => {
    expect(zoomShowing('grid', 17)).toBeLessThan(layerZooms.micro_grid.minZoom)
    expect(zoomShowing('grid', 10)).toBeGreaterThanOrEqual(layerZooms.grid.minZoom)
    expect(zoomShowing('micro_grid', 17)).toBe(17)
  })
})
