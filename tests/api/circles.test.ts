// The service-circle API as the page calls it: supabase-js against the embedded server on the
// sample city (which loads with its circles and access times), each role through RLS.
import type { FeatureCollection, MultiPolygon } from 'geojson'
import { check } from '@placemarkio/check-geojson'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CircleModel } from '../../src/circles/engine/model.ts'
import type { Database } from '../../src/db/database.ts'
import { startSampleServer, type SampleServer } from '../helpers/server.ts'
import { apiClient, dataOf } from '../helpers/supabase.ts'

let sample: SampleServer
let db: Database
let url: string
let anonKey: string
const signedIn = (role: 'leader' | 'planner' | 'works') => sample.signedIn(role)

beforeAll(async () => {
  sample = await startSampleServer()
  ;({ db, url, anonKey } = sample)
})

afterAll(async () => {
  await sample?.close()
})

const rows = async <T>(sql: string) => (await db.query<T>(sql)).rows

describe('service circles', () => {
  test('every facility has its 8-minute circle and the 5/10/15 bands, valid GeoJSON, nested by minutes', async () => {
    const leader = await signedIn('leader')
    const data = dataOf(await leader.rpc('service_circles', { minutes: 8, speed: 66.7 }))
    const collection = check(JSON.stringify(data)) as FeatureCollection<MultiPolygon>
    const facilities = Number((await rows<{ n: string }>('select count(*) n from atlas.facility'))[0].n)
    expect(facilities).toBeGreaterThan(0)
    expect(collection.features).toHaveLength(facilities * 4)
    expect(new Set(collection.features.map((f): unknown => f.properties?.minutes))).toEqual(new Set([5, 8, 10, 15]))
    // one start's bands are contoured on one grid, so they nest exactly but for the rings'
    // simplification (0.5 m each): within 1.05e-5° (at least 1 m here in both directions)
    // (each band is buffered once, not once per smaller band: the buffers are the costly part)
    const [nested] = await rows<{ pairs: string; bad: string }>(`
      with b as materialized (
        select facility_code, minutes, extensions.st_buffer(geom, 1.05e-5) as geom from atlas.service_circle
        where facility_code < 'F-331181002' and minutes > 5)
      select count(*) pairs, count(*) filter (where not extensions.st_coveredby(a.geom, b.geom)) bad
      from atlas.service_circle a join b on a.facility_code = b.facility_code and a.minutes < b.minutes`)
    expect(Number(nested.pairs)).toBeGreaterThan(100)
    expect(Number(nested.bad)).toBe(0)
    const status = (await leader.rpc('circle_status')).data
    expect(status).toMatchObject({ stale: false, circles_stale: 0, access_times_stale: 0, facilities_without_circle: 0, residences_without_times: 0 })
  })

  test('anonymous callers read nothing; bad parameters are refused in words', async () => {
    const anon = apiClient(url, anonKey)
    const refused = await anon.rpc('coverage', {})
    expect(refused.error?.message).toMatch(/sign in first/)
    const leader = await signedIn('leader')
    expect((await leader.rpc('coverage', { minutes: 0 })).error?.message).toMatch(/minutes 0 must be between 1 and 60/)
    expect((await leader.rpc('service_circles', { speed: -1 })).error?.message).toMatch(/walking speed -1 m\/min/)
    expect((await leader.rpc('uncovered_residences', { facility_type: 'spa' })).error?.message).toMatch(/unknown facility type 'spa'/)
  })

  test('uncovered residences are exactly those the coverage counts as not covered', async () => {
    const leader = await signedIn('leader')
    const coverage = dataOf(await leader.rpc('coverage', { minutes: 8, speed: 66.7 }))
    for (const type of ['basic', 'canteen']) {
      const uncovered = dataOf(await leader.rpc('uncovered_residences', { minutes: 8, speed: 66.7, facility_type: type }))
      const households = uncovered.features.reduce((s, f) => s + Number(f.properties.households), 0)
      // the sample leaves households out of reach of each: the comparison is not of two zeros
      expect(uncovered.features.length, type).toBeGreaterThan(0)
      expect(households, type).toBe(coverage.city[type].households_not_covered)
    }
  })

  test('the engine in the page reads the same network and points, and agrees with the stored access times', async () => {
    const leader = await signedIn('leader')
    const graph = dataOf(await leader.rpc('walk_graph'))
    const points = dataOf(await leader.rpc('circle_points'))
    const model = CircleModel.fromJson(graph, points)
    expect(model.graph.edgeCount).toBe(Number((await rows<{ n: string }>('select count(*) n from atlas.walk_edge'))[0].n))
    const stored = await rows<{ residence_code: string; seconds: number | null }>(`select residence_code, seconds from atlas.access_time where facility_type = 'health_station' order by residence_code`)
    // every residence has its stored time, null where no road reaches it
    expect(stored).toHaveLength(model.residences.length)
    const access = model.access('health_station')
    const index = new Map(model.residences.map((r, i) => [r.code, i]))
    expect(stored.filter((row) => row.seconds !== null).length).toBeGreaterThan(stored.length / 2)
    for (const row of stored) {
      const i = index.get(row.residence_code)!
      const seconds = model.seconds(access.total[i], 66.7)
      if (row.seconds === null) expect(seconds).toBeNull()
      else expect(seconds).toBeCloseTo(row.seconds, 6)
    }
  })
})

describe('proposed facilities', () => {
  test('a planner saves and removes one; a leader reads it but may not remove it', async () => {
    const planner = await signedIn('planner')
    const saved = dataOf(await planner.rpc('save_proposal', { name: '试点康养驿站', facility_type: 'elderly_care', lon: 119.142, lat: 28.071, minutes: 8, speed: 66.7, new_households: 120, new_residents: 350, note: '水南' }))
    expect(saved).toMatchObject({ name: '试点康养驿站', facility_type: 'elderly_care', new_households: 120, created_by: 'planner@atlas.local' })
    const leader = await signedIn('leader')
    const listed = dataOf(await leader.rpc('proposals'))
    expect(listed.map((p) => p.id)).toContain(saved.id)
    const denied = await leader.rpc('remove_proposal', { id: saved.id })
    expect(denied.error?.message).toMatch(/no proposal \d+ you may remove/)
    const leaderSave = await leader.rpc('save_proposal', { name: 'x', facility_type: 'canteen', lon: 119.14, lat: 28.07, minutes: 8, speed: 66.7 })
    expect(leaderSave.error?.message).toMatch(/row-level security/)
    expect((await planner.rpc('remove_proposal', { id: saved.id })).data).toBe(true)
    expect(dataOf(await leader.rpc('proposals'))).toHaveLength(0)
  })
})
