// A walking network's connected parts: a walk never leaves the part it starts in, so a facility on
// a small island of road reaches only that island, and households there only its facilities. Pure.
import { localDistance } from '../engine/projection.ts'

export interface NetworkParts {
  /** Connected parts (edges that reach each other through shared nodes). */
  parts: number
  edges: number
  /** Total length, metres. */
  lengthM: number
  /** The share of the length in the largest part, 0–1. */
  largestShare: number
}

/** Below this share of the length in the largest part, the import warns. */
export const largestPartFloor = 0.95

/** The parts of a graph given as its edges (node ids and lengths), by union–find. */
export function connectedParts(edges: readonly { source: number; target: number; length: number }[]): NetworkParts {
  const parent = new Map<number, number>()
  const find = (x: number): number => {
    let root = x
    while (parent.get(root)! !== root) root = parent.get(root)!
    for (let y = x; y !== root; ) {
      const next = parent.get(y)!
      parent.set(y, root)
      y = next
    }
    return root
  }
  for (const { source, target } of edges) {
    if (!parent.has(source)) parent.set(source, source)
    if (!parent.has(target)) parent.set(target, target)
    const [a, b] = [find(source), find(target)]
    if (a !== b) parent.set(a, b)
  }
  const lengths = new Map<number, number>()
  let total = 0
  for (const { source, length } of edges) {
    const root = find(source)
    lengths.set(root, (lengths.get(root) ?? 0) + length)
    total += length
  }
  const largest = Math.max(0, ...lengths.values())
  return { parts: lengths.size, edges: edges.length, lengthM: total, largestShare: total > 0 ? largest / total : 1 }
}

/**
 * The parts of a file's lines before they are written (the page's import shows them): lines meet
 * where their end points are identical, as the stored network's edges do; lengths as the engine
 * measures them.
 */
export function partsOfLines(lines: readonly (readonly (readonly number[])[])[]): NetworkParts {
  const ids = new Map<string, number>()
  const id = (p: readonly number[]) => {
    const key = `${p[0]},${p[1]}`
    let found = ids.get(key)
    if (found === undefined) ids.set(key, (found = ids.size))
    return found
  }
  return connectedParts(
    lines
      .filter((line) => line.length >= 2)
      .map((line) => {
        let length = 0
        for (let i = 1; i < line.length; i++) length += localDistance(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1])
        return { source: id(line[0]), target: id(line[line.length - 1]), length }
      }),
  )
}

/** "3 connected parts; the largest holds 97.2 % of its 12.4 km", with a warning below the floor. */
export function describeParts(parts: NetworkParts): string[] {
  if (!parts.edges) return ['the network is empty']
  const km = (parts.lengthM / 1000).toFixed(1)
  const share = (parts.largestShare * 100).toFixed(1)
  const lines = [
    parts.parts === 1
      ? `the network is one connected part of ${parts.edges.toLocaleString('en-US')} edges, ${km} km`
      : `the network has ${parts.parts.toLocaleString('en-US')} connected parts (${parts.edges.toLocaleString('en-US')} edges, ${km} km); the largest holds ${share} % of the length`,
  ]
  if (parts.largestShare < largestPartFloor)
    lines.push(
      `warning: the largest part holds less than ${largestPartFloor * 100} % of the length: walks starting on the others reach only their own part, so circles there are small and households there far from everything (README, "Your own city")`,
    )
  return lines
}
