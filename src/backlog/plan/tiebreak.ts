// Among plans of equal total score, the plan prefers items ranked higher (score, then code): the
// funded set is the lexicographically greatest in rank order. Proved block by block: with the
// optimum held as a floor, maximise Σ 2^(K-1-p)·x over the next K undecided items (powers of two
// make the block's best vector unique and keep the objective exact in doubles), then pin the block
// and go on. Items the current optimal plan already funds at the head of a block are pinned without
// a solve (nothing can beat funding them), and once the pinned items reach the optimum by
// themselves every item still open that scores above zero is out. Items an LP shows to be alike in
// every optimal plan (./lp.ts) are never open, so on a backlog only the few near the margin are.
import type { Highs } from 'highs'
import { settle } from './lp.ts'
import { itemBounds, type Setting } from './model.ts'
import type { Problem } from './problem.ts'
import { solveSetting, type RunOptions } from './solver.ts'
import type { Assignment } from './verify.ts'

const blockSize = 20

/** The preferred plan among the optimal ones of `setting` (a score objective), given one of them. */
export function tieBreak(highs: Highs, problem: Problem, setting: Setting, optimum: number, found: Assignment, options: RunOptions = {}): Assignment {
  const { lo, hi } = itemBounds(problem, setting)
  const settled = settle(highs, problem, setting, optimum)
  const fixed = new Map(setting.fixed ?? [])
  const open: number[] = []
  let pinnedPoints = 0
  for (const [i, c] of problem.items.entries()) {
    // an item the LP settles the way the found plan has it is alike in every optimal plan
    const alike = lo[i] === hi[i] || (settled[i] >= 0 && settled[i] === (found[i] >= 0 ? 1 : 0))
    if (!alike) open.push(i)
    else if (lo[i] !== hi[i]) fixed.set(i, found[i] >= 0 ? 1 : 0)
    if (alike && found[i] >= 0) pinnedPoints += c.points
  }
  let current = found
  let k = 0
  while (k < open.length) {
    const i = open[k]
    if (current[i] >= 0) {
      fixed.set(i, 1)
      pinnedPoints += problem.items[i].points
      k++
      continue
    }
    if (pinnedPoints >= optimum && problem.items[i].points > 0) {
      fixed.set(i, 0)
      k++
      continue
    }
    const block = open.slice(k, k + blockSize)
    const weights = new Array<number>(problem.items.length).fill(0)
    block.forEach((j, p) => (weights[j] = 2 ** (block.length - 1 - p)))
    const out = solveSetting(highs, problem, { ...setting, fixed, objective: { weights }, minPoints: optimum }, { ...options, start: current })
    // out of time: the plan found is optimal, only the choice among equals is left unsettled
    if (out.status === 'time_limit') return current
    if (out.status !== 'optimal' || !out.plan) throw new Error(`the tie-break lost the optimum (${out.status})`)
    current = out.plan
    for (const j of block) {
      fixed.set(j, current[j] >= 0 ? 1 : 0)
      if (current[j] >= 0) pinnedPoints += problem.items[j].points
    }
    k += block.length
  }
  return current
}
