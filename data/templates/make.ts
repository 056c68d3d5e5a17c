// Writes the template files of "Your own city" (README): for each layer, two features of the sample
// city as GeoJSON, CSV (longitude/latitude for points, WKT for the rest) and a Shapefile (by GDAL's
// ogr2ogr, Debian's gdal-bin), all in the atlas's own field names. The output is committed; run this
// again only to change it: npx tsx data/templates/make.ts
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { geoJSONToWkt } from 'betterknown'
import Papa from 'papaparse'
import { layerFields } from '../../src/db/fields.ts'
import { layers, type LayerName } from '../../src/shared/layers.ts'
import { templateLayers } from './order.ts'

type Feature = GeoJSON.Feature<GeoJSON.Geometry, Record<string, unknown>>
const here = import.meta.dirname
const sample = (layer: LayerName): Feature[] =>
  (JSON.parse(fs.readFileSync(path.join(here, '../longquan', `${layer}.geojson`), 'utf8')) as GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>>).features
const byCode = (layer: LayerName, codes: string[]) => codes.map((code) => sample(layer).find((f) => f.properties.code === code)!)

/** A compound of the template city: its outline, west, south, east, north. */
const compoundBox = [119.1302, 28.0735, 119.131, 28.0741]
const compound: Feature = {
  type: 'Feature',
  properties: { code: 'R-T-1', parent_code: '331181001001', name: '龙渊苑小区', households: 320, residents: 960 },
  geometry: {
    type: 'Polygon',
    coordinates: [[[compoundBox[0], compoundBox[1]], [compoundBox[2], compoundBox[1]], [compoundBox[2], compoundBox[3]], [compoundBox[0], compoundBox[3]], [compoundBox[0], compoundBox[1]]]],
  },
}

/** A layer's template features: one or two of the sample city's, in one street and community. */
function features(layer: LayerName): Feature[] {
  switch (layer) {
    case 'street':
      return byCode('street', ['331181001'])
    case 'community':
      return byCode('community', ['331181001001', '331181001002'])
    case 'grid':
      return byCode('grid', ['331181001001001', '331181001001002'])
    case 'micro_grid':
      return byCode('micro_grid', ['331181001001001001', '331181001001001002'])
    case 'former_village':
      return byCode('former_village', ['331181003201'])
    case 'management_area':
      return byCode('management_area', ['SO-331181001'])
    case 'basemap':
      return byCode('basemap', ['park-longquan'])
    case 'walk_edge': {
      // two edges that meet end to end
      const edges = sample('walk_edge')
      const [first] = edges
      const end = JSON.stringify((first.geometry as GeoJSON.LineString).coordinates.at(-1))
      const next = edges.find((e) => e !== first && (e.geometry as GeoJSON.LineString).coordinates.some((p) => JSON.stringify(p) === end))!
      return [first, next].map((e) => ({ ...e, properties: { ...e.properties, name: e.properties.name ?? '龙渊路' } }))
    }
    case 'facility':
      return byCode('facility', ['F-331181001001-01', 'F-331181001001-02'])
    case 'residence': {
      // a compound (小区) drawn as its outline, entered through its gates, and a building drawn as
      // its own (a Shapefile holds one kind of shape: points, or outlines, as here)
      const [home] = byCode('residence', ['R000001'])
      const [x, y] = (home.geometry as GeoJSON.Point).coordinates
      const d = 0.00006
      const r7 = (n: number) => Math.round(n * 1e7) / 1e7
      const building: Feature = {
        ...home,
        properties: { ...home.properties, code: 'R-T-2', name: '龙渊苑1幢' },
        geometry: { type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]].map(([a, b]) => [r7(a), r7(b)])] },
      }
      return [compound, building]
    }
    case 'gate':
      return [
        { type: 'Feature', properties: { code: 'G-T-1', parent_code: 'R-T-1', name: '东门' }, geometry: { type: 'Point', coordinates: [compoundBox[2], 28.0738] } },
        { type: 'Feature', properties: { code: 'G-T-2', parent_code: 'R-T-1', name: '南门' }, geometry: { type: 'Point', coordinates: [119.1306, compoundBox[1]] } },
      ]
    case 'backlog': {
      const [a, b] = features('walk_edge')
      const common = { parent_code: '331181001001', households_served: 120, complaints: 6, severity: 3, status: 'proposed', requested_on: '2024-03-01' }
      return [
        { type: 'Feature', geometry: a.geometry, properties: { code: 'BL-T1', name: '大洋社区龙渊路路面硬化', category: '硬化', cost_yuan: 380000, depends_on: [], ...common } },
        { type: 'Feature', geometry: b.geometry, properties: { code: 'BL-T2', name: '大洋社区龙渊路路灯', category: '亮化', cost_yuan: 96000, depends_on: ['BL-T1'], ...common } },
      ]
    }
  }
}

/** Every field of the layer, in its order, and only those. */
function ordered(layer: LayerName, f: Feature): Feature {
  const fields = layerFields(layers[layer]).filter((name) => name in f.properties)
  return { type: 'Feature', properties: Object.fromEntries(fields.map((name) => [name, f.properties[name]])), geometry: f.geometry }
}

for (const layer of templateLayers) {
  const collection = { type: 'FeatureCollection', features: features(layer).map((f) => ordered(layer, f)) }
  const base = path.join(here, layer)
  fs.writeFileSync(`${base}.geojson`, JSON.stringify(collection, null, 1) + '\n')
  const points = collection.features.every((f) => f.geometry.type === 'Point')
  const rows = collection.features.map((f) => {
    const values = Object.fromEntries(Object.entries(f.properties).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]))
    const [lon, lat] = points ? (f.geometry as GeoJSON.Point).coordinates : []
    return points ? { ...values, lon, lat } : { ...values, wkt: geoJSONToWkt(f.geometry) }
  })
  fs.writeFileSync(`${base}.csv`, Papa.unparse(rows, { newline: '\n' }) + '\n')
  const shp = path.join(here, 'shapefile', layer)
  fs.rmSync(shp, { recursive: true, force: true })
  fs.mkdirSync(shp, { recursive: true })
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', path.join(shp, `${layer}.shp`), `${base}.geojson`], { stdio: ['ignore', 'ignore', 'ignore'] })
}
console.log(`templates written to ${here}`)
