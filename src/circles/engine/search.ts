// Shortest walking costs from one or many starting points (Dijkstra over the CSR graph with a
// binary heap in typed arrays). A search keeps its arrays between queries and resets only the
// nodes the last query touched, so a query costs what it reaches, not the size of the city.
import type { WalkGraph } from './graph.ts'

/** A node a search starts from, with the cost already spent reaching it (level metres). */
export interface Source {
  node: number
  cost: number
  /** A label carried to every node this source reaches first (a facility's index, say). */
  label?: number
}

export class Search {
  readonly cost: Float64Array
  readonly label: Int32Array
  /** The nodes the last query reached, in the order they were settled. */
  touched: Int32Array
  touchedCount = 0
  private heapNode: Int32Array
  private heapKey: Float64Array
  private heapSize = 0

  constructor(readonly graph: WalkGraph) {
    const n = graph.nodeCount
    this.cost = new Float64Array(n).fill(Infinity)
    this.label = new Int32Array(n).fill(-1)
    this.touched = new Int32Array(Math.max(16, Math.min(n, 1024)))
    this.heapNode = new Int32Array(64)
    this.heapKey = new Float64Array(64)
  }

  private reset(): void {
    const { cost, label, touched } = this
    for (let i = 0; i < this.touchedCount; i++) {
      cost[touched[i]] = Infinity
      label[touched[i]] = -1
    }
    this.touchedCount = 0
    this.heapSize = 0
  }

  private touch(node: number): void {
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2)
      grown.set(this.touched)
      this.touched = grown
    }
    this.touched[this.touchedCount++] = node
  }

  private push(node: number, key: number): void {
    if (this.heapSize === this.heapNode.length) {
      const nodes = new Int32Array(this.heapSize * 2)
      nodes.set(this.heapNode)
      const keys = new Float64Array(this.heapSize * 2)
      keys.set(this.heapKey)
      this.heapNode = nodes
      this.heapKey = keys
    }
    const { heapNode, heapKey } = this
    let i = this.heapSize++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (heapKey[parent] <= key) break
      heapNode[i] = heapNode[parent]
      heapKey[i] = heapKey[parent]
      i = parent
    }
    heapNode[i] = node
    heapKey[i] = key
  }

  private pop(): number {
    const { heapNode, heapKey } = this
    const top = heapNode[0]
    const size = --this.heapSize
    if (size > 0) {
      const node = heapNode[size]
      const key = heapKey[size]
      let i = 0
      for (;;) {
        let child = 2 * i + 1
        if (child >= size) break
        if (child + 1 < size && heapKey[child + 1] < heapKey[child]) child++
        if (heapKey[child] >= key) break
        heapNode[i] = heapNode[child]
        heapKey[i] = heapKey[child]
        i = child
      }
      heapNode[i] = node
      heapKey[i] = key
    }
    return top
  }

  /**
   * Runs from the sources up to `limit` (level metres; Infinity for the whole component).
   * Afterwards `cost[node]` is the least cost of every node within the limit (Infinity beyond
   * it), and `touched[0 … touchedCount-1]` lists the nodes reached, nearest first.
   */
  run(sources: readonly Source[], limit = Infinity): this {
    this.reset()
    const { cost, label } = this
    const { adjStart, adjEdge, adjNode, edgeCost } = this.graph
    // `cost` holds tentative costs; a node is settled when popped with its own cost. Every node
    // given a finite cost is settled (costs are never negative), so `touched` lists all of them
    // and reset() clears exactly what this query wrote.
    for (const source of sources) {
      if (!(source.cost <= limit)) continue
      if (source.cost < cost[source.node]) {
        cost[source.node] = source.cost
        label[source.node] = source.label ?? -1
        this.push(source.node, source.cost)
      }
    }
    while (this.heapSize > 0) {
      const key = this.heapKey[0]
      const node = this.pop()
      if (key > cost[node]) continue // a stale entry
      this.touch(node)
      for (let h = adjStart[node]; h < adjStart[node + 1]; h++) {
        const next = adjNode[h]
        const candidate = key + edgeCost[adjEdge[h]]
        if (candidate < cost[next] && candidate <= limit) {
          cost[next] = candidate
          label[next] = label[node]
          this.push(next, candidate)
        }
      }
    }
    return this
  }
}
