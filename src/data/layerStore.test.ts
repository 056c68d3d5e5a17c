import { describe, expect, it } from 'vitest'
import { LayerStore } from './layerStore.ts'
import type { AtlasFeatureCollection, Bbox } from './types.ts'

function square(code: string): AtlasFeatureCollection['features'][number] {
  return { type: 'Feature', id: code, geometry: { type: 'Point', coordinates: [0, 0] }, properties: { code } }
}

function deferredFetcher() {
  const calls: { layer: string; bbox: Bbox; resolve: (fc: AtlasFeatureCollection) => void; reject: (e: unknown) => void }[] = []
  const fetcher = (layer: string, bbox: Bbox) =>
    new Promise<AtlasFeatureCollection>((resolve, reject) => calls.push({ layer, bbox, resolve, reject }))
  return { calls, fetcher }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('LayerStore', () => {
  it('merges tiles by feature id and keeps the array stable between changes', async () => {
    const { calls, fetcher } = deferredFetcher()
    const store = new LayerStore(fetcher, 4)
    store.want([{ layer: 'grid', detailZoom: 17, tiles: [{ z: 12, x: 1, y: 1 }, { z: 12, x: 2, y: 1 }] }])
    expect(calls).toHaveLength(2)
    calls[0].resolve({ type: 'FeatureCollection', features: [square('a'), square('b')] })
    calls[1].resolve({ type: 'FeatureCollection', features: [square('b'), square('c')] })
    await flush()
    const first = store.features('grid', 17)
    expect(first.map((f) => f.id).sort()).toEqual(['a', 'b', 'c'])
    expect(store.features('grid', 17)).toBe(first)
    expect(store.settled()).toBe(true)
  })

  it('does not fetch a tile twice, and drops queued tiles that left the view', async () => {
    const { calls, fetcher } = deferredFetcher()
    const store = new LayerStore(fetcher, 1)
    const a = { z: 14, x: 1, y: 1 }
    const b = { z: 14, x: 2, y: 1 }
    const c = { z: 14, x: 3, y: 1 }
    store.want([{ layer: 'micro_grid', detailZoom: 18, tiles: [a, b] }])
    expect(calls).toHaveLength(1) // b waits its turn
    store.want([{ layer: 'micro_grid', detailZoom: 18, tiles: [a, c] }])
    calls[0].resolve({ type: 'FeatureCollection', features: [] })
    await flush()
    expect(calls).toHaveLength(2)
    expect(calls[1].bbox[0]).toBeGreaterThan(calls[0].bbox[0]) // c, not b
    calls[1].resolve({ type: 'FeatureCollection', features: [] })
    await flush()
    store.want([{ layer: 'micro_grid', detailZoom: 18, tiles: [a, c] }])
    expect(calls).toHaveLength(2)
  })

  it('reports a failure per layer and fetches again on retry', async () => {
    const { calls, fetcher } = deferredFetcher()
    const store = new LayerStore(fetcher, 2)
    store.want([{ layer: 'community', detailZoom: 16, tiles: [{ z: 10, x: 1, y: 1 }] }])
    calls[0].reject({ code: 'PGRST000', message: 'backend down', details: null, hint: null })
    await flush()
    expect(store.errors()).toHaveLength(1)
    expect(store.errors()[0].error.message).toBe('backend down')
    store.retry()
    expect(calls).toHaveLength(2)
    calls[1].resolve({ type: 'FeatureCollection', features: [square('x')] })
    await flush()
    expect(store.errors()).toHaveLength(0)
    expect(store.features('community', 16)).toHaveLength(1)
  })

  it('ignores answers that arrive after clear()', async () => {
    const { calls, fetcher } = deferredFetcher()
    const store = new LayerStore(fetcher, 2)
    store.want([{ layer: 'street', detailZoom: 14, tiles: [{ z: 9, x: 1, y: 1 }] }])
    store.clear()
    calls[0].resolve({ type: 'FeatureCollection', features: [square('s')] })
    await flush()
    expect(store.features('street', 14)).toHaveLength(0)
    expect(store.pending()).toBe(0)
  })
})
