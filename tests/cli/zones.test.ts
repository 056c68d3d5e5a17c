// atlas gaps / atlas gaps settle on a copy of the sample city: the public JSON shape, the three
// planted cases, a settlement applied, and bad input refused in words with nothing written.
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { GapsJson } from '../../src/cli/commands/gaps.ts'
import type { Database } from '../../src/db/database.ts'
import { copySampleDatabase } from '../helpers/databases.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'

let session: AtlasSession
const atlas = (...args: string[]) => session.run(...args)

/** The folder's database, as the commands left it. */
const withDb = <T>(work: (db: Database) => Promise<T>): Promise<T> => work(session.db)

const decisions = () => withDb((db) => db.query<{ n: string }>('select count(*) n from atlas.zone_decision').then((r) => Number(r.rows[0].n)))
const communityArea = (code: string) =>
  withDb((db) => db.query<{ a: number }>('select extensions.st_area(geom::extensions.geography) a from atlas.community where code = $1', [code]).then((r) => r.rows[0].a))

type JsonZone = GapsJson['zones'][number]

async function zones(...args: string[]): Promise<GapsJson> {
  const { code, out, err } = await atlas('gaps', '--json', ...args)
  expect(err).toBe('')
  expect(code).toBe(0)
  return JSON.parse(out) as GapsJson
}

const wuchu = (z: JsonZone) => z.kind === 'gap' && z.level === 'community'

beforeAll(async () => {
  session = await openAtlas(copySampleDatabase())
})
afterAll(() => session?.close())

describe('atlas gaps', () => {
  test('the JSON names every zone with the fields scripts rely on, and finds the three planted cases', async () => {
    const report = await zones()
    expect(Array.isArray(report.nesting)).toBe(true)
    for (const z of report.zones) {
      expect(z.id).toMatch(/^[go]-[0-9a-f]{10}$/)
      expect(['gap', 'overlap']).toContain(z.kind)
      expect(['open', 'noise', 'settled']).toContain(z.status)
      expect(z.area_m2).toBeGreaterThan(0)
      expect(z.width_m).toBeGreaterThan(0)
      expect(z.units.length).toBeGreaterThan(0)
      expect(z.units).toContain(z.suggested_owner)
      expect(z.reason.length).toBeGreaterThan(20)
    }
    const near = (z: JsonZone, ha: number) => Math.abs(z.area_m2 / 10_000 - ha) / ha < 0.01
    const open = report.zones.filter((z) => z.status === 'open')
    expect(open.find((z) => z.kind === 'gap' && z.level === 'management' && near(z, 16.7))?.units).toContain('CB-CHENGNAN') // 林场
    expect(open.find((z) => z.kind === 'overlap' && z.level === 'management' && near(z, 5.4))?.units).toEqual(expect.arrayContaining(['SO-331181003', 'DZ-LQ'])) // 水南犁山
    expect(open.find((z) => wuchu(z) && near(z, 4.3))?.suggested_owner).toBe('331181003012') // 吴处联建房 → 江南社区
  })

  test('--min-width and --min-area move zones into noise; the text lists them by status', async () => {
    const report = await zones('--min-width', '300')
    expect(report.zones.filter((z) => z.status === 'noise').map((z) => z.width_m < 300)).not.toContain(false)
    expect(report.zones.some((z) => z.status === 'noise')).toBe(true)
    const text = await atlas('gaps', '--min-area', '50000')
    expect(text.code).toBe(0)
    expect(text.out).toMatch(/noise:/)
    expect(text.out).toMatch(/open:/)
  })

  test('bad thresholds are refused in words', async () => {
    for (const [flag, value] of [['--min-width', '-1'], ['--min-area', 'lots'], ['--min-width', '']]) {
      const { code, err } = await atlas('gaps', `${flag}=${value}`)
      expect(code).toBe(1)
      expect(err).toMatch(new RegExp(`${flag} must be a number`))
    }
  })
})

describe('atlas gaps settle', () => {
  test('refuses an unknown zone, an owner that neither borders nor encloses it, a missing --owner: nothing written', async () => {
    const before = await decisions()
    let r = await atlas('gaps', 'settle', 'g-0000000000', '--owner', '331181003012')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/there is no zone g-0000000000/)
    const zone = (await zones()).zones.find(wuchu)!
    r = await atlas('gaps', 'settle', zone.id, '--owner', '331181001001')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/neither borders, claims nor encloses/)
    r = await atlas('gaps', 'settle', zone.id, '--owner', '999999999999')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/there is no unit 999999999999/)
    r = await atlas('gaps', 'settle', zone.id)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/--owner/)
    r = await atlas('gaps', 'settle', 'not-a-zone', '--owner', '331181003012')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/is not a zone id/)
    expect(await decisions()).toBe(before)
  })

  test('settles the 吴处 gap, then applies it: the community grows by the zone and the zone is gone', async () => {
    const zone = (await zones()).zones.find(wuchu)!
    let r = await atlas('gaps', 'settle', zone.id, '--owner', '331181003012', '--remark', '吴处联建房划入江南社区', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ zone: zone.id, owner: '331181003012', applied: false })
    const settled = (await zones()).zones.find((z) => z.id === zone.id)!
    expect(settled.status).toBe('settled')
    // who decided: the command line and the account that ran it
    expect(settled.decision).toMatchObject({ decided_by: `atlas-cli:${os.userInfo().username}`, remark: '吴处联建房划入江南社区' })
    const before = await communityArea('331181003012')
    r = await atlas('gaps', 'settle', zone.id, '--owner', '331181003012', '--apply')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/applied/)
    expect(await communityArea('331181003012')).toBeCloseTo(before + zone.area_m2, -1)
    const after = (await zones()).zones
    expect(after.find((z) => z.id === zone.id)).toBeUndefined()
    expect(after.find(wuchu)).toBeUndefined()
    // the land is now 江南社区's, but none of its grids': the next level down shows it
    expect(after.find((z) => z.kind === 'gap' && z.level === 'grid' && Math.abs(z.area_m2 - zone.area_m2) < 1)).toBeDefined()
  })
})
