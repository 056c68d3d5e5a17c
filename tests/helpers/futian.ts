// A second city for the tests, not Longquan and of another province: one street office of Shenzhen's
// Futian (440304), two communities, four grids and two management areas (the street office and a
// science park inside it, an overlap until declared co-managed), loaded from tests/fixtures/futian with `atlas
// import`, named with `atlas city set`, and with its own households band for the grids (400–600,
// cited to a local document) set with `atlas standards set`.
import path from 'node:path'
import { copyEmptyDatabase } from './databases.ts'
import { openAtlas } from './cli.ts'

export const futianFixtures = path.resolve(import.meta.dirname, '../fixtures/futian')

export const futianProfile = { name: '深圳市福田区', adcode: '440304', attribution: '福田区示例数据（测试用）', example: '园东社区、440304001001' }

/** The local document its grids' band is cited to. */
export const futianGridRule = { title: '福田区网格化服务管理办法（测试用）', issuer: '福田区人民政府', year: '2024', clause: '第十条' }

/** A new embedded database holding the city, in a folder of its own. */
export async function futianCity(): Promise<string> {
  const dir = copyEmptyDatabase()
  const atlas = await openAtlas(dir)
  const run = async (...args: string[]) => {
    const { code, err } = await atlas.run(...args)
    if (code !== 0) throw new Error(`atlas ${args.join(' ')}: ${err}`)
  }
  try {
    for (const layer of ['street', 'community', 'grid', 'management_area']) await run('import', layer, path.join(futianFixtures, `${layer}.geojson`))
    const { name, adcode, attribution, example } = futianProfile
    await run('city', 'set', '--name', name, '--adcode', adcode, '--attribution', attribution, '--example', example)
    const { title, issuer, year, clause } = futianGridRule
    await run('standards', 'set', 'grid_households', '--min', '400', '--max', '600', '--source', title, '--issuer', issuer, '--year', year, '--clause', clause)
  } finally {
    await atlas.close()
  }
  return dir
}
