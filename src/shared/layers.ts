// The layers of the atlas: what `atlas import <layer>` takes, which table receives it,
// and which properties each feature carries. The importer, the sample-city generator,
// the README's layer table and the map all read this one description.

export type PropertyType = 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'text[]'

export interface PropertySpec {
  name: string
  type: PropertyType
  required?: boolean
  /** Allowed values, for enumerations. */
  values?: readonly string[]
  /** Inclusive lower bound, for numbers. */
  min?: number
  max?: number
  /** The value stored when a feature leaves the property out (booleans only). */
  default?: boolean
  /** Column name when it differs from the property name. */
  column?: string
  /**
   * For a list of codes of the same layer kept in a table of its own rather than a column: the
   * table, the column naming the feature and the column naming each listed code.
   */
  links?: { table: string; from: string; to: string }
  description: string
}

export type GeometryKind = 'polygon' | 'point' | 'line' | 'any'

export interface LayerSpec {
  name: LayerName
  table: string
  label: { zh: string; en: string }
  geometry: GeometryKind
  /** Regular expression a feature's `code` must match. */
  codePattern: RegExp
  codeDescription: string
  /** The layer `parent_code` refers to, and the column that stores it. */
  parent?: { layer: LayerName; column: string; required: boolean; nested: boolean }
  properties: readonly PropertySpec[]
}

export const layerNames = [
  'street',
  'community',
  'grid',
  'micro_grid',
  'former_village',
  'management_area',
  'facility',
  'walk_edge',
  'residence',
  'backlog',
  'basemap',
  'gate',
] as const
export type LayerName = (typeof layerNames)[number]

export const communityTypes = ['纯居型', '村改居型'] as const
export const streetKinds = ['街道', '镇', '乡'] as const
export const managementKinds = ['street_office', 'development_zone', 'construction_bureau', 'other'] as const
export const facilityTypes = [
  'party_service_centre', // 党群服务中心
  'health_station', // 卫生服务站
  'elderly_care', // 康养驿站 / 居家养老服务中心
  'canteen', // 共享餐厅 / 老年食堂
  'children', // 儿童之家
  'culture', // 文化家园 / 文化礼堂
  'employment', // 就业服务站
  'pioneer_station', // 先锋驿站
] as const
export const backlogCategories = ['硬化', '亮化', '绿化', '洁化', '供水', '排污'] as const
export const basemapKinds = ['outline', 'city', 'river', 'water', 'park', 'road'] as const
export const backlogStatuses = ['proposed', 'approved', 'in_progress', 'done', 'rejected'] as const

const name: PropertySpec = { name: 'name', type: 'text', required: true, description: 'name in Chinese' }
const households: PropertySpec = {
  name: 'households',
  type: 'integer',
  min: 0,
  max: 5_000_000,
  description: 'households (户)',
}

export const layers: Record<LayerName, LayerSpec> = {
  street: {
    name: 'street',
    table: 'street',
    label: { zh: '街道/乡镇', en: 'Street office / township' },
    geometry: 'polygon',
    codePattern: /^\d{9}$/,
    codeDescription: 'the official 9-digit township code',
    properties: [name, { name: 'kind', type: 'text', required: true, values: streetKinds, description: '街道, 镇 or 乡' }],
  },
  community: {
    name: 'community',
    table: 'community',
    label: { zh: '社区', en: 'Community' },
    geometry: 'polygon',
    codePattern: /^\d{12}$/,
    codeDescription: 'the official 12-digit division code',
    parent: { layer: 'street', column: 'street_code', required: true, nested: true },
    properties: [
      name,
      { name: 'type', type: 'text', required: true, values: communityTypes, column: 'community_type', description: '纯居型 or 村改居型' },
      { name: 'registered_population', type: 'integer', min: 0, max: 10_000_000, description: 'registered (户籍) population' },
      { name: 'resident_population', type: 'integer', min: 0, max: 10_000_000, description: 'resident (常住) population' },
      households,
      { name: 'service_area_m2', type: 'number', min: 0, max: 10_000_000, description: 'floor area of community service rooms, m²' },
      { name: 'full_time_workers', type: 'integer', min: 0, max: 100_000, description: 'full-time community workers' },
    ],
  },
  grid: {
    name: 'grid',
    table: 'grid',
    label: { zh: '网格', en: 'Grid' },
    geometry: 'polygon',
    codePattern: /^\d{15}$/,
    codeDescription: "its community's 12-digit code plus 3 digits",
    parent: { layer: 'community', column: 'community_code', required: true, nested: true },
    properties: [
      name,
      households,
      { name: 'grid_worker', type: 'text', description: 'grid worker (网格员)' },
      { name: 'worker_full_time', type: 'boolean', description: 'whether the grid worker is full-time (专职)' },
      {
        name: 'micro_grids_tile',
        type: 'boolean',
        default: false,
        description: 'whether its micro-grids are meant to tile it (then land in none of them is a 三不管 gap); default false',
      },
    ],
  },
  micro_grid: {
    name: 'micro_grid',
    table: 'micro_grid',
    label: { zh: '微网格', en: 'Micro-grid' },
    geometry: 'polygon',
    codePattern: /^\d{18}$/,
    codeDescription: "its grid's 15-digit code plus 3 digits",
    parent: { layer: 'grid', column: 'grid_code', required: true, nested: true },
    properties: [name, households, { name: 'building_head', type: 'text', description: 'building head (楼栋长)' }],
  },
  former_village: {
    name: 'former_village',
    table: 'former_village',
    label: { zh: '原行政村', en: 'Former village' },
    geometry: 'polygon',
    codePattern: /^\d{12}$/,
    codeDescription: "the former village's 12-digit division code",
    properties: [name, { name: 'converted_year', type: 'integer', min: 1949, max: 2100, description: 'year converted to a community (村改居)' }],
  },
  management_area: {
    name: 'management_area',
    table: 'management_area',
    label: { zh: '管理区域', en: 'Management area' },
    geometry: 'polygon',
    codePattern: /^[A-Za-z0-9_-]{2,32}$/,
    codeDescription: 'a code of 2–32 letters, digits, _ or -',
    properties: [
      name,
      { name: 'kind', type: 'text', required: true, values: managementKinds, description: 'street_office, development_zone, construction_bureau or other' },
      { name: 'manager', type: 'text', description: 'the body responsible' },
    ],
  },
  facility: {
    name: 'facility',
    table: 'facility',
    label: { zh: '服务设施', en: 'Service facility' },
    geometry: 'point',
    codePattern: /^[A-Za-z0-9_-]{2,32}$/,
    codeDescription: 'a code of 2–32 letters, digits, _ or -',
    parent: { layer: 'community', column: 'community_code', required: false, nested: false },
    properties: [
      name,
      { name: 'type', type: 'text', required: true, values: facilityTypes, column: 'facility_type', description: 'facility type' },
      { name: 'floor_area_m2', type: 'number', min: 0, max: 10_000_000, description: 'opening floor area, m²' },
    ],
  },
  walk_edge: {
    name: 'walk_edge',
    table: 'walk_edge',
    label: { zh: '步行路网', en: 'Walking network' },
    geometry: 'line',
    codePattern: /^[A-Za-z0-9_-]{1,40}$/,
    codeDescription: 'a code of 1–40 letters, digits, _ or -',
    properties: [
      { name: 'name', type: 'text', description: 'street name' },
      { name: 'highway', type: 'text', required: true, description: 'OSM highway class (residential, footway, steps, …)' },
      { name: 'steps', type: 'boolean', description: 'whether the edge is a flight of steps' },
      { name: 'length_m', type: 'number', min: 0, max: 1_000_000, description: 'length in metres (computed on the ellipsoid when absent)' },
      { name: 'foot', type: 'text', description: 'OSM foot=* (yes, designated, no, …): whether pedestrians may use it' },
      { name: 'access', type: 'text', description: 'OSM access=* (private, no, …)' },
    ],
  },
  residence: {
    name: 'residence',
    table: 'residence',
    label: { zh: '住宅', en: 'Residence' },
    geometry: 'any',
    codePattern: /^[A-Za-z0-9_-]{2,40}$/,
    codeDescription: 'a code of 2–40 letters, digits, _ or -',
    parent: { layer: 'community', column: 'community_code', required: false, nested: false },
    properties: [
      { name: 'name', type: 'text', description: 'building or address' },
      { ...households, required: true, max: 100_000 },
      { name: 'residents', type: 'integer', required: true, min: 0, max: 1_000_000, description: 'resident population' },
    ],
  },
  backlog: {
    name: 'backlog',
    table: 'backlog_item',
    label: { zh: '基础设施欠账', en: 'Infrastructure backlog' },
    geometry: 'any',
    codePattern: /^[A-Za-z0-9_-]{2,32}$/,
    codeDescription: 'a code of 2–32 letters, digits, _ or -',
    parent: { layer: 'community', column: 'community_code', required: true, nested: false },
    properties: [
      name,
      { name: 'category', type: 'text', required: true, values: backlogCategories, description: '硬化, 亮化, 绿化, 洁化, 供水 or 排污' },
      { name: 'cost_yuan', type: 'number', required: true, min: 0, max: 100_000_000_000, description: 'estimated cost, ¥' },
      { name: 'households_served', type: 'integer', min: 0, max: 5_000_000, description: 'households served' },
      { name: 'complaints', type: 'integer', min: 0, max: 1_000_000, description: 'complaints received' },
      { name: 'severity', type: 'integer', min: 1, max: 5, description: 'severity, 1 (minor) to 5 (urgent)' },
      { name: 'status', type: 'text', values: backlogStatuses, description: 'proposed, approved, in_progress, done or rejected' },
      {
        name: 'depends_on',
        type: 'text[]',
        links: { table: 'backlog_dependency', from: 'item_code', to: 'depends_on' },
        description: 'codes of the items it waits for (in the same file or already imported)',
      },
      { name: 'requested_on', type: 'date', description: 'date requested (YYYY-MM-DD)' },
    ],
  },
  basemap: {
    name: 'basemap',
    table: 'basemap_feature',
    label: { zh: '底图', en: 'Basemap' },
    geometry: 'any',
    codePattern: /^[A-Za-z0-9_-]{2,40}$/,
    codeDescription: 'a code of 2–40 letters, digits, _ or -',
    properties: [
      { name: 'name', type: 'text', description: 'name' },
      { name: 'kind', type: 'text', required: true, values: basemapKinds, description: 'outline (drawn), city (the outline its street offices must tile, for 三不管 checks), river, water, park or road' },
    ],
  },
  gate: {
    name: 'gate',
    table: 'gate',
    label: { zh: '小区出入口', en: 'Compound gate' },
    geometry: 'point',
    codePattern: /^[A-Za-z0-9_-]{2,40}$/,
    codeDescription: 'a code of 2–40 letters, digits, _ or -',
    // the compound: a residence drawn as its outline; the gate lies on it (5 m of slack)
    parent: { layer: 'residence', column: 'compound_code', required: true, nested: false },
    properties: [{ name: 'name', type: 'text', description: 'name, e.g. 东门' }],
  },
}

/** The order in which a whole city loads: parents before children. */
export const loadOrder: readonly LayerName[] = [
  'street',
  'community',
  'grid',
  'micro_grid',
  'former_village',
  'management_area',
  'facility',
  'walk_edge',
  'residence',
  'gate',
  'backlog',
  'basemap',
]

export function isLayerName(value: string): value is LayerName {
  return (layerNames as readonly string[]).includes(value)
}
