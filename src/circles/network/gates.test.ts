import { describe, expect, test } from 'vitest'
import { gateOf, parseOsmGatesXml } from './gates.ts'

describe('gateOf', () => {
  test('entrances and the barriers a person walks through are gates; other nodes are none', () => {
    expect(gateOf({ entrance: 'main' })).toEqual({ gate: true })
    expect(gateOf({ entrance: 'yes' })).toEqual({ gate: true })
    expect(gateOf({ barrier: 'gate' })).toEqual({ gate: true })
    expect(gateOf({ barrier: 'lift_gate', access: 'private' })).toEqual({ gate: true })
    expect(gateOf({ barrier: 'turnstile' })).toEqual({ gate: true })
    expect(gateOf({ barrier: 'wall' })).toBeUndefined()
    expect(gateOf({ barrier: 'bollard' })).toBeUndefined()
    expect(gateOf({ entrance: 'no' })).toBeUndefined()
    expect(gateOf({ highway: 'crossing' })).toBeUndefined()
  })

  test('closed to a pedestrian: foot=no, access=no (unless foot allows), locked, an emergency exit', () => {
    expect(gateOf({ barrier: 'gate', foot: 'no' })).toEqual({ gate: false, reason: 'foot=no' })
    expect(gateOf({ barrier: 'gate', access: 'no' })).toEqual({ gate: false, reason: 'access=no' })
    expect(gateOf({ barrier: 'gate', access: 'no', foot: 'yes' })).toEqual({ gate: true })
    expect(gateOf({ barrier: 'gate', locked: 'yes' })).toEqual({ gate: false, reason: 'locked=yes' })
    expect(gateOf({ entrance: 'emergency' })).toEqual({ gate: false, reason: 'entrance=emergency' })
  })
})

describe('parseOsmGatesXml', () => {
  test('tagged nodes become gate features named by name or ref; deleted and untagged nodes, ways and the closed are left', async () => {
    const xml = `<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="22.5" lon="114"><tag k="barrier" v="gate"/><tag k="name" v="东门"/></node>
  <node id="2" lat="22.50012345" lon="114.00012345"><tag k="entrance" v="main"/><tag k="ref" v="B"/></node>
  <node id="3" lat="22.5" lon="114.001"/>
  <node id="4" lat="22.5" lon="114.002" action="delete"><tag k="barrier" v="gate"/></node>
  <node id="5" lat="22.5" lon="114.003"><tag k="barrier" v="gate"/><tag k="foot" v="no"/></node>
  <way id="9"><nd ref="1"/><nd ref="3"/><tag k="barrier" v="gate"/></way>
</osm>`
    const { features, excluded } = await parseOsmGatesXml(xml)
    expect(features).toEqual([
      { type: 'Feature', properties: { code: 'osm-n1', name: '东门' }, geometry: { type: 'Point', coordinates: [114, 22.5] } },
      { type: 'Feature', properties: { code: 'osm-n2', name: 'B' }, geometry: { type: 'Point', coordinates: [114.0001235, 22.5001235] } },
    ])
    expect(excluded).toEqual({ 'foot=no': 1 })
  })

  test('not OSM: refused naming the root element', async () => {
    await expect(parseOsmGatesXml('<graphml></graphml>')).rejects.toThrow('its root element is <graphml>, not <osm>')
  })
})
