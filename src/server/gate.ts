// A gate: at most `concurrency` pieces of work at once, at most `maxWaiting` more waiting their
// turn, and anything beyond refused at once (GateFull), rather than queued without bound. The
// server puts the password checks (scrypt, on Node's small thread pool) and the expensive API
// functions behind gates, so a burst is answered at once instead of starving everything else.

export class GateFull extends Error {
  constructor(
    readonly gate: string,
    /** Seconds after which a retry has a fair chance. */
    readonly retryAfter: number,
  ) {
    super(`${gate}: too many requests at once; try again in ${retryAfter === 1 ? '1 second' : `${retryAfter} seconds`}`)
    this.name = 'GateFull'
  }
}

export interface GateOptions {
  /** What the gate guards, for the refusal's words. */
  name: string
  concurrency: number
  maxWaiting: number
  /** The Retry-After of a refusal (default 1 s). */
  retryAfter?: number
}

export class Gate {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly options: GateOptions) {
    if (options.concurrency < 1 || options.maxWaiting < 0) throw new Error(`gate ${options.name}: concurrency must be ≥ 1 and maxWaiting ≥ 0`)
  }

  /** Work running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length }
  }

  /** Runs the work when a place is free; throws GateFull at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.maxWaiting) throw new GateFull(this.options.name, this.options.retryAfter ?? 1)
      // the place is handed over by the work that leaves it: running stays counted
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running++
    }
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}
