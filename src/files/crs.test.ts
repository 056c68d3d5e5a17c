// Coordinate systems as files and users give them, against GDAL's gdaltransform (PROJ) on the same
// points; and the words for a file whose coordinates are plainly metres.
import { describe, expect, test } from 'vitest'
import { fromWkb, toWkb } from '../db/wkb.ts'
import type { Feature } from '../db/validate.ts'
import { degreesNotMetres, notLongitudeLatitude, resolveCrs, type Crs, type Position } from './crs.ts'
import { epsgIndex } from './epsg.ts'
import { encodingOfCpg } from './shapefile.ts'

const crs = (given: string): Crs => {
  const found = resolveCrs(given, epsgIndex)
  if (typeof found === 'string') throw new Error(found)
  return found
}
const near = (p: Position, q: Position) => expect(Math.max(Math.abs(p[0] - q[0]), Math.abs(p[1] - q[1]))).toBeLessThan(1e-9)
const point = (x: number, y: number): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [x, y] }, properties: {} })

describe('resolveCrs', () => {
  // echo "510000 2500000" | gdaltransform -s_srs EPSG:4549 -t_srs EPSG:4326 -output_xy, and so on
  const oracle: [string, Position, Position][] = [
    ['EPSG:4549', [510000, 2500000], [120.097253743906, 22.5977934569946]],
    ['urn:ogc:def:crs:EPSG::4526', [38510000, 3100000], [114.101678549973, 28.0140235627131]],
    ['32650', [400000, 3100000], [115.982767224854, 28.0214899509014]],
    ['EPSG:3857', [13262000, 3258000], [119.134572979931, 28.0715689740062]],
  ]
  test.each(oracle)('%s agrees with PROJ to 1e-9°', (given, from, to) => {
    const found = crs(given)
    expect(found.projected).toBe(true)
    near(found.toWgs84!(from), to)
  })

  test('an ESRI .prj of a Gauss–Krüger zone (no EPSG code in it) converts as its EPSG twin', () => {
    const prj =
      'PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
    const found = crs(prj)
    expect(found.id).toBe('CGCS2000_3_Degree_GK_CM_120E')
    near(found.toWgs84!([510000, 2500000]), [120.097253743906, 22.5977934569946])
  })

  test('geographic WGS-84 and CGCS2000, however written, are kept as they are', () => {
    for (const given of ['wgs84', 'WGS 84', 'EPSG:4326', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'])
      expect([crs(given).id, crs(given).toWgs84]).toEqual(['wgs84', undefined])
    for (const given of ['cgcs2000', 'EPSG:4490', 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'])
      expect([crs(given).id, crs(given).toWgs84]).toEqual(['cgcs2000', undefined])
    expect(crs('GCJ-02').id).toBe('gcj02')
    expect(crs('bd09').id).toBe('bd09')
  })

  test('Xian 1980, with no published shift, is converted with a warning; unknown systems are refused in words', () => {
    expect(crs('EPSG:2383').warning).toMatch(/no shift to WGS-84 .* off by up to 100 m/)
    expect(crs('EPSG:4549').warning).toBeUndefined()
    expect(resolveCrs('EPSG:99999', epsgIndex)).toMatch(/EPSG:99999 is not a coordinate system the atlas knows/)
    expect(resolveCrs('utm50', epsgIndex)).toMatch(/unknown coordinate system "utm50"/)
  })
})

describe('coordinates that cannot be what the file says', () => {
  test('metres with a zone number before the easting name the zone\'s EPSG codes', () => {
    expect(notLongitudeLatitude([point(38510000, 3100000)])).toMatch(/3-degree Gauss–Krüger zone 38 \(central meridian 114°E\).*--crs EPSG:4526 \(Xian 1980: EPSG:2362; Beijing 1954: EPSG:2414\)/)
    expect(notLongitudeLatitude([point(20510000, 3100000)])).toMatch(/6-degree Gauss–Krüger zone 20 \(central meridian 117°E\).*--crs EPSG:4498/)
    expect(notLongitudeLatitude([point(510000, 3100000)])).toMatch(/Transverse Mercator zone/)
    expect(notLongitudeLatitude([point(119.1, 28.1), point(119, 91)])).toBeUndefined()
    expect(degreesNotMetres([point(119.1, 28.1)], crs('EPSG:4549'))).toMatch(/declared in EPSG:4549 .* but its coordinates are degrees \(one is 119.1, 28.1\)/)
    expect(degreesNotMetres([point(510000, 3100000)], crs('EPSG:4549'))).toBeUndefined()
  })
})

describe('the zone codes named are the registry\'s', () => {
  test.each([
    [4526, 'CGCS2000 / 3-degree Gauss-Kruger zone 38'],
    [2362, 'Xian 1980 / 3-degree Gauss-Kruger zone 38'],
    [2414, 'Beijing 1954 / 3-degree Gauss-Kruger zone 38'],
    [4498, 'CGCS2000 / Gauss-Kruger zone 20'],
    [4549, 'CGCS2000 / 3-degree Gauss-Kruger CM 120E'],
  ])('EPSG:%i', (code, name) => expect(epsgIndex(code)?.name).toBe(name))
})

describe('.cpg words', () => {
  test.each([
    ['GBK', 'gbk'],
    ['936', 'gbk'],
    ['ANSI 936', 'gbk'],
    ['UTF-8\r\n', 'utf-8'],
    ['65001', 'utf-8'],
    ['GB18030', 'gb18030'],
    ['1252', 'windows-1252'],
    ['klingon', undefined],
  ])('%j', (text, name) => expect(encodingOfCpg(text)).toBe(name))
})

describe('WKB read back', () => {
  const hex = (h: string) => new Uint8Array(h.match(/../g)!.map((b) => parseInt(b, 16)))
  test('what PostGIS writes: extended WKB, big-endian, with an SRID and Z; ISO WKB with M', () => {
    // select encode(st_asewkb(st_setsrid('POLYGON Z ((0 0 1, 4 0 2, 4 4 3, 0 0 1))'::geometry, 4490), 'XDR'), 'hex')
    expect(
      fromWkb(
        hex(
          '00a00000030000118a0000000100000004000000000000000000000000000000003ff0000000000000401000000000000000000000000000004000000000000000401000000000000040100000000000004008000000000000000000000000000000000000000000003ff0000000000000',
        ),
      ),
    ).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]]] })
    // select encode(st_asbinary('MULTILINESTRING M ((1 2 3, 4 5 6), (7 8 9, 10 11 12))'::geometry), 'hex')
    expect(
      fromWkb(
        hex(
          '01d50700000200000001d207000002000000000000000000f03f0000000000000040000000000000084000000000000010400000000000001440000000000000184001d2070000020000000000000000001c4000000000000020400000000000002240000000000000244000000000000026400000000000002840',
        ),
      ),
    ).toEqual({ type: 'MultiLineString', coordinates: [[[1, 2], [4, 5]], [[7, 8], [10, 11]]] })
  })
  test('the atlas\'s own WKB, every type, round trip', () => {
    const geometries: GeoJSON.Geometry[] = [
      { type: 'Point', coordinates: [119.1, 28.1] },
      { type: 'LineString', coordinates: [[1, 2], [3, 4]] },
      { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.2, 0.1], [0.8, 0.1], [0.8, 0.7], [0.2, 0.1]]] },
      { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] },
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] },
    ]
    for (const g of geometries) expect(fromWkb(toWkb(g))).toEqual(g)
    expect(() => fromWkb(toWkb(geometries[2]).subarray(0, 40))).toThrow(RangeError)
  })
})

describe('the page\'s EPSG definitions (epsgChina.json)', () => {
  test('are epsg-index\'s, code for code, and hold every CGCS2000 Gauss–Krüger zone', async () => {
    const { epsgChina } = await import('./epsgChina.ts')
    const table = (await import('./epsgChina.json')).default as Record<string, unknown>
    for (const code of Object.keys(table)) expect(epsgChina(Number(code))).toEqual(epsgIndex(Number(code)))
    for (let code = 4491; code <= 4554; code++) expect(epsgChina(code)?.proj4).toMatch(/\+proj=tmerc/)
  })
})
