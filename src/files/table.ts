// Tables as a city office keeps them: a CSV (UTF-8 or GBK, as Excel in China saves it) or an Excel
// workbook, one feature a row, its geometry in longitude/latitude columns (经度/纬度, lon/lat, x/y…)
// or in a WKT column. The other columns are the feature's fields, read by the layer's dictionary.
import { wktToGeoJSON } from 'betterknown'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import type { Feature } from '../db/validate.ts'
import { detectText, type Encoding } from './text.ts'
import { FileError, type Source } from './source.ts'

/** The columns that hold a table's geometry, when they are not under the usual names (`--map lon=…`). */
export interface Columns {
  lon?: string
  lat?: string
  wkt?: string
}

const usual = {
  lon: ['经度', 'lon', 'lng', 'long', 'longitude', 'x', '东经', 'x坐标', '横坐标', 'point_x', 'gps经度', 'wgs84经度', '中心经度'],
  lat: ['纬度', 'lat', 'latitude', 'y', '北纬', 'y坐标', '纵坐标', 'point_y', 'gps纬度', 'wgs84纬度', '中心纬度'],
  wkt: ['wkt', 'geometry', 'geom', 'the_geom', 'shape', 'wkt_geom', '几何', '空间信息', '坐标串', '图形'],
}

const key = (name: string) => name.trim().toLowerCase().replace(/[\s_\-（）()]/g, '')

function findColumn(file: string, header: string[], which: keyof Columns, named?: string): string | undefined {
  if (named !== undefined) {
    const found = header.find((h) => h === named) ?? header.find((h) => key(h) === key(named))
    if (!found) throw new FileError(file, `--map ${which}=${named}: the table has no column "${named}"; its columns: ${header.join(', ')}`)
    return found
  }
  for (const name of usual[which]) {
    const found = header.find((h) => key(h) === key(name))
    if (found) return found
  }
  return undefined
}

/** A table's rows (header → value) as features. */
function rowsToFeatures(file: string, header: string[], rows: Record<string, unknown>[], columns: Columns = {}): { features: Feature[]; crs?: string } {
  const wkt = findColumn(file, header, 'wkt', columns.wkt)
  const lon = wkt && !columns.lon ? undefined : findColumn(file, header, 'lon', columns.lon)
  const lat = wkt && !columns.lat ? undefined : findColumn(file, header, 'lat', columns.lat)
  if (!wkt && !(lon && lat))
    throw new FileError(
      file,
      `the table has no geometry column: the atlas looks for longitude and latitude columns (${usual.lon.slice(0, 5).join('/')}, ${usual.lat.slice(0, 5).join('/')}) or a WKT column (${usual.wkt.slice(0, 4).join('/')}); ` +
        `its columns: ${header.join(', ')}. Name them with --map lon=<column>,lat=<column> or --map wkt=<column>`,
    )
  const used = new Set([wkt, lon, lat].filter((c): c is string => c !== undefined))
  const srids = new Set<string>()
  const features = rows.map((row, index): Feature => {
    const properties: Record<string, unknown> = {}
    for (const name of header) if (!used.has(name)) properties[name] = row[name] === '' ? null : row[name]
    let geometry: Feature['geometry'] | null = null
    if (wkt) {
      const text = row[wkt]
      if (typeof text === 'string' && text.trim()) {
        const ewkt = /^\s*SRID=(\d+);(.*)$/is.exec(text)
        if (ewkt) srids.add(ewkt[1])
        try {
          geometry = wktToGeoJSON(ewkt ? ewkt[2] : text) as Feature['geometry'] | null
        } catch (error) {
          throw new FileError(file, `row ${index + 2}: the ${wkt} column is not WKT (${(error as Error).message}): ${text.slice(0, 60)}`)
        }
        if (!geometry) throw new FileError(file, `row ${index + 2}: the ${wkt} column is not WKT: ${text.slice(0, 60)}`)
      }
    } else {
      const x = number(row[lon!])
      const y = number(row[lat!])
      if (x === undefined || y === undefined) {
        if (row[lon!] !== null && row[lon!] !== '' && row[lat!] !== null && row[lat!] !== '')
          throw new FileError(file, `row ${index + 2}: ${lon} and ${lat} must be numbers, not ${JSON.stringify(row[lon!])} and ${JSON.stringify(row[lat!])}`)
      } else geometry = { type: 'Point', coordinates: [x, y] }
    }
    return { type: 'Feature', geometry: geometry as Feature['geometry'], properties }
  })
  if (srids.size > 1) throw new FileError(file, `the WKT column gives several coordinate systems (SRID ${[...srids].join(', ')}): one file, one system`)
  return { features, ...(srids.size ? { crs: `EPSG:${[...srids][0]}` } : {}) }
}

function number(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || !/^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) return undefined
  return Number(value)
}

/** A text file's text, in the encoding found in it (UTF-8 with or without its mark, or GBK). */
function decodeText(file: string, bytes: Uint8Array): { text: string; encoding: Encoding } {
  const decoded = detectText(bytes)
  if (!decoded) throw new FileError(file, 'the file\'s text is neither UTF-8 nor GBK: save it as "CSV UTF-8"')
  return decoded
}

export function readCsv(file: string, bytes: Uint8Array, columns?: Columns): Source {
  const { text, encoding } = decodeText(file, bytes)
  // one kind of line break (files edited on two systems mix them, and Papa takes the first it sees)
  const parsed = Papa.parse<Record<string, string>>(text.replace(/\r\n?/g, '\n'), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() })
  const fatal = parsed.errors.find((e) => e.type !== 'Delimiter')
  if (fatal) throw new FileError(file, `row ${(fatal.row ?? 0) + 2} of the CSV cannot be read: ${fatal.message}`)
  const header = (parsed.meta.fields ?? []).filter((h) => h !== '')
  if (!header.length) throw new FileError(file, 'the CSV is empty: it has no header row')
  if (!parsed.data.length) throw new FileError(file, `the CSV has a header (${header.join(', ')}) but no rows`)
  const { features, crs } = rowsToFeatures(file, header, parsed.data, columns)
  return { format: 'csv', features, ...(crs ? { crs: { given: crs, from: 'the WKT column' } } : {}), encoding, warnings: [] }
}

/** A cell's value as the table shows it: numbers, text, dates as YYYY-MM-DD, a formula's result. */
function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value !== 'object') return typeof value === 'string' ? value.trim() : value
  if ('richText' in value) return value.richText.map((r) => r.text).join('').trim()
  if ('result' in value) return cellValue(value.result)
  if ('text' in value) return String(value.text).trim()
  if ('error' in value) return null
  return null
}

export async function readXlsx(file: string, bytes: Uint8Array, sheetName?: string, columns?: Columns): Promise<Source> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  } catch (error) {
    throw new FileError(file, `the workbook cannot be opened (${(error as Error).message}): is it a whole .xlsx file?`)
  }
  const sheets = workbook.worksheets
  const names = sheets.map((s) => s.name)
  let sheet: ExcelJS.Worksheet | undefined
  if (sheetName !== undefined) {
    sheet = sheets.find((s) => s.name === sheetName)
    if (!sheet) throw new FileError(file, `the workbook has no sheet "${sheetName}"; its sheets: ${names.join(', ')}`)
  } else {
    const filled = sheets.filter((s) => s.actualRowCount > 0)
    if (filled.length > 1) throw new FileError(file, `the workbook has ${filled.length} sheets with rows (${filled.map((s) => s.name).join(', ')}): name the one to import with --layer <sheet>`)
    sheet = filled[0] ?? sheets[0]
  }
  if (!sheet || sheet.actualRowCount === 0) throw new FileError(file, `the sheet ${sheet ? `"${sheet.name}" ` : ''}is empty: it has no rows`)
  const rows: unknown[][] = []
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as ExcelJS.CellValue[]
    rows.push(values.slice(1).map(cellValue))
  })
  const [headerRow, ...data] = rows
  const header = headerRow.map((h) => (typeof h === 'string' || typeof h === 'number' ? String(h).trim() : ''))
  const named = header.filter((h) => h !== '')
  if (!named.length) throw new FileError(file, `the sheet "${sheet.name}" has no header row`)
  if (!data.length) throw new FileError(file, `the sheet "${sheet.name}" has a header (${named.join(', ')}) but no rows`)
  const records = data.map((values) => {
    const record: Record<string, unknown> = {}
    header.forEach((h, i) => {
      if (h !== '') record[h] = values[i] ?? null
    })
    return record
  })
  const { features, crs } = rowsToFeatures(file, named, records, columns)
  return {
    format: 'xlsx',
    features,
    ...(crs ? { crs: { given: crs, from: 'the WKT column' } } : {}),
    ...(sheets.length > 1 ? { layer: sheet.name } : {}),
    warnings: [],
  }
}
