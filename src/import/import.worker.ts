// The page's import, off the page's thread: a dropped or picked file is read (Shapefile, GeoPackage,
// CSV, Excel, GeoJSON) and made ready for a layer by the same modules `atlas import` uses
// (../files/source.ts, ../files/prepare.ts). The worker keeps the file read; the page asks again as
// the user changes the layer, a field's source or the coordinate system, and takes the features
// staged for public.import_layer when the user imports.
import { expose } from 'comlink'
import initSqlJs, { type SqlJsStatic } from 'sql.js'
import sqlWasm from 'sql.js/dist/sql-wasm.wasm?url'
import { describeParts, partsOfLines } from '../circles/network/parts.ts'
import { toWkbBase64 } from '../db/wkb.ts'
import { judgePlacement, placementQuestion, type PlacementAnswer, type PlacementQuestion } from '../db/offsets.ts'
import { describe, ImportError, type Feature, type Problem } from '../db/validate.ts'
import { epsgChina } from '../files/epsgChina.ts'
import { prepareSource, type Noding } from '../files/prepare.ts'
import { throttled, type Progress, type ProgressReport } from '../files/progress.ts'
import { describeEncoding, readSource, sourceFormatNames, type Source, type SourceFile } from '../files/source.ts'
import type { StagedFeature } from '../shared/api.ts'
import { layers, type LayerName } from '../shared/layers.ts'

export interface OpenedFile {
  name: string
  format: string
  features: number
  fields: string[]
  /** The sheet or layer read, of a file that holds several. */
  part?: string
  encoding?: string
}

export interface PreparedFile {
  /**
   * The features as they would be written, in WGS-84, as GeoJSON behind a blob URL (each with its
   * index and whether it has a problem) for the map's source to fetch in MapLibre's own worker: a
   * district's file never passes through the page's thread.
   */
  preview: { url: string; count: number; bbox: [number, number, number, number] | null }
  /** The box of each feature with a problem (of the first hundred), to zoom to it. */
  boxes: Record<number, [number, number, number, number]>
  /** The first problems, in words (a file wrong throughout has one per feature: the page lists the first). */
  problems: (Problem & { said: string })[]
  /** How many problems there are in all. */
  problemCount: number
  mapping: Record<string, string>
  fields: string[]
  crs: { id: string; name: string; from?: string; stated: boolean }
  warnings: string[]
  noding?: Noding
  /** A network's connected parts, in words (the file's own lines, as they would be written). */
  parts?: string[]
  /** Where the features would land, to ask the database before writing (public.import_placement), or null. */
  question: PlacementQuestion | null
}

export type Answer<T> = { ok: true; value: T } | { ok: false; problems: (Problem & { said: string })[] }

/** How many of a file's problems go to the page, which lists the first hundred. */
const shownProblems = 200

let sqlJs: Promise<SqlJsStatic> | undefined
let previewUrl: string | undefined
let source: Source | undefined
let fileName = ''
let ready: Feature[] = []

const said = (problems: Problem[]) => problems.map((p) => ({ ...p, said: describe(p) }))

function answer<T>(work: () => T): Answer<T> {
  try {
    return { ok: true, value: work() }
  } catch (error) {
    if (error instanceof ImportError) return { ok: false, problems: said(error.problems) }
    return { ok: false, problems: said([{ index: -1, reason: (error as Error).message }]) }
  }
}

/** The files' bytes, read here rather than on the page's thread, the bytes read so far told. */
async function readFiles(files: File[], progress: Progress): Promise<SourceFile[]> {
  const total = files.reduce((sum, f) => sum + f.size, 0)
  let done = 0
  progress({ step: 'read', done, total })
  const read: SourceFile[] = []
  for (const file of files) {
    const bytes = new Uint8Array(file.size)
    let at = 0
    const reader = file.stream().getReader()
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      bytes.set(chunk.value, at)
      at += chunk.value.length
      progress({ step: 'read', done: (done += chunk.value.length), total })
    }
    read.push({ name: file.name, bytes: at === bytes.length ? bytes : bytes.subarray(0, at) })
  }
  return read
}

const api = {
  /** Reads the files (one file, a Shapefile's files, or a zip); `part` names a sheet or layer of several. */
  async open(files: File[], part: string | undefined, told: (report: ProgressReport) => unknown): Promise<Answer<OpenedFile>> {
    const progress = throttled((report) => void told(report))
    fileName = files.length === 1 ? files[0].name : files.map((f) => f.name).join(', ')
    source = undefined
    ready = []
    try {
      const read = await readFiles(files, progress)
      source = await readSource(fileName, read, { layer: part }, { sqlJs: () => (sqlJs ??= initSqlJs({ locateFile: () => sqlWasm })), progress })
    } catch (error) {
      if (error instanceof ImportError) return { ok: false, problems: said(error.problems) }
      return { ok: false, problems: said([{ index: -1, reason: (error as Error).message }]) }
    }
    const read = source
    const fields = [...new Set(read.features.flatMap((f) => Object.keys(f.properties ?? {})))]
    return {
      ok: true,
      value: {
        name: fileName,
        format: sourceFormatNames[read.format],
        features: read.features.length,
        fields,
        ...(read.layer ? { part: read.layer } : {}),
        ...(read.encoding && read.encoding.how !== 'ascii' ? { encoding: describeEncoding(read.encoding, read.format) } : {}),
      },
    }
  },

  prepare(layer: LayerName, map: Record<string, string>, crs: string | undefined, node: boolean, told: (report: ProgressReport) => unknown): Answer<PreparedFile> {
    const progress = throttled((report) => void told(report))
    return answer(() => {
      if (!source) throw new Error('no file is open')
      const prepared = prepareSource(fileName, layer, source, { map, crs, node, progress }, epsgChina)
      progress({ step: 'preview', done: 0, total: 1 })
      ready = prepared.problems.length ? [] : prepared.features
      const problemAt = new Set(prepared.problems.map((p) => p.index))
      const collection = {
        type: 'FeatureCollection',
        // each with its index in the file, which the problems name: taken before those with no geometry are left out
        features: prepared.features.flatMap((f, index) => (f.geometry ? [{ type: 'Feature', geometry: f.geometry, properties: { index, problem: problemAt.has(index) } }] : [])),
      }
      if (previewUrl) URL.revokeObjectURL(previewUrl)
      previewUrl = URL.createObjectURL(new Blob([JSON.stringify(collection)], { type: 'application/geo+json' }))
      const boxes: Record<number, [number, number, number, number]> = {}
      for (const p of prepared.problems.slice(0, 100)) {
        const box = p.index >= 0 && prepared.features[p.index] ? boxOf([prepared.features[p.index]]) : null
        if (box) boxes[p.index] = box
      }
      const parts = layer === 'walk_edge' && !prepared.problems.length ? describeParts(partsOfLines(prepared.features.map((f) => (f.geometry as GeoJSON.LineString).coordinates))) : undefined
      progress({ step: 'preview', done: 1, total: 1 })
      return {
        preview: { url: previewUrl, count: collection.features.length, bbox: boxOf(prepared.features) },
        boxes,
        problems: said(prepared.problems.slice(0, shownProblems)),
        problemCount: prepared.problems.length,
        mapping: prepared.mapping,
        fields: prepared.fields,
        crs: { id: prepared.crs.id, name: prepared.crs.name, ...(prepared.crsFrom ? { from: prepared.crsFrom } : {}), stated: prepared.crsStated },
        warnings: prepared.warnings,
        ...(prepared.noding ? { noding: prepared.noding } : {}),
        ...(parts ? { parts } : {}),
        question: prepared.problems.length
          ? null
          : placementQuestion(layers[layer], prepared.features, { stated: prepared.crsStated, converted: prepared.crs.toWgs84 !== undefined, name: prepared.crs.name }),
      }
    })
  },

  /** The database's answer to the placement question, judged as the command line judges it: a reason to refuse, or null. */
  judge(layer: LayerName, question: PlacementQuestion, answer: PlacementAnswer): string | null {
    return judgePlacement(layers[layer], question, answer)
  },

  /** Problems in words, as the command line says them (the database's refusals, for the page). */
  describe(problems: Problem[]): (Problem & { said: string })[] {
    return said(problems)
  },

  /** The features of the last prepare without problems, as public.import_layer takes them. */
  staged(): StagedFeature[] {
    return ready.map((f) => ({ p: f.properties, g: toWkbBase64(f.geometry as GeoJSON.Geometry) }))
  },
}

/** The box round the features' positions, or null when they have none. */
function boxOf(features: Feature[]): [number, number, number, number] | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  const visit = (c: unknown) => {
    if (!Array.isArray(c)) return
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      w = Math.min(w, c[0])
      e = Math.max(e, c[0])
      s = Math.min(s, c[1])
      n = Math.max(n, c[1])
    } else for (const inner of c) visit(inner)
  }
  for (const f of features) visit(f.geometry?.coordinates)
  return Number.isFinite(w) ? [w, s, e, n] : null
}

export type ImportWorker = typeof api

expose(api)
