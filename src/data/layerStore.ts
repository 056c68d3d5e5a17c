// The map's data, layer by layer and tile by tile: what the view needs is asked for, what is
// already here is kept, what is no longer in view before its turn comes is never fetched.
import type { LayerName } from '../shared/layers.ts'
import { toAtlasError, type AtlasError } from './errors.ts'
import { tileBbox, tileKey, type Tile } from './tiles.ts'
import type { AtlasFeature, AtlasFeatureCollection, Bbox } from './types.ts'

export type TileFetcher = (layer: LayerName, bbox: Bbox, detailZoom: number) => Promise<AtlasFeatureCollection>

export interface LayerRequest {
  layer: LayerName
  detailZoom: number
  tiles: readonly Tile[]
}

export interface LayerFailure {
  layer: LayerName
  error: AtlasError
}

interface Level {
  features: Map<string, AtlasFeature>
  tiles: Map<string, 'queued' | 'loading' | 'loaded' | 'failed'>
  array: AtlasFeature[]
  dirty: boolean
}

interface Job {
  layer: LayerName
  detailZoom: number
  tile: Tile
  key: string
}

const levelKey = (layer: LayerName, detailZoom: number) => `${layer}@${detailZoom}`

export class LayerStore {
  private levels = new Map<string, Level>()
  private queue: Job[] = []
  private running = 0
  private failures = new Map<string, LayerFailure>()
  private listeners = new Set<() => void>()
  private wanted: LayerRequest[] = []
  private generation = 0
  private version = 0
  /** Requests sent since the store was made: for the benchmarks and the tests. */
  requestsSent = 0

  constructor(
    private readonly fetcher: TileFetcher,
    private readonly concurrency = 3,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getVersion = (): number => this.version

  private changed(): void {
    this.version++
    for (const listener of this.listeners) listener()
  }

  private level(layer: LayerName, detailZoom: number): Level {
    const key = levelKey(layer, detailZoom)
    let level = this.levels.get(key)
    if (!level) {
      level = { features: new Map(), tiles: new Map(), array: [], dirty: false }
      this.levels.set(key, level)
    }
    return level
  }

  /** Asks for exactly these tiles: starts what is missing, forgets queued tiles not asked for any more. */
  want(requests: readonly LayerRequest[]): void {
    this.wanted = [...requests]
    const jobs: Job[] = []
    for (const request of requests) {
      const level = this.level(request.layer, request.detailZoom)
      for (const tile of request.tiles) {
        const key = tileKey(tile)
        const state = level.tiles.get(key)
        if (state === undefined || state === 'queued') jobs.push({ layer: request.layer, detailZoom: request.detailZoom, tile, key })
      }
    }
    const wantedKeys = new Set(jobs.map((job) => `${levelKey(job.layer, job.detailZoom)}/${job.key}`))
    let changed = false
    for (const job of this.queue) {
      if (!wantedKeys.has(`${levelKey(job.layer, job.detailZoom)}/${job.key}`)) {
        this.level(job.layer, job.detailZoom).tiles.delete(job.key)
        changed = true
      }
    }
    this.queue = jobs
    for (const job of jobs) this.level(job.layer, job.detailZoom).tiles.set(job.key, 'queued')
    if (changed || jobs.length) this.changed()
    this.pump()
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length) {
      const job = this.queue.shift()!
      void this.run(job)
    }
  }

  private async run(job: Job): Promise<void> {
    const generation = this.generation
    const level = this.level(job.layer, job.detailZoom)
    level.tiles.set(job.key, 'loading')
    this.running++
    this.requestsSent++
    try {
      const collection = await this.fetcher(job.layer, tileBbox(job.tile), job.detailZoom)
      if (generation !== this.generation) return
      for (const feature of collection.features ?? []) {
        const id = String(feature.id ?? feature.properties?.code)
        if (!level.features.has(id)) {
          level.features.set(id, { ...feature, id })
          level.dirty = true
        }
      }
      level.tiles.set(job.key, 'loaded')
      this.failures.delete(job.layer)
    } catch (error) {
      if (generation !== this.generation) return
      level.tiles.set(job.key, 'failed')
      this.failures.set(job.layer, { layer: job.layer, error: toAtlasError(error) })
    } finally {
      if (generation === this.generation) {
        this.running--
        this.changed()
        this.pump()
      }
    }
  }

  /** The features of a layer loaded at a level of detail; the same array until more arrive. */
  features(layer: LayerName, detailZoom: number): AtlasFeature[] {
    const level = this.levels.get(levelKey(layer, detailZoom))
    if (!level) return []
    if (level.dirty) {
      level.array = [...level.features.values()]
      level.dirty = false
    }
    return level.array
  }

  /** Tiles queued or in flight. */
  pending(): number {
    return this.queue.length + this.running
  }

  /** Whether every tile asked for is here (or failed). */
  settled(): boolean {
    return this.pending() === 0
  }

  /** Whether every tile of a request has arrived. */
  complete(request: LayerRequest): boolean {
    const level = this.levels.get(levelKey(request.layer, request.detailZoom))
    return !!level && request.tiles.every((tile) => level.tiles.get(tileKey(tile)) === 'loaded')
  }

  errors(): LayerFailure[] {
    return [...this.failures.values()]
  }

  /** Asks again for the tiles that failed. */
  retry(): void {
    for (const level of this.levels.values()) for (const [key, state] of level.tiles) if (state === 'failed') level.tiles.delete(key)
    this.failures.clear()
    this.want(this.wanted)
  }

  /** Forgets everything (another role may see other rows): the next `want` fetches afresh. */
  clear(): void {
    this.generation++
    this.levels.clear()
    this.queue = []
    this.running = 0
    this.failures.clear()
    this.changed()
  }
}
