// How far the reading and checking of a file has got, for the page's progress bar: the step under
// way and how much of it is done. Pure; the page's import worker sends the reports to the page.

/** The steps of an import, in the order they run (not every file goes through each). */
export const progressSteps = ['read', 'unzip', 'records', 'shapes', 'rows', 'fields', 'convert', 'check', 'node', 'preview', 'place', 'write', 'parts'] as const
export type ProgressStep = (typeof progressSteps)[number]

export interface ProgressReport {
  step: ProgressStep
  /** How much of the step is done, of `total` (bytes, records or features); a total of 0: unknown. */
  done: number
  total: number
}

export type Progress = (report: ProgressReport) => void

/**
 * A progress that passes on at most one report per `everyMs` of a step, but always a step's first
 * report and its last (done = total): a bar that moves without a message per record.
 */
export function throttled(progress: Progress, everyMs = 100, now = () => performance.now()): Progress {
  let step: ProgressStep | undefined
  let last = -Infinity
  return (report) => {
    const t = now()
    if (report.step !== step || report.done >= report.total || t - last >= everyMs) {
      step = report.step
      last = t
      progress(report)
    }
  }
}

/**
 * Runs `work` on each item, saying every `every` items how many are done: the loop a long step is
 * made of. The step's first and last reports are always made.
 */
export function eachCounted<T, R>(items: readonly T[], step: ProgressStep, progress: Progress | undefined, work: (item: T, index: number) => R, every = 1000): R[] {
  const total = items.length
  progress?.({ step, done: 0, total })
  const out = new Array<R>(total)
  for (let i = 0; i < total; i++) {
    out[i] = work(items[i], i)
    if (progress && (i + 1) % every === 0) progress({ step, done: i + 1, total })
  }
  progress?.({ step, done: total, total })
  return out
}

/** A step that cannot say how far it has got, reported when it starts and when it ends. */
export function wholeStep<R>(step: ProgressStep, progress: Progress | undefined, work: () => R, total = 1): R {
  progress?.({ step, done: 0, total })
  const result = work()
  progress?.({ step, done: total, total })
  return result
}

/** The share done, as a whole percentage (0 when the total is unknown). */
export function percentDone({ done, total }: ProgressReport): number {
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0
}
