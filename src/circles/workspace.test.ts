import { describe, expect, it } from 'vitest'
import { facilityTypes } from '../shared/layers.ts'
import { defaultCirclesUrl } from './useCircles.ts'
import { circlesUrl } from './workspace.tsx'

describe('the service circles in the URL', () => {
  it('leaves the defaults out, and reads them back when absent', () => {
    expect(circlesUrl.format(defaultCirclesUrl)).toEqual({ circles: null, 'circles-show': null })
    expect(circlesUrl.parse({})).toEqual(defaultCirclesUrl)
  })

  it('round-trips minutes, speed, the uncovered type and what is shown', () => {
    const state = { minutes: 10, speed: 80, walkGiven: true, uncoveredType: 'canteen', types: ['health_station', 'elderly_care'], bands: true, uncovered: false }
    const values = circlesUrl.format(state)
    expect(values).toEqual({ circles: '10/80/canteen', 'circles-show': 'health_station,elderly_care,bands' })
    expect(circlesUrl.parse(values as Record<string, string>)).toEqual(state)
  })

  it('drops what it does not understand', () => {
    const state = circlesUrl.parse({ circles: '0/900/nonsense', 'circles-show': 'nonsense,bands' })
    expect(state.minutes).toBe(8)
    expect(state.speed).toBe(66.7)
    expect(state.uncoveredType).toBe('basic')
    expect(state.types).toEqual([])
    expect(state.walkGiven).toBe(false)
    expect(state.bands).toBe(true)
    expect([...defaultCirclesUrl.types]).toEqual([...facilityTypes])
  })

  it('leaves a walk not chosen to the city\'s standards, even beside a chosen type', () => {
    const state = { ...defaultCirclesUrl, uncoveredType: 'canteen' }
    const values = circlesUrl.format(state)
    expect(values).toEqual({ circles: '//canteen', 'circles-show': null })
    expect(circlesUrl.parse({ circles: '//canteen' })).toEqual(state)
  })
})
