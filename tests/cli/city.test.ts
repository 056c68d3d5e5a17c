// atlas city show / set: a new database knows no city; a leader's settings are kept with who and
// when; bad input is refused in words with nothing written; row level security lets leaders alone
// write it; the sample city's load writes its own profile.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { CityProfile } from '../../src/city/types.ts'
import { callApi } from '../../src/db/api.ts'
import { sampleCity } from '../../src/db/sample.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { copyEmptyDatabase, copySampleDatabase } from '../helpers/databases.ts'
import { importFixtures, openAtlas, runAtlas, type AtlasSession } from '../helpers/cli.ts'

let session: AtlasSession
const atlas = (...args: string[]) => session.run(...args)
const shown = async (): Promise<CityProfile> => JSON.parse((await atlas('city', 'show', '--json')).out) as CityProfile

beforeAll(async () => {
  session = await openAtlas(copyEmptyDatabase())
})
afterAll(() => session?.close())

describe('atlas city', () => {
  test('a new database knows no city: the page then says only the product’s words and fits the map to the units', async () => {
    const { code, out } = await atlas('city', 'show')
    expect(code).toBe(0)
    expect(out).toBe(['name: (not set)', 'administrative code: (not set)', 'attribution: (not set)', 'search example: (not set)', 'opening view: fitted to the units'].join('\n'))
    expect(await shown()).toEqual({ name: '', adcode: null, attribution: '', search_example: '', view: null, updated_by: null, updated_at: null })
  })

  test('set keeps what it is given, and who set it and when; "" clears a text, --view fit the view', async () => {
    const set = await atlas('city', 'set', '--name', '深圳市福田区', '--adcode', '440304', '--attribution', '福田区规划和自然资源局', '--example', '园岭街道、440304001', '--view', '114.055,22.541,13.5', '--json')
    expect(set.code, set.err).toBe(0)
    const city = JSON.parse(set.out) as CityProfile
    expect(city).toMatchObject({ name: '深圳市福田区', adcode: '440304', attribution: '福田区规划和自然资源局', search_example: '园岭街道、440304001', view: { lon: 114.055, lat: 22.541, zoom: 13.5 } })
    expect(city.updated_by).toMatch(/^atlas-cli:/)
    expect(Date.now() - Date.parse(city.updated_at!)).toBeLessThan(60_000)
    // one value changed, the others kept
    await atlas('city', 'set', '--example', '')
    await atlas('city', 'set', '--view', 'fit')
    expect(await shown()).toMatchObject({ name: '深圳市福田区', adcode: '440304', search_example: '', view: null })
    expect((await atlas('city', 'show')).out).toContain('attribution: 福田区规划和自然资源局')
  })

  test.each([
    [['--adcode', '44030'], 'administrative code \'44030\' is not six digits'],
    [['--adcode', '440304001'], 'is not six digits'],
    [['--name', '市'.repeat(61)], 'the city\'s name has 61 characters; at most 60'],
    [['--view', '114.05,22.54'], '--view takes longitude,latitude,zoom'],
    [['--view', '214.05,22.54,12'], 'is off the world'],
    [['--view', '114.05,22.54,30'], 'is off the world'],
  ])('%j is refused in words, and nothing is written', async (args, words) => {
    const before = await shown()
    const { code, err } = await atlas('city', 'set', ...args)
    expect(code).toBe(1)
    expect(err).toContain(words)
    expect(await shown()).toEqual(before)
  })

  test('set with nothing to set, and an unknown subcommand: the usage', async () => {
    const nothing = await atlas('city', 'set')
    expect([nothing.code, nothing.err]).toEqual([2, expect.stringContaining('at least one of --name, --adcode') as string])
    const unknown = await atlas('city', 'rename')
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('city takes one subcommand') as string])
  })

  test('a leader may set the profile; a planner and the construction bureau are refused, with nothing written', async () => {
    const before = await shown()
    for (const role of ['planner', 'works'] as const)
      await expect(asCaller(session.db, userClaims(role), (tx) => callApi(tx, 'set_city_profile', { name: '别的市' }))).rejects.toMatchObject({
        code: '42501',
        message: `only a leader sets the city's profile; you are signed in as ${role}`,
      })
    // past the function, row level security refuses the table itself
    await expect(asCaller(session.db, userClaims('planner'), (tx) => tx.query(`update atlas.city set name = '别的市' returning name`))).resolves.toMatchObject({ rows: [] })
    expect(await shown()).toEqual(before)
    const byLeader = await asCaller(session.db, userClaims('leader', 'zhang.wei'), (tx) => callApi(tx, 'set_city_profile', { name: '福田区' }))
    expect(byLeader.name).toBe('福田区')
    expect(byLeader.updated_by).toContain('zhang.wei')
    // every role reads it
    for (const role of ['planner', 'works'] as const) expect(await asCaller(session.db, userClaims(role), (tx) => callApi(tx, 'city_profile', {}), true)).toMatchObject({ name: '福田区' })
    // a leader's delete of the row leaves the empty one: the profile is never missing
    await asCaller(session.db, userClaims('leader'), (tx) => tx.query('delete from atlas.city'))
    expect(await shown()).toEqual({ name: '', adcode: null, attribution: '', search_example: '', view: null, updated_by: null, updated_at: null })
  })
})

test('the first units imported give the search box its example, which a leader’s own is never replaced by', async () => {
  const atlas = await openAtlas(copyEmptyDatabase())
  try {
    const run = (...args: string[]) => atlas.run(...args)
    const example = async () => (JSON.parse((await run('city', 'show', '--json')).out) as CityProfile).search_example
    expect((await run('import', 'street', path.join(importFixtures, 'base-street.geojson'))).code).toBe(0)
    expect(await example()).toBe('龙渊街道、331181001')
    // the street office's example stays: it is no longer empty
    expect((await run('import', 'community', path.join(importFixtures, 'base-community.geojson'))).code).toBe(0)
    expect(await example()).toBe('龙渊街道、331181001')
    await run('city', 'set', '--example', '')
    expect((await run('import', 'street', path.join(importFixtures, 'base-street.geojson'), '--upsert')).code).toBe(0)
    expect(await example()).toBe('大洋社区、331181001001')
    await run('city', 'set', '--example', '东山社区')
    expect((await run('import', 'street', path.join(importFixtures, 'base-street.geojson'), '--upsert')).code).toBe(0)
    expect(await example()).toBe('东山社区')
  } finally {
    await atlas.close()
  }
})

test('the sample city’s load writes its own profile', async () => {
  const { code, out } = await runAtlas(copySampleDatabase(), 'city', 'show', '--json')
  expect(code).toBe(0)
  expect(JSON.parse(out)).toMatchObject({ ...sampleCity, view: null, updated_by: 'atlas-sample' })
})
