// A Shapefile (.shp geometry, .dbf attributes, .prj coordinate system, .cpg encoding) read into
// features. The geometry is shpjs's (its rings are assembled into polygons and holes the way ESRI
// writes them); the attributes are read here, because a Chinese office's .dbf is in GBK as often as
// not, says so only in a .cpg if at all, and leaves numbers blank where a value is missing.
import { parseShp } from 'shpjs'
import type { Feature } from '../db/validate.ts'
import { eachCounted, wholeStep, type Progress } from './progress.ts'
import { FileError } from './source.ts'
import { detectText, type Encoding } from './text.ts'

export interface ShapefileParts {
  /** The layer's name (the .shp's, without extension). */
  name: string
  shp: Uint8Array
  dbf?: Uint8Array
  prj?: Uint8Array
  cpg?: Uint8Array
}

export interface Shapefile {
  features: Feature[]
  /** The .prj's definition (WKT), when there is one. */
  prj?: string
  encoding: Encoding
  /** Field names that may be cut short at the .dbf's 10 bytes. */
  truncated: string[]
}

const shapeTypes: Record<number, string> = {
  0: 'null',
  1: 'Point',
  3: 'PolyLine',
  5: 'Polygon',
  8: 'MultiPoint',
  11: 'PointZ',
  13: 'PolyLineZ',
  15: 'PolygonZ',
  18: 'MultiPointZ',
  21: 'PointM',
  23: 'PolyLineM',
  25: 'PolygonM',
  28: 'MultiPointM',
  31: 'MultiPatch',
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** A .cpg's words (`GBK`, `UTF-8`, `936`, `ANSI 936`, `65001`…) as an encoding TextDecoder knows. */
export function encodingOfCpg(text: string): string | undefined {
  const word = text.replace(/^\uFEFF/, '').trim().toLowerCase()
  const codePage = /^(?:ansi\s*|cp|windows-)?(\d+)$/.exec(word)?.[1]
  const candidates = codePage
    ? ({ '936': ['gbk'], '54936': ['gb18030'], '65001': ['utf-8'], '950': ['big5'], '20936': ['gb2312'], '28591': ['iso-8859-1'] }[codePage] ?? [`windows-${codePage}`])
    : [word]
  for (const label of candidates) {
    try {
      return new TextDecoder(label).encoding
    } catch {
      // not a label TextDecoder knows
    }
  }
  return undefined
}

/** The code page a .dbf's language driver byte names, for the ones Chinese files carry. */
const languageDrivers: Record<number, string> = { 0x4d: 'gbk', 0x7a: 'gbk', 0x4f: 'big5', 0x78: 'big5', 0x57: 'windows-1252', 0x03: 'windows-1252' }

/**
 * The .dbf's text encoding: the .cpg's when there is one; else UTF-8 when all its text decodes as
 * UTF-8, GBK (read as GB18030, its superset) when it does not and decodes as GBK; else the
 * language byte's. Names that decode cleanly as GBK but not as UTF-8 are GBK: the reverse is rare.
 */
export function dbfEncoding(file: string, dbf: Uint8Array, cpg?: Uint8Array): Encoding {
  if (cpg) {
    const text = new TextDecoder().decode(cpg)
    const name = encodingOfCpg(text)
    if (!name) throw new FileError(file, `the .cpg names the encoding "${text.trim()}", which the atlas cannot read; write GBK or UTF-8 in it`)
    return { name, how: 'cpg' }
  }
  // the text only: the fields' names and the character fields of the records (not the binary header)
  const { fields, headerLength, records, recordLength } = dbfLayout(file, dbf)
  const chunks = fields.map((f) => f.rawName)
  for (let r = 0; r < records; r++)
    for (const f of fields) if (f.type === 'C' || f.type === 'M') chunks.push(dbf.subarray(headerLength + r * recordLength + f.offset, headerLength + r * recordLength + f.offset + f.length))
  // one byte 0x0a between chunks, so that no multi-byte character is made of two fields' ends
  const text = new Uint8Array(chunks.reduce((n, c) => n + c.length + 1, 0))
  let at = 0
  for (const chunk of chunks) {
    text.set(chunk, at)
    text[at + chunk.length] = 0x0a
    at += chunk.length + 1
  }
  const detected = detectText(text)?.encoding
  if (detected) return detected
  const ldid = languageDrivers[dbf[29]]
  if (ldid) return { name: ldid, how: 'ldid' }
  throw new FileError(file, 'the .dbf\'s text is neither UTF-8 nor GBK and no .cpg says what it is: put its encoding in a .cpg file beside it (e.g. "GBK" or "UTF-8")')
}

interface DbfField {
  rawName: Uint8Array
  type: string
  offset: number
  length: number
}

interface DbfLayout {
  fields: DbfField[]
  records: number
  headerLength: number
  recordLength: number
}

/** The .dbf's header: its fields and where its records lie, checked against the file's length. */
function dbfLayout(file: string, dbf: Uint8Array): DbfLayout {
  if (dbf.length < 33) throw new FileError(file, `the .dbf is cut short: ${dbf.length} bytes, less than a header`)
  const data = view(dbf)
  const records = data.getUint32(4, true)
  const headerLength = data.getUint16(8, true)
  const recordLength = data.getUint16(10, true)
  if (headerLength < 33 || recordLength < 1 || headerLength > dbf.length) throw new FileError(file, 'the .dbf\'s header is damaged: it gives no fields')
  if (headerLength + records * recordLength > dbf.length)
    throw new FileError(
      file,
      `the .dbf is cut short, or its header is wrong: it promises ${records} records of ${recordLength} bytes (${headerLength + records * recordLength} bytes), the file has ${dbf.length}`,
    )
  const fields: DbfField[] = []
  let offset = 1 // each record starts with its deletion flag
  for (let at = 32; at + 32 <= headerLength && dbf[at] !== 0x0d; at += 32) {
    const raw = dbf.subarray(at, at + 11)
    const end = raw.indexOf(0)
    const length = dbf[at + 16]
    fields.push({ rawName: end < 0 ? raw : raw.subarray(0, end), type: String.fromCharCode(dbf[at + 11]), offset, length })
    offset += length
  }
  if (offset > recordLength) throw new FileError(file, `the .dbf's header is damaged: its fields take ${offset} bytes of a ${recordLength}-byte record`)
  return { fields, records, headerLength, recordLength }
}

/**
 * The .dbf's records (dBase III and its successors), read with the encoding given, and the names
 * that fill a field name's 10 bytes: cut short, perhaps in the middle of a character, as UTF-8
 * writers leave a Chinese name of four characters or more (社区代码 is 12 bytes; 社区代 is kept).
 */
export function readDbf(file: string, dbf: Uint8Array, encoding: string, progress?: Progress): { records: Record<string, unknown>[]; truncated: string[] } {
  const { fields, records, headerLength, recordLength } = dbfLayout(file, dbf)
  const decoder = new TextDecoder(encoding)
  const names = fields.map((f) => decoder.decode(f.rawName).replace(/\uFFFD+$/, '').trim())
  const truncated = names.filter((name, i) => fields[i].rawName.length >= 10 && name !== '')
  const out = eachCounted(
    Array.from({ length: records }, (_, r) => headerLength + r * recordLength),
    'records',
    progress,
    (start) => {
      const properties: Record<string, unknown> = {}
      fields.forEach((field, i) => {
        const bytes = dbf.subarray(start + field.offset, start + field.offset + field.length)
        properties[names[i]] = readValue(field.type, bytes, decoder)
      })
      return properties
    },
  )
  return { records: out, truncated }
}

function readValue(type: string, bytes: Uint8Array, decoder: TextDecoder): unknown {
  switch (type) {
    case 'N':
    case 'F': {
      const text = ascii(bytes).trim()
      if (!text || /^\*+$/.test(text)) return null
      const n = Number(text)
      return Number.isFinite(n) ? n : text
    }
    case 'D': {
      const text = ascii(bytes).trim()
      return /^\d{8}$/.test(text) && text !== '00000000' ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null
    }
    case 'L': {
      const c = ascii(bytes).trim().toUpperCase()
      return 'TY'.includes(c) && c ? true : 'FN'.includes(c) && c ? false : null
    }
    case 'I':
      return bytes.length === 4 ? view(bytes).getInt32(0, true) : null
    case 'O':
      return bytes.length === 8 ? view(bytes).getFloat64(0, true) : null
    default: {
      const text = decoder.decode(bytes).replace(/\0+$/, '').trim()
      return text === '' ? null : text
    }
  }
}

function ascii(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return s
}

/** The Shapefile's features, or a FileError saying what is wrong with which of its files. */
export function readShapefile(file: string, parts: ShapefileParts, progress?: Progress): Shapefile {
  const { shp, dbf } = parts
  const shpName = `${parts.name}.shp`
  if (shp.length < 100 || view(shp).getInt32(0) !== 9994) throw new FileError(file, `${shpName} is not a Shapefile's .shp: its header is missing or damaged`)
  const declared = view(shp).getInt32(24) * 2
  if (declared > shp.length) throw new FileError(file, `${shpName} is cut short: its header gives ${declared} bytes, the file has ${shp.length} (copied incompletely?)`)
  const type = view(shp).getInt32(32, true)
  if (!(type in shapeTypes) || type === 31)
    throw new FileError(file, `${shpName} holds ${type === 31 ? 'MultiPatch (3-D surfaces)' : `shapes of unknown type ${type}`}; the atlas reads points, lines and polygons`)
  if (!dbf) throw new FileError(file, `${parts.name}.dbf is missing: a Shapefile's attributes (codes, names) are in its .dbf, which must come with the .shp`)
  const encoding = dbfEncoding(file, dbf, parts.cpg)
  const { records, truncated } = readDbf(file, dbf, encoding.name, progress)
  let geometries: (Feature['geometry'] | null)[]
  try {
    geometries = wholeStep('shapes', progress, () => parseShp(view(shp.subarray(0, declared))))
  } catch (error) {
    throw new FileError(file, `${shpName} cannot be read: ${(error as Error).message}`)
  }
  if (geometries.length !== records.length)
    throw new FileError(
      file,
      `${shpName} holds ${geometries.length} shapes and ${parts.name}.dbf ${records.length} records: the two files are not of one layer, or one is cut short`,
    )
  const features = geometries.map((geometry, i) => ({ type: 'Feature' as const, geometry: geometry as Feature['geometry'], properties: records[i] }))
  const prj = parts.prj ? new TextDecoder().decode(parts.prj).replace(/^\uFEFF/, '').trim() : undefined
  return { features, ...(prj ? { prj } : {}), encoding, truncated }
}
