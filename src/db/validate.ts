// Checks an import file against its layer before anything is written: structure, codes,
// properties, and coordinates that are plainly not WGS-84 degrees. Geometry validity
// (self-intersection, nesting) is left to PostGIS, inside the import's transaction.
import type { LayerSpec, PropertySpec } from '../shared/layers.ts'

export interface Problem {
  /** 0-based position of the feature in the file; -1 for the file as a whole. */
  index: number
  code?: string
  reason: string
}

export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(formatProblems(file, problems))
    this.name = 'ImportError'
  }
}

const shown = 20

export function describe(problem: Problem): string {
  if (problem.index < 0) return problem.reason
  const code = problem.code ? ` (code ${problem.code})` : ''
  return `feature ${problem.index}${code}: ${problem.reason}`
}

export function formatProblems(file: string, problems: Problem[]): string {
  const lines = problems.slice(0, shown).map((problem) => `  - ${describe(problem)}`)
  if (problems.length > shown) lines.push(`  … and ${problems.length - shown} more`)
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
  return `${file}: refused, nothing was written (${count}):\n${lines.join('\n')}`
}

export interface Feature {
  type: 'Feature'
  geometry: { type: string; coordinates: unknown }
  properties: Record<string, unknown>
}

const geometryTypes: Record<LayerSpec['geometry'], readonly string[]> = {
  polygon: ['Polygon', 'MultiPolygon'],
  point: ['Point'],
  line: ['LineString'],
  any: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
}

/** Parses the text of a GeoJSON file into features, or throws an ImportError saying why not. */
export function parseFeatureCollection(file: string, text: string): { features: Feature[]; crs?: string } {
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new ImportError(file, [{ index: -1, reason: `not a GeoJSON file: it is not valid JSON (${(error as Error).message})` }])
  }
  const object = json as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } }
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw new ImportError(file, [{ index: -1, reason: 'not a GeoJSON file: expected a FeatureCollection object' }])
  }
  let features: unknown[]
  if (object.type === 'FeatureCollection' && Array.isArray(object.features)) features = object.features
  else if (object.type === 'Feature') features = [object]
  else {
    throw new ImportError(file, [
      { index: -1, reason: `not a GeoJSON FeatureCollection: its "type" is ${JSON.stringify(object.type ?? null)}` },
    ])
  }
  const crsName = object.crs?.properties?.name
  const problems: Problem[] = []
  features.forEach((feature, index) => {
    const f = feature as Partial<Feature> | null
    if (!f || typeof f !== 'object' || f.type !== 'Feature') problems.push({ index, reason: 'not a GeoJSON Feature' })
    else if (!f.geometry || typeof f.geometry !== 'object') problems.push({ index, code: codeOf(f), reason: 'has no geometry' })
    else if (f.properties === null || typeof f.properties !== 'object' || Array.isArray(f.properties))
      problems.push({ index, reason: 'has no properties object' })
  })
  if (problems.length) throw new ImportError(file, problems)
  if (features.length === 0) throw new ImportError(file, [{ index: -1, reason: 'the FeatureCollection holds no features' }])
  return { features: features as Feature[], crs: typeof crsName === 'string' ? crsName : undefined }
}

function codeOf(feature: Partial<Feature>): string | undefined {
  const code = feature.properties?.code
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined
}

/** Checks every feature against the layer; returns the problems found (none means valid). */
export function validateFeatures(spec: LayerSpec, features: Feature[]): Problem[] {
  const problems: Problem[] = []
  const seen = new Map<string, number>()
  features.forEach((feature, index) => {
    const code = codeOf(feature)
    const report = (reason: string) => problems.push({ index, code, reason })
    const props = feature.properties
    if (code === undefined || code === '') report('missing "code"')
    else {
      if (!spec.codePattern.test(code)) report(`"code" ${JSON.stringify(code)} is not ${spec.codeDescription}`)
      const first = seen.get(code)
      if (first !== undefined) report(`duplicate code: feature ${first} has the same code`)
      else seen.set(code, index)
    }
    if (spec.parent) {
      const parentCode = props.parent_code
      if (parentCode === undefined || parentCode === null || parentCode === '') {
        if (spec.parent.required) report(`missing "parent_code" (the ${spec.parent.layer} it belongs to)`)
      } else if (typeof parentCode !== 'string') report('"parent_code" must be a string')
      else if (spec.parent.nested && code && !code.startsWith(parentCode))
        report(`code ${code} does not start with its parent_code ${parentCode}`)
    }
    for (const property of spec.properties) {
      const reason = checkProperty(property, props[property.name])
      if (reason) report(reason)
      else if (property.links && Array.isArray(props[property.name])) {
        const linked = props[property.name] as string[]
        const bad = linked.filter((c) => !spec.codePattern.test(c))
        if (bad.length) report(`"${property.name}" holds ${bad.map((c) => JSON.stringify(c)).join(', ')}, not ${spec.codeDescription}`)
        else if (code !== undefined && linked.includes(code)) report(`"${property.name}" names the item itself: ${code} cannot depend on itself`)
        else if (new Set(linked).size < linked.length) report(`"${property.name}" names the same code twice`)
      }
    }
    const allowed = geometryTypes[spec.geometry]
    if (!allowed.includes(feature.geometry.type))
      report(`geometry is a ${feature.geometry.type}; the ${spec.name} layer takes ${allowed.join(' or ')}`)
    else {
      const reason = checkCoordinates(feature.geometry.type, feature.geometry.coordinates)
      if (reason) report(reason)
    }
  })
  return problems
}

function checkProperty(property: PropertySpec, value: unknown): string | undefined {
  const label = `"${property.name}"`
  if (value === undefined || value === null || value === '') return property.required ? `missing ${label}` : undefined
  switch (property.type) {
    case 'text':
      if (typeof value !== 'string') return `${label} must be text, not ${JSON.stringify(value)}`
      if (property.values && !property.values.includes(value))
        return `${label} is ${JSON.stringify(value)}; allowed: ${property.values.join(', ')}`
      return undefined
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${label} must be a number, not ${JSON.stringify(value)}`
      if (property.type === 'integer' && !Number.isInteger(value)) return `${label} must be a whole number, not ${value}`
      if (property.min !== undefined && value < property.min) return `${label} is ${value}, below ${property.min}`
      if (property.max !== undefined && value > property.max) return `${label} is ${value}, above ${property.max}`
      return undefined
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${label} must be true or false, not ${JSON.stringify(value)}`
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : `${label} must be a date YYYY-MM-DD, not ${JSON.stringify(value)}`
    case 'text[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '')
        ? undefined
        : `${label} must be a list of text, not ${JSON.stringify(value)}`
  }
}

type Position = number[]

/** Depth of nesting of positions for each geometry type. */
const depth: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }

export function checkCoordinates(type: string, coordinates: unknown): string | undefined {
  const positions: Position[] = []
  const collect = (value: unknown, level: number): string | undefined => {
    if (level === 0) {
      if (!Array.isArray(value) || value.length < 2 || value.length > 3 || !value.every((n) => typeof n === 'number' && Number.isFinite(n)))
        return `coordinates hold ${JSON.stringify(value)}, not a position [longitude, latitude]`
      positions.push(value as Position)
      return undefined
    }
    if (!Array.isArray(value)) return `coordinates are missing or malformed`
    for (const item of value) {
      const reason = collect(item, level - 1)
      if (reason) return reason
    }
    return undefined
  }
  const reason = collect(coordinates, depth[type] ?? 0)
  if (reason) return reason
  if (positions.length === 0) return 'coordinates are empty'
  const outOfRange = positions.find(([x, y]) => Math.abs(x) > 180 || Math.abs(y) > 90)
  if (outOfRange) {
    const [x, y] = outOfRange
    if (Math.abs(x) > 1000 || Math.abs(y) > 1000)
      return `coordinate [${x}, ${y}] looks like projected metres (a Gauss-Krüger or Web Mercator grid); reproject to WGS-84 longitude/latitude degrees`
    if (Math.abs(y) > 90 && Math.abs(x) <= 90)
      return `coordinate [${x}, ${y}] has latitude ${y} beyond ±90: longitude and latitude look swapped (GeoJSON is [longitude, latitude])`
    if (Math.abs(y) > 90) return `coordinate [${x}, ${y}] has latitude ${y} beyond ±90`
    return `coordinate [${x}, ${y}] has longitude ${x} beyond ±180`
  }
  // In China longitude is 73–135° and latitude 18–54°: the reverse means the pair is swapped.
  const swapped = positions.every(([x, y]) => x >= 3 && x <= 54 && y >= 73 && y <= 135)
  if (swapped) {
    const [x, y] = positions[0]
    return `coordinate [${x}, ${y}] looks swapped: GeoJSON is [longitude, latitude], and ${y} is a longitude in China`
  }
  if (type === 'LineString' && positions.length < 2) return 'a LineString needs at least 2 positions'
  if (type === 'Polygon' || type === 'MultiPolygon') {
    const polygons = (type === 'Polygon' ? [coordinates] : coordinates) as Position[][][]
    for (const polygon of polygons) {
      if (polygon.length === 0) return 'a polygon has no rings'
      for (const ring of polygon) {
        if (ring.length < 4) return `a polygon ring has ${ring.length} positions; it needs at least 4`
        const [first, last] = [ring[0], ring[ring.length - 1]]
        if (first[0] !== last[0] || first[1] !== last[1]) return `a polygon ring is not closed: it starts at [${first.join(',')}] and ends at [${last.join(',')}]`
      }
    }
  }
  return undefined
}
