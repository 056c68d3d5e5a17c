// A soak: clients reading and writing through the embedded server for a while, each waiting for
// its answer before the next call (bounded, on loopback), as offices use it: map tiles, records,
// searches, the city-wide analyses, proposals saved and removed, backlog steps taken and undone.
// It counts every answer that is not the one expected, the latency of each kind of call, and the
// process's memory before and after. `npm run soak` runs 20 clients for 10 minutes;
// tests/api/soak.test.ts runs the same for a few seconds.
import { mulberry32 } from '../data/sample/random.ts'
import { userClaims } from '../src/db/session.ts'
import type { Auth } from '../src/server/auth.ts'

export interface SoakServer {
  url: string
  auth: Auth
  anonKey: string
}

export interface SoakOptions {
  clients: number
  durationMs: number
  /** Rounds (each a call or two) the clients make in all, at the least, however slow the machine: up to five durations more. */
  minRounds?: number
  seed?: number
  /** Backlog items the works clients step back and forth, one each (proposed ones). */
  items: { code: string; version: number }[]
}

export interface SoakReport {
  calls: number
  /** Calls told to come back later (503 with Retry-After) and asked again after the wait. */
  deferred: number
  /** What went wrong, call by call (empty when nothing did). */
  errors: string[]
  /** Latency of all calls, and of each kind. */
  p50Ms: number
  p95Ms: number
  byKind: Record<string, { calls: number; p95Ms: number }>
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] : 0
}

/** Tiles of the sample city's map at zoom 13, as the page asks for them. */
function tileBox(x: number, y: number, z: number): [number, number, number, number] {
  const lon = (i: number) => (i / 2 ** z) * 360 - 180
  const lat = (j: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / 2 ** z))) * 180) / Math.PI
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)]
}

export async function soak(server: SoakServer, options: SoakOptions): Promise<SoakReport> {
  const random = mulberry32(options.seed ?? 1)
  const tokens = {
    leader: await server.auth.sign(userClaims('leader', 'soak-leader'), 3600),
    planner: await server.auth.sign(userClaims('planner', 'soak-planner'), 3600),
    works: await server.auth.sign(userClaims('works', 'soak-works'), 3600),
  }
  const errors: string[] = []
  const latencies = new Map<string, number[]>()
  let calls = 0
  let deferred = 0
  const call = async (kind: string, role: keyof typeof tokens, name: string, args: Record<string, unknown>, expect = 200): Promise<unknown> => {
    const t0 = performance.now()
    let response: Response
    let text: string
    for (let attempt = 0; ; attempt++) {
      response = await fetch(`${server.url}/rest/v1/rpc/${name}`, {
        method: 'POST',
        headers: { apikey: server.anonKey, authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      })
      text = await response.text()
      // asked to come back (a role's analyses all taken): a client waits as told, then asks again
      const retryAfter = Number(response.headers.get('retry-after'))
      if (response.status !== 503 || !retryAfter || attempt >= 3) break
      deferred++
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000))
    }
    const ms = performance.now() - t0
    calls++
    latencies.set(kind, [...(latencies.get(kind) ?? []), ms])
    if (response.status !== expect) errors.push(`${kind} ${name}: ${response.status} ${text.slice(0, 200)}`)
    return text ? (JSON.parse(text) as unknown) : null
  }

  const reads: [string, () => Promise<unknown>][] = [
    ['tile', () => {
      const [west, south, east, north] = tileBox(6800 + Math.floor(random() * 3), 3440 + Math.floor(random() * 3), 13)
      return call('tile', 'leader', 'map_layer', { layer: random() < 0.5 ? 'community' : 'grid', west, south, east, north, zoom: 13 })
    }],
    ['record', () => call('record', 'planner', 'unit_record', { layer: 'community', code: `3311810010${String(1 + Math.floor(random() * 3)).padStart(2, '0')}` })],
    ['search', () => call('search', 'leader', 'search_units', { query: random() < 0.5 ? '社区' : '3311810', max_results: 10 })],
    ['stats', () => call('stats', 'leader', 'layer_stats', {})],
    ['analysis', () => call('analysis', random() < 0.5 ? 'leader' : 'planner', random() < 0.5 ? 'zone_summary' : 'indicators', {})],
    ['scores', () => call('scores', 'works', 'backlog_scores', {})],
  ]

  let rounds = 0
  const minRounds = options.minRounds ?? 0
  const client = async (index: number, until: number) => {
    const item = options.items[index % options.items.length]
    let stepped = false
    while (Date.now() < until || (rounds < minRounds && Date.now() < until + 5 * options.durationMs)) {
      rounds++
      const roll = random()
      if (roll < 0.1) {
        // a planner saves a trial facility and removes it
        const saved = (await call('write', 'planner', 'save_proposal', { name: `试算 ${index}`, facility_type: 'canteen', lon: 119.13 + random() * 0.02, lat: 28.06 + random() * 0.02, minutes: 8, speed: 66.7 })) as { id?: number } | null
        if (saved?.id !== undefined) await call('write', 'planner', 'remove_proposal', { id: saved.id })
      } else if (roll < 0.2 && index < options.items.length) {
        // the bureau takes a step on its item, and back
        const updated = (await call('write', 'works', 'set_backlog_status', { code: item.code, status: stepped ? 'proposed' : 'rejected', version: item.version, remark: `soak ${index}` })) as { version?: number } | null
        if (updated?.version !== undefined) {
          item.version = updated.version
          stepped = !stepped
        }
      } else {
        await reads[Math.floor(random() * reads.length)][1]()
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + random() * 40))
    }
    // leave the item as it was found (at its new version, which a later soak starts from)
    if (stepped) {
      const restored = (await call('write', 'works', 'set_backlog_status', { code: item.code, status: 'proposed', version: item.version })) as { version?: number } | null
      if (restored?.version !== undefined) item.version = restored.version
    }
  }

  const until = Date.now() + options.durationMs
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i, until)))
  const all = [...latencies.values()].flat()
  return {
    calls,
    deferred,
    errors,
    p50Ms: Math.round(quantile(all, 0.5)),
    p95Ms: Math.round(quantile(all, 0.95)),
    byKind: Object.fromEntries([...latencies].map(([kind, values]) => [kind, { calls: values.length, p95Ms: Math.round(quantile(values, 0.95)) }])),
  }
}
