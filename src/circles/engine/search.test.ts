import { describe, expect, test } from 'vitest'
import { buildGraph } from './graph.ts'
import { stepsFactor } from './rules.ts'
import { Search, type Source } from './search.ts'
import { gridNetwork, random } from './testing.ts'

/** Bellman–Ford over the edge list: the oracle, with nothing in common with the heap search. */
function bruteForce(n: number, edges: { a: number; b: number; cost: number }[], sources: Source[], limit: number): Float64Array {
  const cost = new Float64Array(n).fill(Infinity)
  for (const s of sources) if (s.cost <= limit) cost[s.node] = Math.min(cost[s.node], s.cost)
  for (let round = 0; round < n; round++) {
    let changed = false
    for (const { a, b, cost: c } of edges) {
      if (cost[a] + c < cost[b]) {
        cost[b] = cost[a] + c
        changed = true
      }
      if (cost[b] + c < cost[a]) {
        cost[a] = cost[b] + c
        changed = true
      }
    }
    if (!changed) break
  }
  return cost.map((c) => (c <= limit ? c : Infinity))
}

describe('Search', () => {
  test('equals Bellman–Ford on random networks, from one and many sources, with and without a limit', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const graph = buildGraph(gridNetwork(12, 80, seed))
      const edges = Array.from({ length: graph.edgeCount }, (_, e) => ({ a: graph.edgeSource[e], b: graph.edgeTarget[e], cost: graph.edgeCost[e] }))
      const search = new Search(graph)
      const rand = random(seed * 7)
      for (let q = 0; q < 6; q++) {
        const sources: Source[] = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({ node: Math.floor(rand() * graph.nodeCount), cost: rand() * 50 }))
        const limit = q % 2 ? Infinity : 200 + rand() * 600
        search.run(sources, limit)
        const expected = bruteForce(graph.nodeCount, edges, sources, limit)
        for (let i = 0; i < graph.nodeCount; i++) {
          if (expected[i] === Infinity) expect(search.cost[i]).toBe(Infinity)
          else expect(search.cost[i]).toBeCloseTo(expected[i], 9)
        }
        const reached = expected.filter((c) => c < Infinity).length
        expect(search.touchedCount).toBe(reached)
      }
    }
  })

  test('a query resets only what the last one touched, and leaves no trace of it', () => {
    const graph = buildGraph(gridNetwork(20, 60, 3))
    const search = new Search(graph)
    search.run([{ node: 0, cost: 0 }], Infinity)
    const everything = search.touchedCount
    search.run([{ node: 5, cost: 0 }], 100)
    expect(search.touchedCount).toBeLessThan(everything)
    let finite = 0
    for (let i = 0; i < graph.nodeCount; i++) if (search.cost[i] < Infinity) finite++
    expect(finite).toBe(search.touchedCount)
  })

  test('steps cost their factor; labels follow the nearest source', () => {
    const graph = buildGraph(gridNetwork(6, 50, 9))
    const e = Array.from(graph.edgeCodes.keys()).find((k) => graph.edgeCost[k] !== graph.edgeLength[k])
    expect(e).toBeDefined()
    expect(graph.edgeCost[e!]).toBeCloseTo(graph.edgeLength[e!] * stepsFactor, 9)
    const search = new Search(graph).run([
      { node: 0, cost: 0, label: 1 },
      { node: graph.nodeCount - 1, cost: 0, label: 2 },
    ])
    expect(search.label[0]).toBe(1)
    expect(search.label[graph.nodeCount - 1]).toBe(2)
  })
})
