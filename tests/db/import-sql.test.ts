// The import's API function, public.import_layer: its migration is the one src/db/importSql.ts
// writes from the layer registry; called as each role of the app, it writes what row level security
// lets that role write and refuses the rest in words; refused features come back as problems.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { projectRoot } from '../../src/db/embedded.ts'
import { importFunctionSql, importMigration } from '../../src/db/importSql.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { toWkbBase64 } from '../../src/db/wkb.ts'
import { emptyDatabaseOn } from '../helpers/databases.ts'

test('the committed migration is the one the layer registry writes (npm run import-sql)', () => {
  expect(fs.readFileSync(path.join(projectRoot, importMigration), 'utf8')).toBe(importFunctionSql())
})

const street = (code: string, x: number) => ({
  p: { code, name: `街道${code}`, kind: '街道' },
  g: toWkbBase64({ type: 'Polygon', coordinates: [[[x, 28], [x + 0.01, 28], [x + 0.01, 28.01], [x, 28.01], [x, 28]]] }),
})

describe('public.import_layer as the app\'s roles', () => {
  const atlas = emptyDatabaseOn('embedded')
  const call = (claims: Parameters<typeof asCaller>[1], features: unknown[], upsert = false) =>
    asCaller(atlas.db, claims, async (tx) =>
      (await tx.query<{ r: unknown }>('select public.import_layer($1, $2::jsonb, $3) as r', ['street', JSON.stringify(features), upsert])).rows[0].r,
    )
  const count = async () => (await atlas.db.query<{ n: number }>('select count(*)::int as n from atlas.street')).rows[0].n

  test('a planner writes; a leader, the construction bureau and anonymous are refused in words, nothing written', async () => {
    for (const claims of [userClaims('leader'), userClaims('works'), { role: 'anon' }])
      await expect(call(claims, [street('331181001', 119.1)])).rejects.toThrow(/your role may not write the street layer/)
    expect(await count()).toBe(0)
    expect(await call(userClaims('planner'), [street('331181001', 119.1), street('331181002', 119.2)])).toEqual({ inserted: 2, updated: 0 })
    expect(await count()).toBe(2)
  })

  test('a code already there, and a bow-tie polygon, come back as problems with their index; nothing written', async () => {
    const bowtie = { ...street('331181003', 119.3), g: toWkbBase64({ type: 'Polygon', coordinates: [[[119.3, 28], [119.31, 28.01], [119.31, 28], [119.3, 28.01], [119.3, 28]]] }) }
    const result = (await call(userClaims('planner'), [street('331181001', 119.1), bowtie])) as { problems: { index: number; code: string; reason: string }[] }
    expect(result.problems.map((p) => [p.index, p.code])).toEqual([[0, '331181001'], [1, '331181003']])
    expect(result.problems[0].reason).toMatch(/code already exists in the street layer/)
    expect(result.problems[1].reason).toMatch(/geometry is not valid: Self-intersection/)
    expect(await count()).toBe(2)
    expect(await call(userClaims('planner'), [street('331181001', 119.15)], true)).toEqual({ inserted: 0, updated: 1 })
  })

  test('an unknown layer is refused naming the layers', async () => {
    await expect(
      asCaller(atlas.db, userClaims('planner'), (tx) => tx.query(`select public.import_layer('village', '[]'::jsonb)`)),
    ).rejects.toThrow(/unknown layer 'village'/)
  })
})
