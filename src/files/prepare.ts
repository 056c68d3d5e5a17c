// A file read into features made ready for a layer: its fields mapped to the layer's, its coordinate
// system settled and converted to WGS-84, every feature checked, a line network noded. Pure, and the
// same for `atlas import` and the page's import (its worker): what either shows or refuses is what
// the other would. Writing is the database's (public.import_layer).
import { countKinds, cutLines, cutsAt, describeKinds, findJunctions, someJunctions, type JunctionKind } from '../circles/network/noding.ts'
import { mapFields } from '../db/fields.ts'
import { ImportError, validateFeatures, type Feature, type Problem } from '../db/validate.ts'
import { layers, type LayerName, type LayerSpec } from '../shared/layers.ts'
import { degreesNotMetres, featuresToWgs84, notLongitudeLatitude, resolveCrs, type Crs, type EpsgLookup } from './crs.ts'
import { wholeStep, type Progress } from './progress.ts'
import { missingGeometries, type Source } from './source.ts'

export interface Noding {
  /** Lines repeating another, forward or backward, left out. */
  duplicates: number
  /** Crossings and touches cut (with --node), by kind, and shared vertices (always cut). */
  cut: Record<JunctionKind, number>
  /** Lines cut into pieces, and the pieces they became. */
  split: number
  pieces: number
  /** Crossings of a bridge, a tunnel or different layers, left unjoined. */
  levelled: number
}

export interface PrepareOptions {
  /** The file's coordinate system, when the file does not say: wgs84, gcj02…, or EPSG:<code>. */
  crs?: string
  /** The layer's field → the file's field to read it from, beyond the dictionary. */
  map?: Record<string, string>
  /** A line network: cut its lines where they cross or touch (not a bridge or tunnel over another). */
  node?: boolean
  /** The network says where its lines join (OSM, GraphML): nothing to node. */
  topology?: boolean
  /** Told how far the steps have got (the page's progress bar). */
  progress?: Progress
}

export interface Prepared {
  /** The features as they would be written: WGS-84, the layer's fields, noded. */
  features: Feature[]
  /** What refuses features, each by its index in the file; none means ready to write. */
  problems: Problem[]
  crs: Crs
  /** Whether the file or the caller said what the coordinates are (else they are checked against the city). */
  crsStated: boolean
  noding?: Noding
}

export interface PreparedSource extends Prepared {
  /** The atlas's field → the file's field it is read from, where they differ. */
  mapping: Record<string, string>
  /** The file's own fields, in the order first seen. */
  fields: string[]
  /** Where the file declares its coordinate system (its .prj…), when it does. */
  crsFrom?: string
  warnings: string[]
}

/** A one-part MultiPoint or MultiLineString (as Shapefiles write them) for a layer of points or lines. */
function singlePart(feature: Feature, geometry: LayerSpec['geometry']): Feature {
  if (!feature.geometry) return feature
  const { type, coordinates } = feature.geometry
  const parts = coordinates as unknown[]
  if (geometry === 'point' && type === 'MultiPoint' && Array.isArray(parts) && parts.length === 1)
    return { ...feature, geometry: { type: 'Point', coordinates: parts[0] } }
  if (geometry === 'line' && type === 'MultiLineString' && Array.isArray(parts) && parts.length === 1)
    return { ...feature, geometry: { type: 'LineString', coordinates: parts[0] } }
  return feature
}

const fileProblem = (file: string, reason: string) => new ImportError(file, [{ index: -1, reason }])

/** The file's fields, as they first appear. */
function fieldsOf(features: Feature[]): string[] {
  const seen = new Set<string>()
  for (const f of features) for (const name of Object.keys(f.properties ?? {})) seen.add(name)
  return [...seen]
}

/**
 * A read file made ready for a layer. Throws an ImportError for what refuses the file as a whole
 * (a field under no name, a coordinate system that cannot be, uncut crossings without `node`);
 * returns the problems of single features with the features, so that they can be shown.
 */
export function prepareSource(file: string, layer: LayerName, source: Source, options: PrepareOptions, lookup: EpsgLookup): PreparedSource {
  const mapped = wholeStep('fields', options.progress, () => mapFields(layers[layer], source.features, options.map, source.truncated))
  if (Array.isArray(mapped)) throw new ImportError(file, mapped)
  const features = mapped.features.map((f) => singlePart(f, layers[layer].geometry))
  let crs: Crs
  if (source.crs) {
    const declared = resolveCrs(source.crs.given, lookup)
    if (typeof declared === 'string') throw fileProblem(file, `${source.crs.from} declares a coordinate system the atlas cannot use: ${declared}`)
    if (options.crs !== undefined) {
      const stated = resolveCrs(options.crs, lookup)
      if (typeof stated !== 'string' && stated.id !== declared.id && stated.name !== declared.name)
        throw fileProblem(file, `${source.crs.from} declares ${declared.name} but --crs says ${stated.name}: leave --crs out, or correct the file`)
    }
    crs = declared
  } else {
    const stated = resolveCrs(options.crs ?? 'wgs84', lookup)
    if (typeof stated === 'string') throw fileProblem(file, stated)
    if (options.crs === undefined) {
      const reason = notLongitudeLatitude(features)
      if (reason) throw fileProblem(file, reason)
    }
    crs = stated
  }
  const prepared = prepareFeatures(file, layer, features, crs, { ...options, crsStated: source.crs !== undefined || options.crs !== undefined })
  return {
    ...prepared,
    mapping: mapped.mapping,
    fields: fieldsOf(source.features),
    ...(source.crs ? { crsFrom: source.crs.from } : {}),
    warnings: [...source.warnings, ...(crs.warning ? [crs.warning] : [])],
  }
}

/** Features in a known coordinate system made ready for a layer: converted, checked, noded. */
export function prepareFeatures(
  file: string,
  layer: LayerName,
  features: Feature[],
  crs: Crs,
  options: PrepareOptions & { crsStated?: boolean },
): Prepared {
  const crsStated = options.crsStated ?? true
  const missing = missingGeometries(features)
  if (missing.length) return { features, problems: missing, crs, crsStated }
  const degrees = degreesNotMetres(features, crs)
  if (degrees) throw fileProblem(file, degrees)
  // converted first, so that what is checked is what will be stored
  const converted = crs.toWgs84 ? featuresToWgs84(features, crs, options.progress) : features
  const problems = wholeStep('check', options.progress, () => validateFeatures(layers[layer], converted))
  if (problems.length || layer !== 'walk_edge' || options.topology) return { features: converted, problems, crs, crsStated }
  const { features: noded, noding } = wholeStep('node', options.progress, () => nodeNetwork(file, converted, options.node ?? false))
  return { features: noded, problems, crs, crsStated, noding }
}

/**
 * A line network as GIS files give it: repeated lines made one; shared vertices cut; crossings and
 * touches cut with `node`, else refused with where they are, since walked uncut they are overpasses.
 */
function nodeNetwork(file: string, features: Feature[], node: boolean): { features: Feature[]; noding: Noding } {
  const { report, kept } = findJunctions(features)
  const uncut = report.junctions.filter((j) => j.kind !== 'vertex')
  if (uncut.length && !node)
    throw fileProblem(
      file,
      `the network's lines meet ${uncut.length} ${uncut.length === 1 ? 'time' : 'times'} where neither is cut (${describeKinds(countKinds(uncut))}), ` +
        `so a walk could not turn there: first at ${someJunctions(uncut)}. ` +
        `Import with --node to cut the lines where they meet (bridges, tunnels and lines on other layers are never joined: give them a bridge, tunnel or layer property), or cut them in the GIS first`,
    )
  const cutting = node ? report.junctions : report.junctions.filter((j) => j.kind === 'vertex')
  const cut = cutLines(kept, cutsAt(cutting))
  return { features: cut.features, noding: { duplicates: report.duplicates.length, cut: countKinds(cutting), split: cut.split, pieces: cut.pieces, levelled: report.levelled } }
}
