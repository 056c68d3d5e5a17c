// What the embedded server does around a password sign-in: it stops an address, or an email, that
// keeps failing (a stated limit, answered as GoTrue does, 429 over_request_rate_limit with Retry-After),
// and it logs every attempt, failed or not, with its time, address and email, never its password.
import type http from 'node:http'
import net from 'node:net'

export interface SignInLimit {
  /** Failed sign-ins an address may make within the window before it must wait. */
  failures: number
  windowSeconds: number
  /** Failed sign-ins one email may be tried with, from any address, within the window. */
  accountFailures: number
}

/** The stated limit: at most 5 failed sign-ins per client address, and 10 per email, in 15 minutes. */
export const defaultSignInLimit: SignInLimit = { failures: 5, windowSeconds: 15 * 60, accountFailures: 10 }

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`
  return seconds === 1 ? '1 second' : `${seconds} seconds`
}

/** The limit in words, as the README and the 429's message state it. */
export function describeLimit(limit: SignInLimit): string {
  return `at most ${limit.failures} failed sign-ins per address and ${limit.accountFailures} per email in ${duration(limit.windowSeconds)}`
}

/**
 * Failed sign-ins per key (an address, an email) within a window, and the attempts still being
 * checked, which count as failures until they are known not to be: an attempt takes its place on
 * arrival, before its password is checked, so a burst of parallel attempts cannot pass the limit
 * while the first ones are being checked. Kept in memory (a restart forgets them).
 */
class FailureWindow {
  private readonly failures = new Map<string, number[]>()
  private readonly checking = new Map<string, number>()

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const since = now - this.windowMs
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since)
    if (kept.length) this.failures.set(key, kept)
    else this.failures.delete(key)
    return kept
  }

  /** Seconds the key must still wait, or undefined when it may try now. */
  wait(key: string, now: number): number | undefined {
    const recent = this.recent(key, now)
    const checking = this.checking.get(key) ?? 0
    if (recent.length + checking < this.limit) return undefined
    // its place comes back when a failure leaves the window, or an attempt being checked succeeds (a second at most)
    const freeAt = recent.length >= this.limit ? recent[recent.length - this.limit] + this.windowMs : now + 1000
    return Math.max(1, Math.ceil((freeAt - now) / 1000))
  }

  take(key: string): void {
    this.checking.set(key, (this.checking.get(key) ?? 0) + 1)
  }

  settle(key: string, failed: boolean, now: number): void {
    const left = (this.checking.get(key) ?? 1) - 1
    if (left > 0) this.checking.set(key, left)
    else this.checking.delete(key)
    if (!failed) return
    this.failures.set(key, [...this.recent(key, now), now])
    // a flood of addresses or emails must not grow the map for ever: forget the ones whose window is over
    if (this.failures.size > 10_000) for (const old of [...this.failures.keys()]) this.recent(old, now)
  }
}

/** An attempt's place under the limit: settled once, when its outcome is known. */
export interface SignInAttempt {
  /** The password was wrong (or the email unknown): the place stays taken for the window. */
  failed(): void
  /** Signed in, or not checked at all: the place is given back. */
  release(): void
}

/** The limit per address and per email, both taken on arrival. */
export class SignInLimiter {
  private readonly byAddress: FailureWindow
  private readonly byEmail: FailureWindow

  constructor(readonly limit: SignInLimit = defaultSignInLimit) {
    this.byAddress = new FailureWindow(limit.failures, limit.windowSeconds * 1000)
    this.byEmail = new FailureWindow(limit.accountFailures, limit.windowSeconds * 1000)
  }

  /** The attempt's place, taken now; or the seconds to wait when the address or the email has none left. */
  arrive(address: string, email: string, now = Date.now()): SignInAttempt | { retryAfter: number } {
    const waits = [this.byAddress.wait(address, now), email ? this.byEmail.wait(email, now) : undefined].filter((w) => w !== undefined)
    if (waits.length) return { retryAfter: Math.max(...waits) }
    this.byAddress.take(address)
    if (email) this.byEmail.take(email)
    let settled = false
    const settle = (failed: boolean) => {
      if (settled) return
      settled = true
      const at = Date.now()
      this.byAddress.settle(address, failed, at)
      if (email) this.byEmail.settle(email, failed, at)
    }
    return { failed: () => settle(true), release: () => settle(false) }
  }

  /** GoTrue's 429 body, with the limit and the wait in words. */
  refusal(retryAfter: number): { code: number; error_code: string; msg: string } {
    return {
      code: 429,
      error_code: 'over_request_rate_limit',
      msg: `too many failed sign-ins from this address or for this email: the server allows ${describeLimit(this.limit)}; try again in ${duration(retryAfter)}`,
    }
  }
}

/**
 * The client's address: the socket's, or, behind a reverse proxy the server was told to trust
 * (--trust-proxy), the address that proxy appended to X-Forwarded-For: the right-most one. The
 * ones before it came with the request and may say anything.
 */
export function clientAddress(req: http.IncomingMessage, trustProxy = false): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for']
    const last = (Array.isArray(header) ? header.join(',') : header)?.split(',').at(-1)?.trim().replace(/^\[|\]$/g, '')
    if (last && net.isIP(last)) return last.replace(/^::ffff:/, '')
  }
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '')
}

/** One line of the server's log per sign-in: `sign-in <ISO time> <address> <email> <outcome>`. */
export function signInLine(at: Date, address: string, email: string, outcome: string): string {
  // the email is whatever was typed: no spaces or control characters may break the line's fields
  const shown = email.replace(/[\s\p{Cc}]+/gu, '_').slice(0, 254) || '-'
  return `sign-in ${at.toISOString()} ${address} ${shown} ${outcome}`
}
