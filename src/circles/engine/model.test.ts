import { describe, expect, test } from 'vitest'
import { CircleModel, connectorCapM, type FacilityPoint, type ResidencePoint } from './model.ts'
import { notWalkable, notWalkableOnImport, osmImportRules } from './rules.ts'
import { at, edge, gridNetwork, random } from './testing.ts'

const path = [edge('ab', [1, [0, 0]], [2, [100, 0]]), edge('bc', [2, [100, 0]], [3, [200, 0]])]
const facility = (code: string, type: string, x: number, y: number): FacilityPoint => ({ code, name: code, type, lon: at(x, y)[0], lat: at(x, y)[1], community: null })
const residence = (code: string, x: number, y: number, households = 10, residents = 30): ResidencePoint => ({ code, lon: at(x, y)[0], lat: at(x, y)[1], households, residents, community: null })
const types = [{ type: 'canteen', basic: true, name_zh: '共享餐厅', name_en: 'Canteen' }]
const lonLat = (x: number, y: number) => ({ lon: at(x, y)[0], lat: at(x, y)[1] })

describe('access times (hand-computed)', () => {
  test('the facility’s straight walk to its road, the network walk between the road points, and the residence’s straight walk from its road', () => {
    const model = new CircleModel(path, [facility('f', 'canteen', 150, 5)], [residence('r1', 170, -20), residence('r2', 20, 10), residence('far', 50, 400)], types)
    const access = model.access('canteen')
    // r1 on the same edge as f: f is 5 m off its road, then 20 m along it, then 20 m straight
    expect(access.total[0]).toBeCloseTo(45, 4)
    expect(access.connector[0]).toBeCloseTo(20, 4)
    expect(model.seconds(access.total[0], 60)).toBeCloseTo(45, 4)
    // r2: 5 m to the road, f → B 50 m, B → r2's road point 80 m, then 10 m
    expect(access.total[1]).toBeCloseTo(145, 4)
    expect(model.seconds(access.total[1], 60)).toBeCloseTo(145, 4)
    // 400 m from every road: off the network, no time
    expect(model.onNetwork(2)).toBe(false)
    expect(model.seconds(access.total[2], 60)).toBeNull()
    expect(access.connector[2]).toBeNaN()
    expect(connectorCapM).toBe(300)
  })

  test('a compound is entered through its gates: the walk to the best gate plus the straight walk inside, at the same speed', () => {
    const gate = (x: number, y: number, edge?: string) => ({ lon: at(x, y)[0], lat: at(x, y)[1], ...(edge ? { edge } : {}) })
    const compound = (code: string, gates: ReturnType<typeof gate>[]): ResidencePoint => ({ ...residence(code, 100, 250), gates })
    const model = new CircleModel(
      path,
      [facility('f', 'canteen', 150, 5)],
      [
        // its place is 250 m from the road, its gate 20 m: f is 5 m off the road, f → 160 is 10 m, 20 m to the gate, √(60² + 230²) inside
        compound('near-gate', [gate(160, 20)]),
        // its only gate is far: the place's own nearest road does not count once a compound has gates
        compound('far-gate', [gate(0, 20)]),
        // two gates: the better one
        compound('two', [gate(0, 20), gate(160, 20)]),
        // a gate found where a road crosses the outline is dropped when that road is not walkable
        compound('crossing', [gate(160, 0, 'not-walkable'), gate(0, 20, 'ab')]),
        // crossed only by roads nobody may walk: reached from its own point, 250 m off the road
        compound('none-walkable', [gate(160, 0, 'not-walkable')]),
        // its gates from the gate layer, all beyond reach of a road: off the network
        compound('gates-off', [gate(100, 700)]),
      ],
      types,
    )
    const access = model.access('canteen')
    const inside = (x: number, y: number) => Math.hypot(100 - x, 250 - y)
    expect(access.total[0]).toBeCloseTo(5 + 10 + 20 + inside(160, 20), 3)
    expect(access.connector[0]).toBeCloseTo(20 + inside(160, 20), 3)
    expect(access.total[1]).toBeCloseTo(5 + 150 + 20 + inside(0, 20), 3)
    expect(access.total[2]).toBeCloseTo(access.total[0], 6)
    expect(access.total[3]).toBeCloseTo(access.total[1], 6)
    expect(access.total[4]).toBeCloseTo(5 + 50 + 250, 3)
    expect(model.onNetwork(5)).toBe(false)
    expect(access.total[5]).toBe(Infinity)
    // 8 minutes at 66.7 m/min is 533.6 m: all but the last are covered; within 5 minutes (333.5 m) the near gate and the own point
    expect([...model.covered('canteen', { minutes: 8, speed: 66.7 })]).toEqual([1, 1, 1, 1, 1, 0])
    expect([...model.covered('canteen', { minutes: 5, speed: 66.7 })]).toEqual([1, 0, 1, 0, 1, 0])
  })

  test('what-if newly covers exactly the residences a full recomputation with the new facility gains', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rand = random(seed)
      const edges = gridNetwork(15, 80, seed)
      const facilities = Array.from({ length: 4 }, (_, i) => facility(`f${i}`, 'canteen', rand() * 1100, rand() * 1100))
      // a third of them compounds with one to three gates round their place
      const residences = Array.from({ length: 300 }, (_, i) => {
        const r = residence(`r${i}`, rand() * 1150, rand() * 1150, 1 + Math.floor(rand() * 50), 1 + Math.floor(rand() * 150))
        if (i % 3) return r
        const [x, y] = [rand() * 1150, rand() * 1150]
        return { ...r, ...lonLat(x, y), gates: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => lonLat(x + (rand() - 0.5) * 200, y + (rand() - 0.5) * 200)) }
      })
      const model = new CircleModel(edges, facilities, residences, types)
      const params = { minutes: 8, speed: 66.7 }
      const [x, y] = [rand() * 1100, rand() * 1100]
      const proposal = model.whatIf(...at(x, y), 'canteen', params)
      const before = model.covered('canteen', params)
      const after = model.access('canteen', [proposal.snap])
      const expected: number[] = []
      residences.forEach((_, i) => {
        if (!before[i] && after.total[i] <= params.minutes * params.speed + 1e-9) expected.push(i)
      })
      expect(proposal.newly).toEqual(expected)
      expect(proposal.households).toBe(expected.reduce((s, i) => s + residences[i].households, 0))
      expect(proposal.polygon.length).toBeGreaterThan(0)
    }
  })

  test('a point off every network is refused in words', () => {
    const model = new CircleModel(path, [], [], types)
    expect(() => model.snapPoint(...at(100, 5000))).toThrow(/more than 300 m from every walkable road/)
    expect(() => model.whatIf(...at(50, 0), 'canteen', { minutes: 0, speed: 66.7 })).toThrow(/minutes 0 must be between 1 and 60/)
    expect(() => model.whatIf(...at(50, 0), 'canteen', { minutes: 8, speed: -1 })).toThrow(/above 0/)
  })
})

describe('pedestrian rules', () => {
  test.each([
    [{ highway: 'residential' }, null],
    [{ highway: 'footway' }, null],
    [{ highway: 'steps' }, null],
    [{ highway: 'primary', oneway: 'yes' }, null],
    [{ highway: 'motorway' }, 'highway=motorway'],
    [{ highway: 'motorway_link' }, 'highway=motorway_link'],
    [{ highway: 'footway', foot: 'no' }, 'foot=no'],
    [{ highway: 'service', access: 'private' }, 'access=private without foot=yes'],
    [{ highway: 'service', access: 'private', foot: 'yes' }, null],
    [{ highway: 'construction' }, 'under construction'],
    [{ highway: 'residential', construction: 'yes' }, 'under construction'],
    [{ highway: 'proposed' }, 'highway=proposed'],
    [{ highway: 'bus_stop' }, 'highway=bus_stop'],
    [{}, 'no highway tag'],
  ])('%j → %s', (tags, reason) => {
    expect(notWalkable(tags)).toBe(reason)
  })
})

describe('what the import of OSM files leaves out beyond those', () => {
  test.each([
    [{ highway: 'trunk' }, [], osmImportRules.trunk],
    [{ highway: 'trunk_link', bridge: 'yes' }, [], osmImportRules.trunk],
    [{ highway: 'trunk', sidewalk: 'both' }, [], null],
    [{ highway: 'trunk', 'sidewalk:right': 'yes' }, [], null],
    [{ highway: 'trunk', sidewalk: 'separate' }, [], osmImportRules.trunk],
    [{ highway: 'trunk', foot: 'designated' }, [], null],
    [{ highway: 'trunk' }, ['trunk'], null],
    [{ highway: 'primary', tunnel: 'yes' }, [], osmImportRules.tunnel],
    [{ highway: 'service', tunnel: 'yes', sidewalk: 'left' }, [], null],
    [{ highway: 'footway', tunnel: 'yes' }, [], null],
    [{ highway: 'residential', tunnel: 'building_passage' }, [], null],
    [{ highway: 'primary', tunnel: 'yes' }, ['tunnel'], null],
    [{ highway: 'trunk', tunnel: 'yes' }, ['trunk'], osmImportRules.tunnel],
    [{ highway: 'motorway' }, ['trunk', 'tunnel'], 'highway=motorway'],
    [{ highway: 'trunk', foot: 'no', sidewalk: 'both' }, [], 'foot=no'],
  ] as const)('%j, keeping %j → %s', (tags, walkable, reason) => {
    expect(notWalkableOnImport(tags, walkable)).toBe(reason)
  })
})
