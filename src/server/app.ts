// The embedded server: the app's files, and the two parts of Supabase the app uses —
// PostgREST's RPC (`/rest/v1/rpc/<fn>`) and Auth (`/auth/v1/token`, `/user`, `/logout`) for the
// accounts `atlas user` adds, or, in demonstration mode, for the three demonstration accounts.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { Connect } from 'vite'
import { recordSignIn } from '../accounts/store.ts'
import type { ApiFunction } from '../db/api.ts'
import type { Database } from '../db/database.ts'
import { DatabaseUnavailableError, type DatabaseProblem } from '../db/guard.ts'
import { callTimeoutMs, type JwtClaims } from '../db/session.ts'
import { Auth, JwtRejected, Sessions, localAccounts } from './auth.ts'
import { handleAdmin } from './admin.ts'
import { callRpc, loadFunctions, rpcError, type RpcResponse } from './rpc.ts'
import { Gate, GateFull } from './gate.ts'
import { SignInLimiter, clientAddress, defaultSignInLimit, signInLine, type SignInLimit } from './signIn.ts'

export interface ServerOptions {
  /** The database; when it is guarded (src/db/guard.ts), a lost database is answered with 503 in words. */
  db: Database & { problem?: () => DatabaseProblem | undefined }
  auth: Auth
  /** A built app to serve (vite build's dist/), or Vite's middleware in development. */
  staticDir?: string
  middleware?: Connect.Server
  /** Whether the server listens on loopback only (default true): demonstration mode needs it. */
  loopback?: boolean
  /** Behind a reverse proxy: the client's address is the one it appended to X-Forwarded-For (the last). */
  trustProxy?: boolean
  /** Failed sign-ins an address and an email may make in a window (default: 5 and 10 in 15 minutes). */
  signInLimit?: SignInLimit
  /** The largest API answer sent (default maxAnswerBytes, 32 MB). */
  maxAnswerBytes?: number
  /** Where the sign-in lines go (default: console.log). */
  log?: (line: string) => void
}

const maxBody = 2 * 1024 * 1024
/**
 * The one function that takes a city's file, public.import_layer: a signed-in caller's import may
 * carry a district's layer (a 50 MB Shapefile is some 70 MB of staged features); every other call,
 * and any anonymous one, stays within maxBody.
 */
const largeBodies: Readonly<Record<string, number>> = { import_layer: 256 * 1024 * 1024 }

/** The longest one API call may take on the embedded database before it is stopped (src/db/thread.ts): PostgREST's timeout, one fact. */
export const callDeadlineMs = callTimeoutMs

/**
 * The API functions that compute over the whole city (seconds each on a large one): admitted a
 * few at a time per role, the rest waiting their turn up to a point and refused beyond it.
 */
export const expensiveFunctions = new Set(['zones', 'zone_summary', 'service_circles', 'coverage', 'uncovered_residences', 'indicators', 'walk_graph', 'circle_points', 'backlog_scores'])
export const expensiveGate = { concurrency: 2, maxWaiting: 8, retryAfter: 5 }
const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, apikey, content-type, x-client-info, prefer, accept-profile, content-profile, x-supabase-api-version',
  'access-control-max-age': '86400',
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.pbf': 'application/x-protobuf',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
}

/** On every answer: no guessing of types, no framing, the address not leaked to other sites. */
const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
}

/**
 * The page's Content-Security-Policy: its own scripts and WebAssembly (HiGHS), MapLibre's workers
 * (made from blob: URLs), inline style attributes (React's, MapLibre's), images and tiles from
 * itself and the two optional basemaps, the API on its own origin or a Supabase project's (and
 * blob: URLs the page makes itself: an imported file's preview, fetched by MapLibre's worker), and
 * never inside another page's frame.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://tile.openstreetmap.org https://*.tianditu.gov.cn",
  "connect-src 'self' blob: https://tile.openstreetmap.org https://*.tianditu.gov.cn https://*.supabase.co wss://*.supabase.co",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** A JSON answer; never cached (it depends on who asks), unless the headers say otherwise. */
function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, json?: string): void {
  const payload = json ?? (body === undefined ? '' : JSON.stringify(body))
  res.writeHead(status, { ...corsHeaders, ...securityHeaders, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
  res.end(payload)
}

/** How deep a request's JSON may nest: the API's arguments are at most a GeoJSON geometry. */
const maxJsonDepth = 64

/** Whether a parsed JSON value nests deeper than `limit` (walked without recursion). */
export function nestsDeeper(value: unknown, limit = maxJsonDepth): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [item, depth] = stack.pop()!
    if (item === null || typeof item !== 'object') continue
    if (depth >= limit) return true
    for (const child of Object.values(item)) stack.push([child, depth + 1])
  }
  return false
}

async function readBody(req: http.IncomingMessage, limit = maxBody): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw Object.assign(new Error(`request body too large: more than ${Math.round(limit / 1024 / 1024)} MB`), { status: 413 })
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function bearer(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  const apikey = req.headers.apikey
  return typeof apikey === 'string' && apikey ? apikey : undefined
}

/** Every request that reaches the database is refused at once, in words, once the database is lost. */
function checkDatabase(db: ServerOptions['db']): void {
  const problem = db.problem?.()
  if (problem) throw new DatabaseUnavailableError(problem)
}

export async function createAtlasServer(options: ServerOptions): Promise<http.Server> {
  const { db, auth } = options
  let functions: Map<string, ApiFunction[]> = await loadFunctions(db)
  const anonKey = await auth.anonKey()
  const sessions = new Sessions(db, auth, options.loopback ?? true)
  await sessions.accountsChanged()
  const limiter = new SignInLimiter(options.signInLimit ?? defaultSignInLimit)
  // the expensive functions' gates, one per role (leader, planner, works; or the request role)
  const gates = new Map<string, Gate>()
  const gateOf = (claims: JwtClaims): Gate => {
    const meta = claims.app_metadata as { app_role?: unknown } | undefined
    const role = typeof meta?.app_role === 'string' ? meta.app_role : (claims.role ?? 'anon')
    let gate = gates.get(role)
    if (!gate) gates.set(role, (gate = new Gate({ name: `${role}'s analyses`, ...expensiveGate })))
    return gate
  }
  // scrypt runs on Node's thread pool (4 threads), which reading files needs too: two checks at a
  // time (about 0.1 s each), eight more waiting, and a burst beyond answered 429 at once
  const passwordChecks = new Gate({ name: 'sign-in', concurrency: 2, maxWaiting: 8 })
  const log = options.log ?? ((line: string) => console.log(line))

  /** The caller's claims; a user's token whose session has ended is refused like a bad one. */
  async function claimsOf(req: http.IncomingMessage): Promise<JwtClaims> {
    const token = bearer(req)
    if (!token) return { role: 'anon' }
    const claims = await auth.verify(token)
    await sessions.verify(claims)
    return claims
  }

  async function handleRpc(req: http.IncomingMessage, url: URL, name: string): Promise<RpcResponse> {
    let claims: JwtClaims
    try {
      claims = await claimsOf(req)
    } catch (error) {
      if (error instanceof JwtRejected)
        return { ...rpcError(401, error.code, error.message), headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${error.message}"` } }
      throw error
    }
    let args: Record<string, unknown>
    if (req.method === 'GET') {
      args = Object.fromEntries(url.searchParams.entries())
    } else {
      // the function's own limit only: never a key an object inherits (__proto__, constructor)
      const large = claims.role === 'authenticated' && Object.hasOwn(largeBodies, name) ? largeBodies[name] : maxBody
      const text = await readBody(req, large)
      try {
        const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text)
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          return rpcError(400, 'PGRST102', 'The request body must be a JSON object of named arguments')
        if (nestsDeeper(parsed)) return rpcError(400, 'PGRST102', `The request body nests deeper than ${maxJsonDepth} levels`)
        args = parsed as Record<string, unknown>
      } catch (error) {
        return rpcError(400, 'PGRST102', `Empty or invalid json: ${(error as Error).message}`)
      }
    }
    const call = () => callRpc(db, functions, name, args, claims, req.method as 'GET' | 'POST', options.maxAnswerBytes)
    let response: RpcResponse
    try {
      response = expensiveFunctions.has(name) ? await gateOf(claims).run(call) : await call()
    } catch (error) {
      if (!(error instanceof GateFull)) throw error
      return {
        ...rpcError(503, 'PGRST000', `${error.message}: the server computes at most ${expensiveGate.concurrency} city-wide analyses at a time for one role`, null, 'Wait a few seconds and try again.'),
        headers: { 'retry-after': String(error.retryAfter) },
      }
    }
    if (response.status === 404 && (response.body as { code: string }).code === 'PGRST202') {
      // The schema may have changed under us (a migration): look again once.
      functions = await loadFunctions(db)
      response = await call()
    }
    // a call that failed because the database was lost meanwhile says so, not the driver's words
    if (response.status >= 400) checkDatabase(db)
    return response
  }

  const authError = (status: number, code: string, msg: string, headers?: Record<string, string>): RpcResponse => ({
    status,
    body: { code: status, error_code: code, msg },
    headers,
  })

  /**
   * The password grant: limited per address and per email (a place taken on arrival, before the
   * password is checked), the checks a few at a time, logged line by line and row by row, whatever
   * the outcome.
   */
  async function signIn(req: http.IncomingMessage, body: Record<string, unknown>): Promise<RpcResponse> {
    const address = clientAddress(req, options.trustProxy)
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase().slice(0, 320) : ''
    const record = async (outcome: 'ok' | 'failed' | 'limited', accountId: string | null) => {
      log(signInLine(new Date(), address, email, outcome))
      await recordSignIn(db, { address, email, accountId, outcome })
    }
    const limited = async (retryAfter: number, msg: string) => {
      await record('limited', null)
      return authError(429, 'over_request_rate_limit', msg, { 'retry-after': String(retryAfter) })
    }
    const attempt = limiter.arrive(address, email)
    if ('retryAfter' in attempt) return limited(attempt.retryAfter, limiter.refusal(attempt.retryAfter).msg)
    try {
      const { user, demo, accountId } = await passwordChecks.run(() => sessions.check(email, body.password))
      if (!user) {
        attempt.failed()
        await record('failed', accountId)
        return authError(400, 'invalid_credentials', 'Invalid login credentials')
      }
      const tokens = await sessions.start(user, demo)
      await record('ok', accountId)
      return { status: 200, body: tokens }
    } catch (error) {
      if (error instanceof GateFull) return limited(error.retryAfter, `the server is checking too many sign-ins at once; try again in ${error.retryAfter} s`)
      throw error
    } finally {
      // signed in, or not checked (busy, the database failed): the place goes back; a failure keeps its own
      attempt.release()
    }
  }

  async function handleAuth(req: http.IncomingMessage, url: URL, route: string): Promise<RpcResponse> {
    if (route === 'settings') return { status: 200, body: { external: { email: true }, disable_signup: true, mailer_autoconfirm: true } }
    if (route === 'token' && req.method === 'POST') {
      let body: Record<string, unknown>
      try {
        const parsed: unknown = JSON.parse((await readBody(req)) || '{}')
        body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
      } catch {
        return authError(400, 'validation_failed', 'the request body must be JSON')
      }
      const grant = url.searchParams.get('grant_type')
      if (grant === 'password') return signIn(req, body)
      if (grant === 'refresh_token') {
        const tokens = await sessions.refresh(typeof body.refresh_token === 'string' ? body.refresh_token : '')
        return tokens ? { status: 200, body: tokens } : authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
      }
      return authError(400, 'unsupported_grant_type', `grant_type ${grant} is not supported by the embedded server`)
    }
    if (route === 'user' && req.method === 'GET') {
      let claims: JwtClaims
      try {
        const token = bearer(req)
        if (!token) return authError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
        claims = await auth.verify(token)
      } catch {
        return authError(401, 'bad_jwt', 'invalid JWT')
      }
      if (claims.session_id === undefined) return authError(401, 'no_authorization', 'This endpoint requires a signed-in user’s token')
      try {
        return { status: 200, body: auth.user(await sessions.session(claims)) }
      } catch (error) {
        if (error instanceof JwtRejected) return authError(401, 'session_not_found', error.message)
        throw error
      }
    }
    if (route === 'logout' && req.method === 'POST') {
      const token = bearer(req)
      const claims = token ? await auth.verify(token).catch(() => undefined) : undefined
      if (claims) await sessions.signOut(claims, url.searchParams.get('scope') ?? 'global')
      return { status: 204, body: undefined }
    }
    return authError(404, 'not_found', `the embedded server does not implement /auth/v1/${route}`)
  }

  const staticRoot = options.staticDir ? path.resolve(options.staticDir) : undefined
  /** A file of the built app, found by its resolved path inside the folder; any other path is the page (index.html). */
  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL, root: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { message: `${req.method} is not allowed on the app's files` }, { allow: 'GET, HEAD' })
    let wanted: string
    try {
      wanted = decodeURIComponent(url.pathname)
    } catch {
      return send(res, 400, { message: 'the path is not valid percent-encoding' })
    }
    if (wanted.includes('\0')) return send(res, 400, { message: 'the path holds a NUL character' })
    let file = path.resolve(root, `.${path.posix.normalize(`/${wanted}`)}`)
    // inside the folder: the folder itself, or a path under it followed by a separator (not a sibling whose name starts alike)
    if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, { message: 'forbidden' })
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html')
    const type = contentTypes[path.extname(file)] ?? 'application/octet-stream'
    const cache = url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
    const page = type.startsWith('text/html') ? { 'content-security-policy': contentSecurityPolicy } : {}
    res.writeHead(200, { ...securityHeaders, 'content-type': type, 'cache-control': cache, ...page })
    if (req.method === 'HEAD') return void res.end()
    fs.createReadStream(file).pipe(res)
  }

  // Every failure is answered inside: the promise never rejects.
  const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...corsHeaders, ...securityHeaders })
        return res.end()
      }
      const rpc = url.pathname.match(/^\/rest\/v1\/rpc\/([A-Za-z_][A-Za-z0-9_]*)$/)
      const authRoute = url.pathname.match(/^\/auth\/v1\/([a-z_]+)$/)
      const adminRoute = url.pathname.match(/^\/atlas\/admin\/([a-z_/-]+)$/)
      if (rpc || authRoute) checkDatabase(db)
      if (rpc) {
        if (req.method !== 'GET' && req.method !== 'POST') return send(res, 405, { code: 'PGRST117', message: `Unsupported HTTP method: ${req.method}`, details: null, hint: null })
        const response = await handleRpc(req, url, rpc[1])
        return send(res, response.status, response.body, response.headers, response.json)
      }
      if (url.pathname.startsWith('/rest/v1/')) {
        const response = rpcError(404, 'PGRST205', `Could not find ${url.pathname.slice(9)} in the schema cache`, null, 'The atlas exposes functions only: call /rest/v1/rpc/<function>.')
        return send(res, response.status, response.body)
      }
      if (authRoute) {
        const response = await handleAuth(req, url, authRoute[1])
        return send(res, response.status, response.body, response.headers)
      }
      if (adminRoute) {
        return await handleAdmin(
          {
            req,
            res,
            url,
            db,
            auth,
            body: async () => {
              const text = await readBody(req)
              return text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {}
            },
            send: (status, body) => send(res, status, body),
            accountsChanged: () => sessions.accountsChanged(),
          },
          adminRoute[1],
        )
      }
      if (url.pathname === '/atlas/config.json') {
        // the demonstration accounts' passwords are public, and handed out only while they work; a
        // lost database leaves the mode as last known, so the page still loads and says what is wrong
        const demo = db.problem?.() ? sessions.knownDemo : await sessions.demo()
        return send(res, 200, {
          embedded: true,
          database: db.kind,
          anonKey,
          demo,
          accounts: demo ? localAccounts.map(({ email, password, role }) => ({ email, password, role })) : [],
        })
      }
      if (url.pathname === '/atlas/health') {
        const problem = db.problem?.()
        if (problem) return send(res, 503, { ok: false, database: db.kind, problem })
        return send(res, 200, { ok: true, database: db.kind })
      }
      if (options.middleware) return options.middleware(req, res, () => send(res, 404, { message: 'not found' }))
      if (staticRoot) return serveStatic(req, res, url, staticRoot)
      return send(res, 404, { message: 'no app is served here' })
    } catch (error) {
      // a lost database (503) and anything unforeseen (500) answer in PostgREST's shape; the server keeps running
      const known = (error as { status?: number }).status
      const lost = db.problem?.()
      const status = lost ? 503 : typeof known === 'number' && known >= 400 && known < 600 ? known : 500
      const message = lost && known !== 503 ? lost.message : (error as Error).message
      if (!res.headersSent) send(res, status, { code: 'PGRST000', message, details: lost?.reason ?? null, hint: null })
      else res.end()
    }
  }
  return http.createServer((req, res) => void answer(req, res))
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as { port: number }).port)
    })
  })
}
