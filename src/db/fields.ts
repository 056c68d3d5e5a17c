// A city's own files name their fields as its offices do: 社区代码, 社区名称, 户数, 常住人口… The
// atlas reads them by a dictionary of the usual Chinese and English names of each layer's fields,
// and by `--map field=源字段` for anything else, and says the mapping it used. Numbers a
// spreadsheet wrote as text ("68", "1,234", "68.0") are read as numbers; "26户" is not a number.
import type { LayerName, LayerSpec } from '../shared/layers.ts'
import type { Feature, Problem } from './validate.ts'

/** The usual names of a field, in the order they are tried. The atlas's own name always comes first. */
type Names = Record<string, readonly string[]>

const unitCode = ['代码', '编码', '编号', '行政区划代码', '区划代码', '统计用区划代码', 'CODE', 'ID']
const unitName = ['名称', '名字', 'NAME', 'MC']

/** Per layer: field → the names a file may give it (compared without case, spaces or a unit in brackets). */
export const fieldNames: Record<LayerName, Names> = {
  street: { code: ['街道代码', '街道编码', '乡镇代码', '乡镇编码', ...unitCode], name: ['街道名称', '乡镇名称', '街道', ...unitName], kind: ['类型', '类别'] },
  community: {
    code: ['社区代码', '社区编码', '社区编号', '村社区代码', ...unitCode],
    parent_code: ['街道代码', '街道编码', '乡镇代码', '所属街道代码', '上级代码', '上级编码'],
    name: ['社区名称', '社区', '村社区名称', ...unitName],
    type: ['社区类型', '类型'],
    registered_population: ['户籍人口', '户籍人数'],
    resident_population: ['常住人口', '常住人数', '人口'],
    households: ['户数', '总户数', '住户数'],
    service_area_m2: ['服务面积', '面积'],
    full_time_workers: ['专职社工', '专职工作者', '专职人员'],
  },
  grid: {
    code: ['网格代码', '网格编码', '网格编号', ...unitCode],
    parent_code: ['社区代码', '社区编码', '所属社区代码', '上级代码', '上级编码'],
    name: ['网格名称', '网格', ...unitName],
    households: ['户数', '总户数', '住户数'],
    grid_worker: ['网格员', '专职网格员'],
  },
  micro_grid: {
    code: ['微网格代码', '微网格编码', '微网格编号', ...unitCode],
    parent_code: ['网格代码', '网格编码', '所属网格代码', '上级代码', '上级编码'],
    name: ['微网格名称', '微网格', ...unitName],
    households: ['户数', '总户数', '住户数'],
    building_head: ['楼道长', '楼栋长', '微网格长'],
  },
  former_village: { code: ['村代码', '行政村代码', ...unitCode], name: ['村名称', '行政村名称', ...unitName], converted_year: ['撤村年份', '改居年份'] },
  management_area: { code: unitCode, name: unitName, kind: ['类型', '类别'], manager: ['管理单位', '管理者', '责任单位'] },
  facility: {
    code: ['设施代码', '设施编码', '设施编号', ...unitCode],
    parent_code: ['社区代码', '社区编码', '所属社区代码'],
    name: ['设施名称', ...unitName],
    type: ['设施类型', '类型'],
    floor_area_m2: ['建筑面积', '面积'],
  },
  walk_edge: {
    code: ['编号', 'CODE', 'ID', 'osm_id'],
    name: ['道路名称', '名称', 'NAME'],
    highway: ['道路等级', '等级', 'fclass'],
    length_m: ['长度', 'LENGTH'],
    bridge: ['桥梁', '是否桥梁', '桥'],
    tunnel: ['隧道', '是否隧道'],
    layer: ['层', '图层层级', '层级'],
  },
  residence: {
    code: ['小区代码', '小区编码', '住宅编号', '楼栋编号', ...unitCode],
    parent_code: ['社区代码', '社区编码', '所属社区代码'],
    name: ['小区名称', '楼栋名称', ...unitName],
    households: ['户数', '总户数', '住户数'],
    residents: ['常住人口', '居住人口', '人口', '人数'],
  },
  backlog: {
    code: ['项目编号', '项目代码', '编号', ...unitCode],
    parent_code: ['社区代码', '社区编码', '所属社区代码'],
    name: ['项目名称', ...unitName],
    category: ['类别', '分类', '类型'],
    cost_yuan: ['估算投资', '投资', '费用', '造价', '金额'],
    households_served: ['受益户数', '服务户数'],
    complaints: ['投诉数', '投诉次数', '投诉'],
    severity: ['严重程度', '紧急程度'],
    status: ['状态'],
    requested_on: ['申请日期', '提出日期'],
  },
  basemap: { code: unitCode, name: unitName, kind: ['类型', '类别'] },
  gate: {
    code: ['出入口编号', '出入口代码', '大门编号', '门编号', ...unitCode],
    parent_code: ['小区代码', '小区编码', '小区编号', '所属小区', '所属小区代码'],
    name: ['出入口名称', '大门名称', '门名称', ...unitName],
  },
}

/** How a field's name is compared: no case, no spaces, no unit in brackets ("费用（元）" is 费用). */
const key = (name: string) =>
  name
    .normalize('NFKC')
    .replace(/[(（][^)）]*[)）]\s*$/, '')
    .replace(/\s+/g, '')
    .toLowerCase()

/**
 * What a line network's import reads and does not keep: where lines cross at different levels
 * (../circles/network/noding.ts), which a file may give under other names too.
 */
const readNotKept: Partial<Record<LayerName, readonly string[]>> = { walk_edge: ['bridge', 'tunnel', 'layer'] }

/** The fields of a layer a file may hold: code, parent_code where it has a parent, its properties. */
export function layerFields(spec: LayerSpec): string[] {
  return ['code', ...(spec.parent ? ['parent_code'] : []), ...spec.properties.map((p) => p.name), ...(readNotKept[spec.name] ?? [])]
}

/** Edit distance, for the closest names to a missing field. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = up
    }
  }
  return row[b.length]
}

export interface FieldMapping {
  /** The atlas's field → the file's field it was read from, where they differ. */
  mapping: Record<string, string>
  features: Feature[]
}

/**
 * Renames the file's fields to the layer's, by `--map` first, then its own name, then the
 * dictionary. Refuses, for the file as a whole, a `--map` naming a field the file lacks, and a
 * required field found under no name, with the fields the file has and the closest of them.
 * Names the format may have cut short (`truncated`: a .dbf keeps 10 bytes) are read as the start
 * of a longer one, after every whole name has been matched.
 */
export function mapFields(spec: LayerSpec, features: Feature[], explicit: Record<string, string> = {}, truncated: readonly string[] = []): FieldMapping | Problem[] {
  const present = new Map<string, string>() // key → the file's own spelling
  for (const feature of features) for (const name of Object.keys(feature.properties ?? {})) if (!present.has(key(name))) present.set(key(name), name)
  const fields = layerFields(spec)
  const problems: Problem[] = []
  const mapping: Record<string, string> = {}
  const listed = () => [...present.values()].join(', ') || '(none)'
  for (const [field, source] of Object.entries(explicit)) {
    if (!fields.includes(field)) problems.push({ index: -1, reason: `--map names "${field}", which the ${spec.name} layer does not have; its fields: ${fields.join(', ')}` })
    else if (!present.has(key(source))) problems.push({ index: -1, reason: `--map ${field}=${source}: the file has no field "${source}"; its fields: ${listed()}` })
    else mapping[field] = present.get(key(source))!
  }
  const taken = new Set(Object.values(mapping).map(key))
  for (const field of fields) {
    if (mapping[field] || present.has(key(field))) continue
    const alias = (fieldNames[spec.name][field] ?? []).find((name) => present.has(key(name)) && !taken.has(key(name)))
    if (alias) {
      mapping[field] = present.get(key(alias))!
      taken.add(key(alias))
    }
  }
  // then the names cut short: a field's own name or an alias that begins with one, if only one does
  const cut = truncated.map(key).filter((k) => present.has(k) && !taken.has(k) && !fields.includes(k))
  for (const field of fields) {
    if (mapping[field] || present.has(key(field))) continue
    const starts = cut.filter((k) => !taken.has(k) && [field, ...(fieldNames[spec.name][field] ?? [])].some((name) => key(name).length > k.length && key(name).startsWith(k)))
    if (starts.length === 1) {
      mapping[field] = present.get(starts[0])!
      taken.add(starts[0])
    }
  }
  // a required field under no name at all: one problem for the file, not one per feature
  const required = ['code', ...(spec.parent?.required ? ['parent_code'] : []), ...spec.properties.filter((p) => p.required).map((p) => p.name)]
  for (const field of required) {
    if (mapping[field] || present.has(key(field))) continue
    const names = [field, ...(fieldNames[spec.name][field] ?? [])]
    const closest = [...present.values()]
      .map((name) => ({ name, d: Math.min(...names.map((n) => distance(key(name), key(n)) / Math.max(key(n).length, 1))) }))
      .filter((c) => c.d <= 0.5 && !taken.has(key(c.name)))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((c) => c.name)
    problems.push({
      index: -1,
      reason:
        `no field for "${field}" (looked for ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}); the file's fields: ${listed()}` +
        (closest.length ? `; the closest: ${closest.join(', ')} (--map ${field}=${closest[0]})` : `; name one with --map ${field}=<field>`),
    })
  }
  if (problems.length) return problems
  if (!Object.keys(mapping).length) return { mapping, features: features.map((f) => readValues(spec, f)) }
  const renamed = features.map((feature) => {
    const properties: Record<string, unknown> = { ...feature.properties }
    for (const [field, source] of Object.entries(mapping)) {
      properties[field] = feature.properties?.[source]
      if (source !== field) delete properties[source]
    }
    return readValues(spec, { ...feature, properties })
  })
  return { mapping, features: renamed }
}

/** "68", "1,234", "68.0", " 68 ": a number written as text; "26户", "1.2.3", "" are not. */
const plainNumber = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/

/** Yes and no as tables and .dbf files write them. */
const yes = new Set(['true', 't', 'yes', 'y', '1', '是', '有', '√'])
const no = new Set(['false', 'f', 'no', 'n', '0', '否', '无', '×'])

/** A date as tables write it: 2023-01-12, 2023/1/12, 2023.1.12, 2023年1月12日. */
const looseDate = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/

/** A list written as text: "a,b", "a、b", GDAL's "(2:a,b)" or a JSON array '[ "a", "b" ]'. */
function readList(text: string): unknown {
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  }
  const listed = /^\(\d+:(.*)\)$/.exec(text)?.[1] ?? text
  return listed.split(/[,;，；、\s]+/).filter((item) => item !== '')
}

/**
 * Values as files other than GeoJSON hold them, read as the layer's types where they plainly are:
 * numbers written as text, codes written as numbers (a spreadsheet's 331181001001), yes and no as
 * text or 0/1, dates with slashes, lists as "a,b" (or GDAL's "(2:a,b)"). Anything else is left for
 * the checks to refuse in words.
 */
function readValues(spec: LayerSpec, feature: Feature): Feature {
  const properties: Record<string, unknown> = { ...feature.properties }
  for (const field of ['code', 'parent_code']) {
    const value = properties[field]
    if (typeof value === 'number' && Number.isSafeInteger(value)) properties[field] = String(value)
  }
  for (const property of spec.properties) {
    const value = properties[property.name]
    const text = typeof value === 'string' ? value.trim() : undefined
    switch (property.type) {
      case 'integer':
      case 'number':
        if (text !== undefined && plainNumber.test(text)) properties[property.name] = Number(text.replace(/,/g, ''))
        break
      case 'boolean':
        if (typeof value === 'number' && (value === 0 || value === 1)) properties[property.name] = value === 1
        else if (text !== undefined && yes.has(text.toLowerCase())) properties[property.name] = true
        else if (text !== undefined && no.has(text.toLowerCase())) properties[property.name] = false
        break
      case 'date': {
        const m = text === undefined ? null : looseDate.exec(text)
        if (m) properties[property.name] = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`
        break
      }
      case 'text[]':
        if (text !== undefined) properties[property.name] = readList(text)
        break
      case 'text':
        if (typeof value === 'number' && Number.isFinite(value)) properties[property.name] = String(value)
        break
    }
  }
  return { ...feature, properties }
}

/** "code ← 社区代码, name ← 社区名称": the mapping used, for the import's words. */
export function describeMapping(mapping: Record<string, string>): string {
  return Object.entries(mapping)
    .map(([field, source]) => `${field} ← ${source}`)
    .join(', ')
}

