// atlas standards list / set / history on the sample city: the national standards ship by their
// real titles and the report-derived ones cite their reports; a leader's change moves the indicators,
// their lights and words, the grids' bands and the default walk, and is kept with who, when and why;
// a standard not applied lights nothing; bad input is refused in words with nothing written; row
// level security lets leaders alone change them.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { callApi } from '../../src/db/api.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import type { Indicators } from '../../src/leader/types.ts'
import { standardUnits, type Standard, type StandardChange } from '../../src/standards/types.ts'
import { copySampleDatabase, tempDir } from '../helpers/databases.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'
import { futianCity, futianGridRule, futianProfile } from '../helpers/futian.ts'

let session: AtlasSession
const atlas = (...args: string[]) => session.run(...args)
const listed = async (): Promise<Standard[]> => JSON.parse((await atlas('standards', 'list', '--json')).out) as Standard[]
const changes = async (): Promise<StandardChange[]> => JSON.parse((await atlas('standards', 'history', '--json')).out) as StandardChange[]
const indicators = (): Promise<Indicators> => asCaller(session.db, userClaims('leader'), (tx) => callApi(tx, 'indicators', {}))
/** Read past row level security: the oracle's own counts. */
const count = async (sql: string) => Number((await session.db.query<{ n: string }>(sql)).rows[0].n)

beforeAll(async () => {
  session = await openAtlas(copySampleDatabase())
})
afterAll(() => session?.close())

describe('the standards as shipped', () => {
  test('every one cites its document by title and issuer; the national ones by their real codes and titles', async () => {
    const standards = await listed()
    expect(standards.length).toBeGreaterThanOrEqual(19)
    for (const s of standards) {
      expect(s.city_rule).toBe(false)
      expect(s.source_title, s.key).toBeTruthy()
      expect(s.source_issuer, s.key).toBeTruthy()
      expect(s.citation_zh).toContain(`《${s.source_title}》`)
      expect(s.citation_zh).not.toMatch(/seeds|\.txt/)
    }
    const byKey = new Map(standards.map((s) => [s.key, s]))
    const gb = (key: string) => byKey.get(key)!
    for (const key of ['life_circle_15_distance_m', 'life_circle_10_residents', 'life_circle_5_distance_m', 'walking_speed_m_per_min'])
      expect(gb(key)).toMatchObject({ source_code: 'GB 50180-2018', source_title: '城市居住区规划设计标准', source_issuer: '住房和城乡建设部', source_year: 2018 })
    expect(gb('community_life_circle_residents')).toMatchObject({ source_code: 'TD/T 1062-2021', source_title: '社区生活圈规划技术指南', source_issuer: '自然资源部', source_year: 2021 })
    // GB 50180-2018's tiers: 15 minutes 800–1,000 m and 50,000–100,000 residents, 10 minutes 500 m and 15,000–25,000, 5 minutes 300 m
    expect([gb('life_circle_15_distance_m').text_zh, gb('life_circle_15_residents').text_zh]).toEqual(['约 800–1,000 m', '50,000–100,000 人'])
    expect([gb('life_circle_10_distance_m').text_zh, gb('life_circle_10_residents').text_zh]).toEqual(['约 500 m', '15,000–25,000 人'])
    expect(gb('life_circle_5_distance_m').text_zh).toBe('约 300 m')
    // the report-derived ones as they were
    expect([gb('service_circle_minutes').text_zh, gb('grid_households').text_zh, gb('workers_per_10k').text_zh]).toEqual(['8 分钟', '500–800 户', '≥ 18 人/万人'])
    expect(gb('workers_per_10k').citation_zh).toBe('《关于“做好‘村改居’后半篇文章，促进城乡融合发展”的调研报告》（龙泉市政协，2023）：每万常住人口不少于 18 名专职社区工作者')
    expect(gb('grid_households').source_issuer).toBe('榆林市')
    // the page's list of units is the database's
    const { rows } = await session.db.query<{ units: string[] }>('select atlas.standard_units() as units')
    expect(rows[0].units).toEqual([...standardUnits])
    expect(await changes()).toEqual([])
    expect((await atlas('standards', 'history')).out).toContain('no change yet')
  })
})

describe('a leader changes them', () => {
  test('a local band for the grids, cited to a local document: the indicator, its words, its source and the grids’ bands follow', async () => {
    const before = await indicators()
    const set = await atlas('standards', 'set', 'grid_households', '--min', '400', '--max', '600', '--source', '《某市网格化服务管理办法》', '--issuer', '某市人民政府',
      '--year', '2024', '--clause', '第十条', '--reason', '按本市办法', '--json')
    expect(set.code, set.err).toBe(0)
    expect(JSON.parse(set.out)).toMatchObject({ value_min: 400, value_max: 600, text_zh: '400–600 户', citation_zh: '《某市网格化服务管理办法》（某市人民政府，2024）：第十条', updated_by: expect.stringMatching(/^atlas-cli:/) as string })

    const after = await indicators()
    const entry = after.catalogue.find((c) => c.key === 'grids_outside_band')!
    expect(entry).toMatchObject({ label_zh: '户数不在 400–600 的网格', standard_zh: '每个网格 400–600 户', source: '《某市网格化服务管理办法》（某市人民政府，2024）：第十条' })
    expect(entry.rule_zh).toContain('少于 400 或多于 600')
    // the oracle: the grids outside the band, counted from the table
    const outside = await count('select count(*) as n from atlas.grid where households < 400 or households > 600')
    expect(after.city.indicators.grids_outside_band.value).toBe(outside)
    expect(outside).not.toBe(before.city.indicators.grids_outside_band.value)
    // the map's grids are coloured against the new band, as is the inspector's check
    const bands = await session.db.query<{ band: string | null; n: string }>(
      `select atlas.grid_band(households) as band, count(*) as n from atlas.grid group by 1 order by 1`,
    )
    expect(Object.fromEntries(bands.rows.map((r) => [r.band, Number(r.n)]))).toEqual({
      under: await count('select count(*) as n from atlas.grid where households < 400'),
      in: await count('select count(*) as n from atlas.grid where households between 400 and 600'),
      over: await count('select count(*) as n from atlas.grid where households > 600'),
      ...((await count('select count(*) as n from atlas.grid where households is null')) ? { null: await count('select count(*) as n from atlas.grid where households is null') } : {}),
    })

    const [change] = await changes()
    expect(change).toMatchObject({ key: 'grid_households', reason: '按本市办法', changed_by: expect.stringMatching(/^atlas-cli:/) as string })
    expect([change.before.text_zh, change.after.text_zh]).toEqual(['500–800 户', '400–600 户'])
    expect(change.before.citation_zh).toContain('榆林市城市社区治理研究报告')
    expect((await atlas('standards', 'history', 'grid_households')).out).toContain('grid_households: 500–800 户 → 400–600 户')
  })

  test('a floor the city sets itself (本市设定): green at it, amber within 10 % of it, the light of every unit by that rule', async () => {
    const set = await atlas('standards', 'set', 'workers_per_10k', '--value', '20', '--city-rule', '--json')
    expect(set.code, set.err).toBe(0)
    expect(JSON.parse(set.out)).toMatchObject({ city_rule: true, citation_zh: '本市设定', citation_en: 'set by the city', source_title: null })
    const after = await indicators()
    const entry = after.catalogue.find((c) => c.key === 'workers_per_10k')!
    expect(entry).toMatchObject({ green: 20, amber: 18, standard_zh: '≥ 20 人/万人', source: '本市设定' })
    for (const unit of [after.city, ...after.streets, ...after.communities]) {
      const { value, light } = unit.indicators.workers_per_10k
      expect(light, unit.code).toBe(value === null ? 'none' : value >= 20 ? 'green' : value >= 18 ? 'amber' : 'red')
    }
  })

  test('a standard the city does not apply lights no unit and leaves the inspector’s checks; applied again, it lights them', async () => {
    const community = (await indicators()).communities.find((c) => c.indicators.workers_per_10k.value !== null)!
    const off = await atlas('standards', 'set', 'workers_per_10k', '--applied', 'no', '--reason', '本市不考核')
    expect(off.code, off.err).toBe(0)
    expect(off.out).toContain('(not applied)')
    const after = await indicators()
    expect(after.catalogue.find((c) => c.key === 'workers_per_10k')!.applied).toBe(false)
    for (const unit of [after.city, ...after.streets, ...after.communities]) expect(unit.indicators.workers_per_10k.light).toBe('none')
    const record = await asCaller(session.db, userClaims('planner'), (tx) => callApi(tx, 'unit_record', { layer: 'community', code: community.code }), true)
    expect(record.checks.map((c) => c.key)).not.toContain('workers_per_10k')
    await atlas('standards', 'set', 'workers_per_10k', '--applied', 'yes')
    expect((await indicators()).communities.find((c) => c.code === community.code)!.indicators.workers_per_10k.light).not.toBe('none')
  })

  test('the walk’s minutes are the default of the indicators, the coverage and the page', async () => {
    const set = await atlas('standards', 'set', 'service_circle_minutes', '--value', '10', '--source', '某市十分钟服务圈建设方案', '--issuer', '某市民政局')
    expect(set.code, set.err).toBe(0)
    const after = await indicators()
    expect(after.params.minutes).toBe(10)
    expect(after.catalogue.find((c) => c.key === 'coverage_households')!.standard_zh).toBe('步行 10 分钟内可达每一类基本服务设施')
    const coverage = JSON.parse((await atlas('coverage', '--json')).out) as { params: { minutes: number; speed_m_per_min: number } }
    expect(coverage.params).toEqual({ minutes: 10, speed_m_per_min: 66.7 })
    // a walk given still wins
    expect((JSON.parse((await atlas('coverage', '--minutes', '5', '--json')).out) as typeof coverage).params.minutes).toBe(5)
  })
})

describe('bad input is refused in words, with nothing written', () => {
  test.each([
    [['grid_households', '--min', '300', '--max', '700'], 'a new value needs its source'],
    [['workers_per_10k', '--value=-2', '--city-rule'], 'a value cannot be negative'],
    [['workers_per_10k', '--value', 'many', '--city-rule'], '--value takes a number, not "many"'],
    [['life_circle_5_residents', '--unit', '人/千人', '--city-rule'], "unknown unit '人/千人'"],
    [['workers_per_10k', '--unit', '人', '--city-rule'], 'its unit stays 人/万人'],
    [['no_such_standard', '--value', '1', '--city-rule'], "no standard 'no_such_standard'"],
    [['grid_households', '--min', '900', '--max', '600', '--city-rule'], 'the band\'s low end 900 is above its high end 600'],
    [['grid_households', '--comparison', 'between', '--min', '400', '--city-rule'], 'is a band: give both ends'],
    [['grid_households', '--comparison', 'roughly', '--city-rule'], "unknown comparison 'roughly'"],
    [['service_circle_minutes', '--applied', 'no'], 'is always applied'],
    [['service_circle_minutes', '--value', '90', '--city-rule'], 'minutes 90 must be between 1 and 60'],
    [['workers_per_10k', '--value', '19', '--source', '某市办法'], 'a source is a document\'s title and its issuer'],
    [['workers_per_10k', '--value', '19', '--source', '某市办法', '--issuer', '某市', '--city-rule'], 'not both'],
    [['workers_per_10k', '--value', '19', '--source', '某市办法', '--issuer', '某市', '--year', '1800'], 'year 1800 of its source is not a year of a document'],
    [['workers_per_10k', '--applied', 'maybe'], '--applied takes yes or no'],
    [['workers_per_10k', '--value', '19', '--min', '18', '--city-rule'], 'either --value, or --min and --max'],
  ])('%j', async (args, words) => {
    const [standards, history] = [await listed(), await changes()]
    const { code, err } = await atlas('standards', 'set', ...args)
    expect(code).toBe(1)
    expect(err).toContain(words)
    expect(await listed()).toEqual(standards)
    expect(await changes()).toEqual(history)
  })

  test('set with nothing to set, and an unknown subcommand: the usage', async () => {
    const nothing = await atlas('standards', 'set', 'grid_households')
    expect([nothing.code, nothing.err]).toEqual([2, expect.stringContaining('standards set needs at least one of') as string])
    const unknown = await atlas('standards', 'remove', 'grid_households')
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('standards takes one subcommand') as string])
  })

  test('a planner and the construction bureau are refused; past the function, row level security reaches no row; nobody deletes one', async () => {
    const [standards, history] = [await listed(), await changes()]
    for (const role of ['planner', 'works'] as const) {
      await expect(asCaller(session.db, userClaims(role), (tx) => callApi(tx, 'set_standard', { key: 'workers_per_10k', value_min: 1, city_rule: true }))).rejects.toMatchObject({
        code: '42501',
        message: `only a leader sets the standards; you are signed in as ${role}`,
      })
      await expect(asCaller(session.db, userClaims(role), (tx) => tx.query(`update atlas.standard set value_min = 1 where key = 'workers_per_10k' returning key`))).resolves.toMatchObject({ rows: [] })
    }
    await expect(asCaller(session.db, userClaims('leader'), (tx) => tx.query(`delete from atlas.standard where key = 'workers_per_10k'`))).rejects.toMatchObject({ code: '42501' })
    expect(await listed()).toEqual(standards)
    expect(await changes()).toEqual(history)
  })
})

describe('a second city, loaded from files with its own standard', () => {
  let futian: AtlasSession
  beforeAll(async () => {
    futian = await openAtlas(await futianCity())
  }, 120_000)
  afterAll(() => futian?.close())
  const leaderIndicators = (): Promise<Indicators> => asCaller(futian.db, userClaims('leader'), (tx) => callApi(tx, 'indicators', {}))

  test('its band of 400–600 households colours its grids and its indicators: 650 and 750 are over it, where 500–800 would find 450 under', async () => {
    const figures = await leaderIndicators()
    expect(figures.city.name).toBe(futianProfile.name)
    expect(figures.city.indicators.grids_outside_band).toMatchObject({ value: 2, parts: { grids: 4, below: 0, above: 2 } })
    // each community has one of its two grids outside: more than a quarter, red
    for (const community of figures.communities) expect(community.indicators.grids_outside_band).toMatchObject({ value: 1, light: 'red' })
    const { rows } = await futian.db.query<{ code: string; band: string }>('select code, atlas.grid_band(households) as band from atlas.grid order by code')
    expect(rows.map((r) => r.band)).toEqual(['in', 'over', 'in', 'over'])
    expect(figures.catalogue.find((c) => c.key === 'grids_outside_band')!.source).toBe(`《${futianGridRule.title}》（${futianGridRule.issuer}，${futianGridRule.year}）：${futianGridRule.clause}`)
  })

  test('an indicator whose data the city has not loaded says which data it needs', async () => {
    const figures = await leaderIndicators()
    const separation = figures.catalogue.find((c) => c.key === 'household_separation')!
    expect(figures.city.indicators.household_separation).toMatchObject({ value: null, light: 'none' })
    expect(separation.needs_zh).toContain('户籍人口')
    const backlog = figures.catalogue.find((c) => c.key === 'backlog_funded')!
    expect(figures.city.indicators.backlog_funded).toMatchObject({ value: null, light: 'none' })
    expect(backlog.needs_zh).toContain('基础设施欠账项目')
  })

  test('its PDF and CSV say its name and attribution, and name Longquan only as the issuer of a document it cites', async () => {
    const dir = tempDir('atlas-futian-report-')
    const [pdf, csv] = [path.join(dir, 'report.pdf'), path.join(dir, 'indicators.csv')]
    const run = await futian.run('report', '--pdf', pdf, '--csv', csv)
    expect(run.code, run.err).toBe(0)
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
    const table = fs.readFileSync(csv, 'utf8')
    expect(text).toContain(futianProfile.name)
    expect(text).toContain(futianProfile.attribution)
    expect(text).toContain('缺少数据')
    expect(text).not.toContain('无数据')
    expect(table).toContain(`全市,,${futianProfile.name}`)
    expect(table).toContain('园东社区')
    expect(table).toContain('缺少数据：需要社区的户籍人口与常住人口')
    for (const said of [text, table, run.out]) expect(said.replaceAll('龙泉市政协', '')).not.toMatch(/龙泉|Longquan|大洋社区|331181/)
  })
})
