import { describe, expect, test } from 'vitest'
import { layers } from '../shared/layers.ts'
import { mapFields } from './fields.ts'
import type { Feature, Problem } from './validate.ts'

const square = { type: 'Polygon', coordinates: [[[119.13, 28.07], [119.145, 28.07], [119.145, 28.09], [119.13, 28.07]]] }
const feature = (properties: Record<string, unknown>): Feature => ({ type: 'Feature', properties, geometry: square })
const problemsOf = (result: ReturnType<typeof mapFields>): Problem[] => (Array.isArray(result) ? result : [])

describe('a community file with Chinese field names', () => {
  const chinese = feature({ 社区代码: '331181001001', 街道代码: '331181001', 社区名称: '大洋社区', 类型: '纯居型', '户数（户）': '1,234', 常住人口: '2200.0', 户籍人口: ' 68 ' })

  test('is read by the dictionary, and says the mapping it used; numbers written as text are numbers', () => {
    const result = mapFields(layers.community, [chinese])
    expect(Array.isArray(result)).toBe(false)
    if (Array.isArray(result)) return
    expect(result.mapping).toEqual({
      code: '社区代码',
      parent_code: '街道代码',
      name: '社区名称',
      type: '类型',
      households: '户数（户）',
      resident_population: '常住人口',
      registered_population: '户籍人口',
    })
    expect(result.features[0].properties).toEqual({
      code: '331181001001',
      parent_code: '331181001',
      name: '大洋社区',
      type: '纯居型',
      households: 1234,
      resident_population: 2200,
      registered_population: 68,
    })
  })

  test('"26户" is not a number: left as it is, for the validation to refuse with the feature and field', () => {
    const result = mapFields(layers.community, [feature({ code: '331181001001', parent_code: '331181001', name: '大洋社区', type: '纯居型', households: '26户' })])
    expect(Array.isArray(result) ? undefined : result.features[0].properties.households).toBe('26户')
  })

  test('a code a spreadsheet wrote as a number is read as text', () => {
    const result = mapFields(layers.community, [feature({ 社区代码: 331181001001, 街道代码: 331181001, 名称: '大洋社区', 类型: '纯居型' })])
    expect(Array.isArray(result) ? undefined : result.features[0].properties).toMatchObject({ code: '331181001001', parent_code: '331181001', name: '大洋社区' })
  })

  test('the file\'s own name wins over the dictionary; --map over both', () => {
    const both = feature({ code: 'A', 社区代码: 'B', parent_code: 'S', name: 'n', 名称: 'm', type: '纯居型', 人数: 5 })
    const result = mapFields(layers.community, [both], { resident_population: '人数', name: '名称' })
    expect(Array.isArray(result) ? undefined : result.features[0].properties).toMatchObject({ code: 'A', name: 'm', resident_population: 5 })
  })

  test('a required field under no name: one problem for the file, with its fields and the closest', () => {
    const rest = Object.fromEntries(Object.entries(chinese.properties).filter(([name]) => name !== '社区名称'))
    const problems = problemsOf(mapFields(layers.community, [chinese, chinese].map(() => feature({ ...rest, 社区名: '大洋' }))))
    expect(problems).toHaveLength(1)
    expect(problems[0].index).toBe(-1)
    expect(problems[0].reason).toMatch(/^no field for "name" \(looked for name, 社区名称, 社区, 村社区名称, 名称, 名字, …\); the file's fields: 社区代码, 街道代码, 类型, 户数（户）, 常住人口, 户籍人口, 社区名; the closest: 社区名 \(--map name=社区名\)$/)
  })

  test('--map naming a field the layer lacks, or one the file lacks: refused in words', () => {
    const problems = problemsOf(mapFields(layers.community, [chinese], { population: '常住人口', households: '总户数' }))
    expect(problems.map((p) => p.reason)).toEqual([
      '--map names "population", which the community layer does not have; its fields: code, parent_code, name, type, registered_population, resident_population, households, service_area_m2, full_time_workers',
      '--map households=总户数: the file has no field "总户数"; its fields: 社区代码, 街道代码, 社区名称, 类型, 户数（户）, 常住人口, 户籍人口',
    ])
  })
})

test('a grid file: 社区代码 is its parent, 网格编码 its code', () => {
  const result = mapFields(layers.grid, [feature({ 网格编码: '331181001001001', 社区代码: '331181001001', 网格名称: '一网格', 户数: '120' })])
  expect(Array.isArray(result) ? undefined : result.features[0].properties).toEqual({ code: '331181001001001', parent_code: '331181001001', name: '一网格', households: 120 })
})

describe('values as tables and .dbf files hold them', () => {
  const read = (spec: keyof typeof layers, properties: Record<string, unknown>) => {
    const result = mapFields(layers[spec], [feature(properties)])
    if (Array.isArray(result)) throw new Error(result.map((p) => p.reason).join('; '))
    return result.features[0].properties
  }
  test('yes and no, dates with slashes, lists as text, text written as numbers', () => {
    expect(read('grid', { code: '331181001001001', parent_code: '331181001001', name: 'a', worker_full_time: '是' }).worker_full_time).toBe(true)
    expect(read('grid', { code: '331181001001001', parent_code: '331181001001', name: 'a', worker_full_time: 0 }).worker_full_time).toBe(false)
    expect(read('grid', { code: '331181001001001', parent_code: '331181001001', name: 'a', worker_full_time: 'FALSE' }).worker_full_time).toBe(false)
    expect(read('grid', { code: '331181001001001', parent_code: '331181001001', name: 'a', worker_full_time: '也许' }).worker_full_time).toBe('也许')
    const backlog = { code: 'BL-9', parent_code: '331181001001', name: 'a', category: '硬化', cost_yuan: '1,000' }
    expect(read('backlog', { ...backlog, requested_on: '2023/1/5' }).requested_on).toBe('2023-01-05')
    expect(read('backlog', { ...backlog, requested_on: '2023年1月5日' }).requested_on).toBe('2023-01-05')
    expect(read('backlog', { ...backlog, requested_on: '5 Jan' }).requested_on).toBe('5 Jan')
    expect(read('backlog', { ...backlog, depends_on: 'BL-1, BL-2' }).depends_on).toEqual(['BL-1', 'BL-2'])
    expect(read('backlog', { ...backlog, depends_on: '(2:BL-1,BL-2)' }).depends_on).toEqual(['BL-1', 'BL-2'])
    expect(read('backlog', { ...backlog, depends_on: 'BL-1、BL-2' }).depends_on).toEqual(['BL-1', 'BL-2'])
    expect(read('backlog', { ...backlog, depends_on: '[ "BL-1", "BL-2" ]' }).depends_on).toEqual(['BL-1', 'BL-2'])
    expect(read('grid', { code: '331181001001001', parent_code: '331181001001', name: 2024 }).name).toBe('2024')
  })
  test('names a .dbf cut at 10 bytes are read as the start of the longer name, when only one begins so', () => {
    const result = mapFields(layers.community, [feature({ code: '331181001001', parent_cod: '331181001', name: 'a', type: '纯居型', resident_p: 5, registered: 6 })], {}, ['parent_cod', 'resident_p', 'registered'])
    if (Array.isArray(result)) throw new Error('refused')
    expect(result.mapping).toEqual({ parent_code: 'parent_cod', resident_population: 'resident_p', registered_population: 'registered' })
  })
})
