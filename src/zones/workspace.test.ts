import { describe, expect, it } from 'vitest'
import { defaultZonesUrl } from './useZones.ts'
import { zonesUrl } from './workspace.tsx'

describe('the zones in the URL', () => {
  it('leaves the defaults out, and reads them back when absent', () => {
    expect(zonesUrl.format(defaultZonesUrl)).toEqual({ zone: null, 'zones-noise': null })
    expect(zonesUrl.parse({})).toEqual(defaultZonesUrl)
  })
  it('round-trips the selected zone and the noise switch', () => {
    const state = { zone: 'g-0d6c736e7e', noise: true }
    expect(zonesUrl.format(state)).toEqual({ zone: 'g-0d6c736e7e', 'zones-noise': '1' })
    expect(zonesUrl.parse(zonesUrl.format(state) as Record<string, string>)).toEqual(state)
  })
  it('drops what is not a zone id', () => {
    expect(zonesUrl.parse({ zone: 'x-123', 'zones-noise': 'yes' })).toEqual(defaultZonesUrl)
  })
})
