// The page's import: a worker that reads the file and makes it ready for a layer (./import.worker.ts),
// asked again whenever the layer, a field's source, the coordinate system or the noding changes;
// then public.import_layer, the function `atlas import` calls, writes it all or nothing.
import { proxy, wrap, type Remote } from 'comlink'
import { useCallback, useEffect, useRef, useState } from 'react'
import { walkGraph } from '../circles/api.ts'
import { connectedParts, describeParts } from '../circles/network/parts.ts'
import { rpc, type AtlasClient } from '../data/client.ts'
import { toAtlasError } from '../data/errors.ts'
import type { ProgressReport } from '../files/progress.ts'
import type { LayerName } from '../shared/layers.ts'
import type { ImportWorker, OpenedFile, PreparedFile } from './import.worker.ts'

export type Said = { index: number; code?: string; reason: string; said: string }

export interface ImportChoices {
  layer: LayerName | null
  /** The layer's field → the file's field, as the user set it (beyond the dictionary's guesses). */
  map: Record<string, string>
  /** The coordinate system when the user states one (else the file's, or WGS-84). */
  crs: string | undefined
  node: boolean
  upsert: boolean
}

export type ImportStage = 'idle' | 'reading' | 'preparing' | 'importing'

export interface ImportModel {
  stage: ImportStage
  /** How far the stage under way has got (null when idle). */
  progress: ProgressReport | null
  opened: OpenedFile | null
  prepared: PreparedFile | null
  /** What refuses the file as a whole, in words. */
  refusal: Said[] | null
  /** What the database refused of the last import, in words, until a choice changes (replacing existing codes, say). */
  writeRefusal: Said[] | null
  written: { inserted: number; updated: number } | null
  /** After a network's import, the stored network's connected parts, in words (what `atlas network check` says). */
  storedParts: string[] | null
  failure: string | null
  choices: ImportChoices
  choose: (update: Partial<ImportChoices>) => void
  open: (files: File[]) => void
  write: () => void
}

export function useImport(client: AtlasClient, wanted: boolean, defaultLayer: LayerName | null, onWritten: () => void): ImportModel {
  const remote = useRef<{ worker: Worker; api: Remote<ImportWorker> } | null>(null)
  const [stage, setStage] = useState<ImportStage>('idle')
  const [progress, setProgress] = useState<ProgressReport | null>(null)
  // the work under way: a report of work that has ended or been overtaken is dropped
  const working = useRef(0)
  const begin = useCallback((next: ImportStage) => {
    const id = ++working.current
    setStage(next)
    setProgress(null)
    const say = (report: ProgressReport) => {
      if (working.current === id) setProgress(report)
    }
    return {
      /** The same, for the worker to call. */
      told: proxy(say),
      say,
      end: () => {
        if (working.current !== id) return
        working.current++
        setStage('idle')
        setProgress(null)
      },
    }
  }, [])
  const [opened, setOpened] = useState<OpenedFile | null>(null)
  const [prepared, setPrepared] = useState<PreparedFile | null>(null)
  const [refusal, setRefusal] = useState<Said[] | null>(null)
  const [writeRefusal, setWriteRefusal] = useState<Said[] | null>(null)
  const [written, setWritten] = useState<{ inserted: number; updated: number } | null>(null)
  const [storedParts, setStoredParts] = useState<string[] | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [choices, setChoices] = useState<ImportChoices>({ layer: null, map: {}, crs: undefined, node: false, upsert: false })
  const layer = choices.layer ?? defaultLayer

  // one worker while the workspace is open
  useEffect(() => {
    if (!wanted) return
    const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'import' })
    remote.current = { worker, api: wrap<ImportWorker>(worker) }
    return () => {
      worker.terminate()
      remote.current = null
    }
  }, [wanted])

  const open = useCallback((files: File[]) => {
    const api = remote.current?.api
    if (!api || !files.length) return
    const work = begin('reading')
    setOpened(null)
    setPrepared(null)
    setRefusal(null)
    setWriteRefusal(null)
    setWritten(null)
    setStoredParts(null)
    setFailure(null)
    setChoices((c) => ({ ...c, map: {}, crs: undefined }))
    void (async () => {
      // the files' bytes are read in the worker: the page's thread only hands it the File objects
      const answer = await api.open(files, undefined, work.told)
      if (answer.ok) setOpened(answer.value)
      else setRefusal(answer.problems)
      work.end()
    })().catch((error: unknown) => {
      setFailure(toAtlasError(error).message)
      work.end()
    })
  }, [begin])

  // made ready again whenever what it depends on changes
  const { map, crs, node } = choices
  useEffect(() => {
    const api = remote.current?.api
    if (!api || !opened || !layer) return
    let cancelled = false
    const work = begin('preparing')
    void api
      .prepare(layer, map, crs, node, work.told)
      .then(async (answer) => {
        if (cancelled) return
        setPrepared(answer.ok ? answer.value : null)
        setRefusal(answer.ok ? null : answer.problems)
        // where the features land against the city, asked of the database and judged as atlas import judges it
        const question = answer.ok ? answer.value.question : null
        if (question) {
          work.say({ step: 'place', done: 0, total: 0 })
          const placement = await rpc(client, 'import_placement', { readings: question.readings, parent_layer: question.kind === 'undeclared' ? (question.parentLayer ?? null) : null })
          const reason = await api.judge(layer, question, placement)
          if (cancelled) return
          if (reason) setRefusal([{ index: -1, reason, said: reason }])
        }
        work.end()
      })
      .catch((error: unknown) => {
        if (cancelled) return
        setFailure(toAtlasError(error).message)
        work.end()
      })
    return () => {
      cancelled = true
    }
  }, [client, opened, layer, map, crs, node, begin])

  const write = useCallback(() => {
    const api = remote.current?.api
    if (!api || !layer || !prepared || prepared.problemCount) return
    const work = begin('importing')
    setFailure(null)
    setStoredParts(null)
    void (async () => {
      const features = await api.staged()
      // the server says nothing until it has written all or nothing: a bar with no end
      work.say({ step: 'write', done: 0, total: 0 })
      const result = await rpc(client, 'import_layer', { layer, features, upsert: choices.upsert })
      if ('problems' in result) setWriteRefusal(await api.describe(result.problems))
      else {
        setWritten(result)
        setWriteRefusal(null)
        onWritten()
        // the new lines join the stored ones (or do not): the whole network's parts, as the command line says them
        if (layer === 'walk_edge') {
          work.say({ step: 'parts', done: 0, total: 0 })
          const { edges } = await walkGraph(client)
          setStoredParts(describeParts(connectedParts(edges.map(([, source, target, length]) => ({ source: Number(source), target: Number(target), length: Number(length) })))))
        }
      }
      work.end()
    })().catch((error: unknown) => {
      setFailure(toAtlasError(error).message)
      work.end()
    })
  }, [client, layer, prepared, choices.upsert, onWritten, begin])

  // a choice changed is a new import of the file: what the last one wrote or was refused is said no more
  const choose = useCallback((update: Partial<ImportChoices>) => {
    setWriteRefusal(null)
    setWritten(null)
    setStoredParts(null)
    setChoices((c) => ({ ...c, ...update }))
  }, [])

  return { stage, progress, opened, prepared, refusal, writeRefusal, written, storedParts, failure, choices: { ...choices, layer }, choose, open, write }
}
