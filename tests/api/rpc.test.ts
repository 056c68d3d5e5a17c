// The API as the app calls it: supabase-js against the embedded server, on the sample city.
// Feature counts are checked against the files the sample city was imported from.
import fs from 'node:fs'
import path from 'node:path'
import type { FeatureCollection } from 'geojson'
import { check } from '@placemarkio/check-geojson'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { LayerCollection } from '../../src/data/types.ts'
import { sampleDir } from '../../src/db/sample.ts'
import { Auth } from '../../src/server/auth.ts'
import { startSampleServer, type SampleServer } from '../helpers/server.ts'
import { apiClient, dataOf } from '../helpers/supabase.ts'

const featuresIn = (layer: string) => (JSON.parse(fs.readFileSync(path.join(sampleDir, `${layer}.geojson`), 'utf8')) as LayerCollection).features

let sample: SampleServer
let url: string
let anonKey: string
const signedIn = (role: 'leader' | 'planner' | 'works') => sample.signedIn(role)

beforeAll(async () => {
  sample = await startSampleServer()
  ;({ url, anonKey } = sample)
})

afterAll(async () => {
  await sample?.close()
})

const city = { west: 118.9, south: 27.9, east: 119.4, north: 28.25 }

describe('map_layer', () => {
  test.each(['street', 'community', 'grid', 'micro_grid', 'facility', 'former_village', 'management_area', 'backlog'])(
    'returns every %s of the city as valid GeoJSON',
    async (layer) => {
      const supabase = await signedIn('leader')
      const data = dataOf(await supabase.rpc('map_layer', { layer, ...city, zoom: 14 }))
      const collection = check(JSON.stringify(data)) as FeatureCollection // throws on invalid GeoJSON
      const expected = featuresIn(layer).map((f) => String(f.properties.code)).sort()
      expect(collection.features.map((f) => String(f.id)).sort()).toEqual(expected)
    },
  )

  test('the sample city has Longquan’s 4 street offices and 28 communities, with their real names', async () => {
    const supabase = await signedIn('planner')
    const streets = dataOf(await supabase.rpc('map_layer', { layer: 'street', ...city, zoom: 11 }))
    expect(streets.features.map((f) => f.properties.name).sort()).toEqual(
      ['剑池街道', '石达石街道', '西街街道', '龙渊街道'].sort(),
    )
    const communities = dataOf(await supabase.rpc('map_layer', { layer: 'community', ...city, zoom: 11 }))
    expect(communities.features).toHaveLength(28)
    expect(communities.features.map((f) => f.properties.name)).toContain('水南社区')
  })

  test('a bounding box selects: a box away from the city is empty', async () => {
    const supabase = await signedIn('works')
    const { data } = await supabase.rpc('map_layer', { layer: 'community', west: 100, south: 20, east: 100.1, north: 20.1, zoom: 14 })
    expect(data).toEqual({ type: 'FeatureCollection', features: [] })
  })

  test('geometry is simplified for the zoom: fewer vertices at city zoom than close in', async () => {
    const supabase = await signedIn('leader')
    const vertices = async (zoom: number) => {
      const data = dataOf(await supabase.rpc('map_layer', { layer: 'community', ...city, zoom }))
      return JSON.stringify(data.features.map((f) => f.geometry)).split('],[').length
    }
    expect(await vertices(10)).toBeLessThan(await vertices(17))
  })

  test('bad arguments are refused in words with PostgREST’s shape', async () => {
    const supabase = await signedIn('leader')
    const unknown = await supabase.rpc('map_layer', { layer: 'villages', ...city, zoom: 12 })
    expect(unknown.error).toMatchObject({ code: '22023', message: "unknown layer 'villages'" })
    expect(unknown.error?.hint).toContain('street, community')
    expect(unknown.status).toBe(400)
    const box = await supabase.rpc('map_layer', { layer: 'grid', west: 119.3, south: 27.9, east: 119.1, north: 28.2, zoom: 12 })
    expect(box.error?.message).toMatch(/is not west, south, east, north/)
    // @ts-expect-error: a name the API does not have; the compiler refuses it, as the server does
    const missing = await supabase.rpc('no_such_function', {})
    expect(missing.status).toBe(404)
    expect(missing.error).toMatchObject({ code: 'PGRST202' })
  })

  test('an anonymous caller is refused with 401 and a reason', async () => {
    const anonymous = apiClient(url, anonKey)
    const { error, status } = await anonymous.rpc('map_layer', { layer: 'community', ...city, zoom: 12 })
    expect(status).toBe(401)
    expect(error?.message).toMatch(/sign in first/)
  })

  test('a forged token is refused', async () => {
    const forged = await new Auth('not the secret').sign({ role: 'authenticated', app_metadata: { app_role: 'planner' } }, 60)
    const response = await fetch(`${url}/rest/v1/rpc/layer_stats`, { method: 'POST', headers: { authorization: `Bearer ${forged}` }, body: '{}' })
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ code: 'PGRST301' })
  })

  test('a token whose session has ended (signed out) is refused with 401 and the reason, though its signature is good', async () => {
    const supabase = await signedIn('works')
    const { data } = await supabase.auth.getSession()
    const token = data.session!.access_token
    const call = () => fetch(`${url}/rest/v1/rpc/layer_stats`, { method: 'POST', headers: { apikey: anonKey, authorization: `Bearer ${token}` }, body: '{}' })
    expect((await call()).status).toBe(200)
    expect((await supabase.auth.signOut()).error).toBeNull()
    const response = await call()
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
    expect(await response.json()).toMatchObject({ code: 'PGRST301', message: 'the session has ended: sign in again' })
  })
})

describe('unit_record', () => {
  test('a grid’s record has its parents up to the street office, its counts and its standard', async () => {
    const grid = featuresIn('grid')[0].properties
    const supabase = await signedIn('leader')
    const data = dataOf(await supabase.rpc('unit_record', { layer: 'grid', code: grid.code }))
    expect(data.name).toBe(grid.name)
    expect(data.parents.map((p) => p.layer)).toEqual(['street', 'community'])
    expect(data.parents[1].code).toBe(grid.parent_code)
    const microGrids = featuresIn('micro_grid').filter((m) => m.properties.parent_code === grid.code)
    expect(data.children.micro_grid).toBe(microGrids.length)
    const households = Number(grid.households)
    const standard = data.checks.find((c) => c.key === 'grid_households')
    expect(standard).toMatchObject({ min: 500, max: 800, value: households })
    expect(standard?.ok).toBe(households >= 500 && households <= 800)
  })

  test('a community’s record checks workers and service floor area against the standards', async () => {
    const community = featuresIn('community').find((c) => c.properties.name === '东景社区')!.properties
    const supabase = await signedIn('works')
    const data = dataOf(await supabase.rpc('unit_record', { layer: 'community', code: community.code }))
    const byKey = Object.fromEntries(data.checks.map((c) => [c.key, c]))
    expect(byKey.service_area_provincial).toMatchObject({ value: community.service_area_m2, min: 300 })
    expect(byKey.service_area_provincial.ok).toBe(Number(community.service_area_m2) >= 300)
    const perTenThousand = Math.round((Number(community.full_time_workers) * 10000 * 10) / Number(community.resident_population)) / 10
    expect(byKey.workers_per_10k.value).toBeCloseTo(perTenThousand, 1)
  })

  test('an unknown code is refused in words', async () => {
    const supabase = await signedIn('leader')
    const { error } = await supabase.rpc('unit_record', { layer: 'community', code: '000000000000' })
    expect(error?.message).toBe('no community with code 000000000000')
  })
})

describe('search_units', () => {
  test('finds a community by part of its Chinese name, and a grid by its code', async () => {
    const supabase = await signedIn('leader')
    const byName = dataOf(await supabase.rpc('search_units', { query: '水南', max_results: 5 }))
    expect(byName[0]).toMatchObject({ layer: 'community', name: '水南社区', parent_name: '剑池街道' })
    const grid = featuresIn('grid')[3].properties
    const byCode = dataOf(await supabase.rpc('search_units', { query: grid.code }))
    expect(byCode[0]).toMatchObject({ layer: 'grid', code: grid.code, name: grid.name })
    expect(byCode[0].bbox).toHaveLength(4)
  })

  test('GET works for these read-only functions, with the arguments in the query string', async () => {
    const supabase = await signedIn('leader')
    const data = dataOf(await supabase.rpc('search_units', { query: '龙渊' }, { get: true }))
    expect(data[0]).toMatchObject({ layer: 'street', name: '龙渊街道' })
  })
})

describe('layer_stats', () => {
  test('counts and totals agree with the imported files', async () => {
    const supabase = await signedIn('leader')
    const data = dataOf(await supabase.rpc('layer_stats'))
    for (const layer of ['street', 'community', 'grid', 'micro_grid', 'facility', 'walk_edge', 'residence', 'backlog']) {
      expect(data[layer], layer).toHaveProperty('count', featuresIn(layer).length)
    }
    const sum = (layer: string, key: string) => featuresIn(layer).reduce((total, f) => total + Number(f.properties[key] ?? 0), 0)
    expect(data.residence).toHaveProperty('residents', sum('residence', 'residents'))
    expect(data.backlog).toHaveProperty('cost_yuan', expect.closeTo(sum('backlog', 'cost_yuan'), 0))
    expect(data.bbox).toHaveLength(4)
  })
})

describe('my_access', () => {
  test.each([
    ['leader', []],
    ['planner', ['street', 'community', 'grid', 'micro_grid', 'former_village', 'management_area', 'facility', 'walk_edge', 'residence', 'basemap', 'gate', 'proposed_facility', 'zone_decision', 'co_management']],
    ['works', ['backlog']],
  ] as const)('%s may write exactly what row level security lets it', async (role, writable) => {
    const supabase = await signedIn(role)
    const data = dataOf(await supabase.rpc('my_access'))
    expect(data.role).toBe(role)
    const granted = Object.entries(data.write).filter(([, ok]) => ok).map(([layer]) => layer)
    expect(granted.sort()).toEqual([...writable].sort())
  })

  test('an anonymous caller is told to sign in', async () => {
    const { data, error } = await apiClient(url, anonKey).rpc('my_access')
    expect(data).toBeNull()
    expect(error?.message).toMatch(/sign in/)
  })
})
