// The API's one module (src/shared/api.ts, its arguments generated into api.generated.ts) against
// the functions the database really has, read from pg_proc on both databases the atlas runs on:
// the same names, the same arguments in the same order with the same SQL types and defaults, the
// same result types; and the committed generated file is exactly what the generator writes now.
import fs from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { callApi } from '../../src/db/api.ts'
import { generatedApiFile, readApiSignatures, renderApiModule, type ApiSignature } from '../../src/db/apiTypes.ts'
import type { Database } from '../../src/db/database.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { apiFunctions, type ApiCall } from '../../src/shared/api.ts'
import { emptyDatabaseOn } from '../helpers/databases.ts'

/** The module's functions as the database's signatures are read. */
const declared: ApiSignature[] = Object.entries(apiFunctions).map(([name, fn]) => ({
  name,
  args: fn.args.map((arg) => ({ ...arg })),
  returns: fn.returns,
}))

describe.each(['embedded', 'postgres'] as const)('the API module against the %s database', (target) => {
  const opened = emptyDatabaseOn(target)
  let db: Database
  let found: ApiSignature[]
  beforeAll(async () => {
    db = opened.db
    found = await readApiSignatures(db)
  })

  test('names the functions the database has, and no other', () => {
    expect(found.length).toBeGreaterThan(20)
    expect(declared.map((fn) => fn.name).sort()).toEqual(found.map((fn) => fn.name))
  })

  test('gives each its arguments in order, with their SQL types and defaults, and its result type', () => {
    for (const fn of found) expect(declared.find((d) => d.name === fn.name), fn.name).toEqual(fn)
  })

  test('the committed generated module is what the generator writes from this database', () => {
    expect(fs.readFileSync(generatedApiFile, 'utf8')).toBe(renderApiModule(found))
  })

  test('callApi calls a function by its named arguments, leaving the defaulted ones to the database', async () => {
    const hits = await asCaller(db, userClaims('leader'), (tx) => callApi(tx, 'search_units', { query: '' }), true)
    expect(hits).toEqual([])
    const settled = asCaller(db, userClaims('planner'), (tx) => callApi(tx, 'settle_zone', { zone_id: 'not-a-zone', owner: 'x' }))
    await expect(settled).rejects.toThrow(/not-a-zone is not a zone id/)
  })
})

test('a name the database does not have, or an argument its function does not take, does not compile', () => {
  // Never called: the compiler checks these lines (`npx tsc --noEmit`), and each must be an error.
  const misuses = (call: ApiCall) => [
    // @ts-expect-error: there is no such function
    call('no_such_function', {}),
    // @ts-expect-error: map_layer takes no bbox, it takes west, south, east and north
    call('map_layer', { layer: 'street', west: 0, south: 0, east: 1, north: 1, bbox: [0, 0, 1, 1] }),
    // @ts-expect-error: unit_record needs its code
    call('unit_record', { layer: 'street' }),
    // @ts-expect-error: remove_proposal's id is a number (bigint)
    call('remove_proposal', { id: '1' }),
    // @ts-expect-error: set_zone_settings has no defaults, so no argument may be null
    call('set_zone_settings', { min_width_m: null, min_area_m2: 50 }),
    // @ts-expect-error: the backlog's weights are its factors, not any JSON
    call('set_backlog_weights', { weights: { households: 1 } }),
    // @ts-expect-error: a function without arguments takes none
    call('layer_stats', { layer: 'street' }),
  ]
  const uses = async (call: ApiCall) => {
    const zones = await call('zones', { with_geometry: false })
    const names: string[] = zones.zones.flatMap((zone) => zone.candidates.map((candidate) => candidate.name))
    const removed: boolean = await call('remove_proposal', { id: 1 })
    return { names, removed }
  }
  expect([misuses, uses].every((f) => typeof f === 'function')).toBe(true)
})
