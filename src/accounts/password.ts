// Passwords of the embedded server's accounts: the rule a new one must pass (stated once, here,
// for the command line's messages and the README), and scrypt from node:crypto to store it as a
// memory-hard hash. Pure: the command line hashes before anything travels or is written, so a
// password never reaches the database, the server's log or a running server's admin route.
import crypto from 'node:crypto'
import { promisify } from 'node:util'

const scrypt = promisify(crypto.scrypt) as (password: crypto.BinaryLike, salt: crypto.BinaryLike, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>

/** The rule for a new password, in words: the README quotes it, and every refusal ends with it. */
export const passwordRule =
  'at least 10 characters; not one character repeated, nor a straight run of the keyboard, the alphabet or the digits ' +
  '(such as 1234567890, abcdefghij, qwertyuiop); not containing the name part of the email (before the @) when it has ' +
  '3 or more characters; not a common password (such as password1, iloveyou123, atlas-leader)'

export const minimumLength = 10

/** Passwords people pick first (lower case); the runs and repeats the rule catches by themselves are left out. */
export const commonPasswords: readonly string[] = [
  'password1', 'password12', 'password123', 'password1234', 'passw0rd12', 'p@ssw0rd12', '12345678910', '1234567890a', 'a123456789',
  'abc1234567', 'abcd123456', 'qwerty1234', 'qwerty12345', 'qwerty123456', '1qaz2wsx3edc', '1q2w3e4r5t', '1q2w3e4r5t6y', 'zaq12wsxcde',
  'iloveyou12', 'iloveyou123', 'iloveyou1234', 'woaini1314', 'woaini520520', '5201314520', '5201314521', '1314520520', '1472583690',
  'letmein123', 'welcome123', 'admin12345', 'admin123456', 'administrator', 'changeme123', 'superman123', 'football123',
  'atlas-leader', 'atlas-planner', 'atlas-works',
]

// Straight runs: the alphabet, the digits (1 to 0 as on the keyboard, and 0 to 9) and the keyboard's rows.
const runs = ['abcdefghijklmnopqrstuvwxyz', '1234567890', '0123456789', '`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./']

function isStraightRun(text: string): boolean {
  return runs.some((run) => run.includes(text) || [...run].reverse().join('').includes(text))
}

/** Why a new password is refused, in words ending with the rule; undefined when it passes. */
export function passwordProblem(password: string, email = ''): string | undefined {
  const refuse = (reason: string) => `${reason}. A password needs ${passwordRule}`
  if (password === '') return refuse('the password is empty')
  const lower = password.toLowerCase()
  const length = [...password].length
  if (length < minimumLength) return refuse(`the password is too short (${length} ${length === 1 ? 'character' : 'characters'})`)
  if (new Set(lower).size === 1) return refuse('the password is one character repeated')
  if (isStraightRun(lower)) return refuse('the password is a straight run of the keyboard, the alphabet or the digits')
  const name = email.trim().toLowerCase().split('@')[0] ?? ''
  if (name.length >= 3 && lower.includes(name)) return refuse(`the password contains the name part of the email ("${name}")`)
  if (commonPasswords.includes(lower)) return refuse('the password is a common one, among the first an attacker tries')
  return undefined
}

// The cost: 2^15 × 8 × 128 bytes = 32 MiB of memory per hash, about a tenth of a second.
const cost = { N: 2 ** 15, r: 8, p: 1 }
const saltBytes = 16
const hashBytes = 32
const hashPattern = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/

/** Whether a text has the shape of a stored hash (the server takes only hashes, never passwords). */
export function isPasswordHash(text: unknown): text is string {
  return typeof text === 'string' && hashPattern.test(text)
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, length: number): Promise<Buffer> {
  return scrypt(password.normalize('NFC'), salt, length, { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 })
}

/** `scrypt$32768$8$1$<salt base64>$<hash base64>`: a new random salt each time. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(saltBytes)
  const hash = await derive(password, salt, cost.N, cost.r, cost.p, hashBytes)
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** Whether the password is the one the hash was made from; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = hashPattern.exec(stored)
  if (!match) return false
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])]
  // a hash from elsewhere with an absurd cost would tie the server up: refuse it as a mismatch
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false
  const expected = Buffer.from(match[5], 'base64')
  if (expected.length < 16 || expected.length > 64) return false
  const actual = await derive(password, Buffer.from(match[4], 'base64'), N, r, p, expected.length)
  return crypto.timingSafeEqual(actual, expected)
}

/** A hash of a password nobody knows, to verify against when the email is unknown: sign-in takes as long either way. */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomBytes(24).toString('base64'))
  return decoy
}
