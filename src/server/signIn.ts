// What the embedded server does around a password sign-in: it slows down an address that keeps
// failing (a stated limit, answered as GoTrue does, 429 over_request_rate_limit with Retry-After),
// and it logs every attempt, failed or not, with its time, address and email, never its password.
import type http from 'node:http'
import net from 'node:net'

export interface SignInLimit {
  /** Failed sign-ins an address may make within the window before it must wait. */
  failures: number
  windowSeconds: number
}

/** The stated limit: at most 5 failed sign-ins per client address in 15 minutes. */
export const defaultSignInLimit: SignInLimit = { failures: 5, windowSeconds: 15 * 60 }

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`
  return seconds === 1 ? '1 second' : `${seconds} seconds`
}

/** The limit in words, as the README and the 429's message state it. */
export function describeLimit(limit: SignInLimit): string {
  return `at most ${limit.failures} failed sign-ins per address in ${duration(limit.windowSeconds)}`
}

/** Failed sign-ins per address, kept in memory for the window (a restart forgets them). */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(readonly limit: SignInLimit = defaultSignInLimit) {}

  private recent(address: string, now: number): number[] {
    const since = now - this.limit.windowSeconds * 1000
    const kept = (this.failures.get(address) ?? []).filter((at) => at > since)
    if (kept.length) this.failures.set(address, kept)
    else this.failures.delete(address)
    return kept
  }

  /** Seconds the address must still wait, or undefined when it may try. */
  retryAfter(address: string, now = Date.now()): number | undefined {
    const recent = this.recent(address, now)
    if (recent.length < this.limit.failures) return undefined
    // it may try again when enough of its failures have left the window
    const freeAt = recent[recent.length - this.limit.failures] + this.limit.windowSeconds * 1000
    return Math.max(1, Math.ceil((freeAt - now) / 1000))
  }

  failed(address: string, now = Date.now()): void {
    this.failures.set(address, [...this.recent(address, now), now])
    // a flood of addresses must not grow the map for ever: forget the ones whose window is over
    if (this.failures.size > 10_000) for (const key of [...this.failures.keys()]) this.recent(key, now)
  }

  /** GoTrue's 429 body, with the limit and the wait in words. */
  refusal(retryAfter: number): { code: number; error_code: string; msg: string } {
    return {
      code: 429,
      error_code: 'over_request_rate_limit',
      msg: `too many failed sign-ins from this address: the server allows ${describeLimit(this.limit)}; try again in ${duration(retryAfter)}`,
    }
  }
}

/**
 * The client's address: the socket's, or, behind a reverse proxy the server was told to trust
 * (--trust-proxy), the first address of X-Forwarded-For.
 */
export function clientAddress(req: http.IncomingMessage, trustProxy = false): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for']
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim()
    if (first && net.isIP(first.replace(/^\[|\]$/g, ''))) return first.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '')
  }
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '')
}

/** One line of the server's log per sign-in: `sign-in <ISO time> <address> <email> <outcome>`. */
export function signInLine(at: Date, address: string, email: string, outcome: string): string {
  // the email is whatever was typed: no spaces or control characters may break the line's fields
  const shown = email.replace(/[\s\p{Cc}]+/gu, '_').slice(0, 254) || '-'
  return `sign-in ${at.toISOString()} ${address} ${shown} ${outcome}`
}
