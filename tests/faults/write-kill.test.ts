// The server killed with SIGKILL in the middle of a stream of writes, as the construction bureau
// and a planner make them through the API: backlog statuses and edits (the item and its history),
// zone decisions (the one superseded and the new one), proposed facilities. After, the folder
// opens cleanly; every write the server acknowledged is there, whole; the one in flight is whole
// or absent; and nothing else changed.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect } from '../../src/db/connect.ts'
import { openDatabase, type Queryable } from '../../src/db/database.ts'
import { asCaller, userClaims } from '../../src/db/session.ts'
import { copySampleDatabase, tempDir } from '../helpers/databases.ts'
import { copyFolder, killAll, scriptChild, seeded, type Child } from './processes.ts'

const seed = 28_11_2026
const moments = 3
const work = tempDir('faults-writes')
const children: Child[] = []
// the tables the stream writes; every other table of the atlas must come out as it went in
const written = ['backlog_item', 'backlog_change', 'zone_decision', 'proposed_facility', 'data_version']

interface Item {
  code: string
  version: number
  status: string
  cost_yuan: string
  households_served: number | null
}

interface Template {
  dir: string
  digests: Record<string, string>
  items: Item[]
  /** Digest of each backlog item's row, by code. */
  itemRows: Record<string, string>
  changeDigest: string
  decisions: number
  proposals: number
  zones: { id: string; candidates: string[] }[]
}

let template: Template

async function digests(db: Queryable): Promise<Record<string, string>> {
  const { rows } = await db.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'atlas' and table_type = 'BASE TABLE' order by 1`)
  const result: Record<string, string> = {}
  for (const { t } of rows)
    result[t] = (await db.query<{ d: string }>(`select md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as d from atlas.${t} x`)).rows[0].d
  return result
}

async function itemRows(db: Queryable): Promise<Record<string, string>> {
  const { rows } = await db.query<{ code: string; d: string }>('select code, md5(x::text) as d from atlas.backlog_item x')
  return Object.fromEntries(rows.map((r) => [r.code, r.d]))
}

const untouchedChanges = `select md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as d from atlas.backlog_change x where coalesce(remark, '') not like 'fault-%'`

beforeAll(async () => {
  const dir = copySampleDatabase()
  const db = await openDatabase(dir)
  try {
    const items = (
      await db.query<Item>(
        `select code, version, status, cost_yuan::text, households_served from atlas.backlog_item where status = 'proposed' order by code limit 6`,
      )
    ).rows
    const zones = await asCaller(
      db,
      userClaims('planner'),
      async (tx) => (await tx.query<{ z: { zones: { id: string; candidates: { code: string }[] }[] } }>('select public.zones(null, null, false) as z')).rows[0].z,
      true,
    )
    template = {
      dir,
      digests: await digests(db),
      items,
      itemRows: await itemRows(db),
      changeDigest: (await db.query<{ d: string }>(untouchedChanges)).rows[0].d,
      decisions: (await db.query<{ n: number }>('select count(*)::int as n from atlas.zone_decision')).rows[0].n,
      proposals: (await db.query<{ n: number }>('select count(*)::int as n from atlas.proposed_facility')).rows[0].n,
      zones: zones.zones.slice(0, 2).map((z) => ({ id: z.id, candidates: z.candidates.map((c) => c.code) })),
    }
  } finally {
    await db.close()
  }
  expect(template.items.length).toBe(6)
  expect(template.zones.length).toBe(2)
})

afterAll(async () => {
  await killAll(children)
  fs.rmSync(work, { recursive: true, force: true })
})

type Write =
  | { kind: 'status'; marker: string; code: string; status: string }
  | { kind: 'edit'; marker: string; code: string; cost: number; households: number }
  | { kind: 'settle'; marker: string; zone: string; owner: string }
  | { kind: 'proposal'; marker: string; households: number }

/** The i-th write of the stream, from the state the acknowledged ones left. */
function nextWrite(i: number, marker: string, items: Map<string, Item>): { write: Write; role: 'works' | 'planner'; fn: string; args: Record<string, unknown> } {
  const item = template.items[Math.floor(i / 4) % template.items.length]
  const state = items.get(item.code)!
  switch (i % 4) {
    case 0: {
      // proposed ↔ rejected: a move the workflow allows back and forth, as often as the stream needs
      const status = state.status === 'proposed' ? 'rejected' : 'proposed'
      return { write: { kind: 'status', marker, code: item.code, status }, role: 'works', fn: 'set_backlog_status', args: { code: item.code, status, version: state.version, remark: marker } }
    }
    case 1: {
      const zone = template.zones[Math.floor(i / 4) % template.zones.length]
      const owner = zone.candidates[Math.floor(i / 8) % zone.candidates.length]
      return { write: { kind: 'settle', marker, zone: zone.id, owner }, role: 'planner', fn: 'settle_zone', args: { zone_id: zone.id, owner, remark: marker } }
    }
    case 2: {
      const cost = 1_000_000 + i * 1000
      const households = 100 + i
      return {
        write: { kind: 'edit', marker, code: item.code, cost, households },
        role: 'works',
        fn: 'edit_backlog_item',
        args: { code: item.code, version: state.version, changes: { cost_yuan: cost, households_served: households }, remark: marker },
      }
    }
    default:
      return {
        write: { kind: 'proposal', marker, households: i },
        role: 'planner',
        fn: 'save_proposal',
        args: { name: marker, facility_type: 'elderly_care', lon: 119.14 + i * 1e-5, lat: 28.07, minutes: 8, speed: 66.7, new_households: i, new_residents: 2 * i, note: marker },
      }
  }
}

/** What the database holds of the stream's writes, read after the kill. */
async function found(db: Queryable, codes: string[]) {
  const changes = (
    await db.query<{ item_code: string; version: number; remark: string }>(
      `select item_code, version, remark from atlas.backlog_change where remark like 'fault-%' order by item_code, version`,
    )
  ).rows
  const decisions = (
    await db.query<{ zone_id: string; owner_code: string; remark: string | null; superseded: boolean }>(
      `select zone_id, owner_code, remark, superseded_at is not null as superseded from atlas.zone_decision order by id`,
    )
  ).rows
  const proposals = (await db.query<{ name: string; new_households: number }>(`select name, new_households from atlas.proposed_facility order by id`)).rows
  const items = (
    await db.query<Item>(`select code, version, status, cost_yuan::text, households_served from atlas.backlog_item where code = any($1::text[]) order by code`, [codes])
  ).rows
  return { changes, decisions, proposals, items }
}

test(`SIGKILL at ${moments} seeded moments of a stream of writes through the API (seed ${seed}): acknowledged writes whole, the one in flight whole or absent, nothing else changed`, async () => {
  const random = seeded(seed)
  const outcomes: string[] = []
  for (let k = 0; k < moments; k++) {
    const dir = copyFolder(template.dir, path.join(work, `db-${k}`))
    const server = scriptChild('serve.ts', dir)
    children.push(server)
    const url = (await server.waitFor(/^ready: (\S+)$/m))[1]

    // signed in as the demonstration's works and planner accounts, as the page does
    const config = (await (await fetch(`${url}/atlas/config.json`)).json()) as { anonKey: string; accounts: { email: string; password: string; role: string }[] }
    const tokens: Record<string, string> = {}
    for (const role of ['works', 'planner']) {
      const account = config.accounts.find((a) => a.role === role)!
      const response = await fetch(`${url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: config.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email: account.email, password: account.password }),
      })
      expect(response.status).toBe(200)
      tokens[role] = ((await response.json()) as { access_token: string }).access_token
    }

    // the stream, one write at a time, until the kill: in a seeded write (past the first of each
    // kind), at a seeded fraction of the time the last write of its kind took
    const items = new Map(template.items.map((item) => [item.code, { ...item }]))
    const acknowledged: Write[] = []
    const took: Partial<Record<Write['kind'], number>> = {}
    let inFlight: Write | undefined
    let killed = false
    let timer: NodeJS.Timeout | undefined
    const killIn = 4 + Math.floor(random() * 10)
    const fraction = random()
    let at = 0
    const stream = (async () => {
      for (let i = 0; !killed; i++) {
        const marker = `fault-${k}-${i}`
        const { write, role, fn, args } = nextWrite(i, marker, items)
        inFlight = write
        const sent = Date.now()
        if (i === killIn) {
          at = Math.round(fraction * took[write.kind]!)
          timer = setTimeout(() => {
            killed = true
            void server.kill()
          }, at)
        }
        let response: Response
        try {
          response = await fetch(`${url}/rest/v1/rpc/${fn}`, {
            method: 'POST',
            headers: { apikey: config.anonKey, authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
            body: JSON.stringify(args),
          })
          const body = await response.text()
          if (!response.ok) throw new Error(`${fn} answered ${response.status}: ${body}`)
          // acknowledged: the answer came back before the kill
          acknowledged.push(write)
          took[write.kind] = Date.now() - sent
          inFlight = undefined
          if (write.kind === 'status' || write.kind === 'edit') {
            const state = items.get(write.code)!
            state.version = (JSON.parse(body) as { version: number }).version
            if (write.kind === 'status') state.status = write.status
            else Object.assign(state, { cost_yuan: String(write.cost), households_served: write.households })
          }
        } catch (error) {
          if (killed) return
          throw error
        }
      }
    })()
    await Promise.race([stream, server.exited])
    clearTimeout(timer)
    killed = true
    await server.kill()
    await stream

    // reopened: it opens cleanly (the lock of the dead server is taken over)
    const connection = await connect(dir, 'fault test')
    try {
      const db = connection.db
      const codes = template.items.map((item) => item.code)
      const now = await found(db, codes)
      const present = new Set([...now.changes.map((c) => c.remark), ...now.decisions.map((d) => d.remark), ...now.proposals.map((p) => p.name)])
      const committed = [...acknowledged, ...(inFlight && present.has(inFlight.marker) ? [inFlight] : [])]
      const what =
        `moment ${k}: killed ${at} ms into write #${killIn} (the last of its kind took ${Math.round(at / fraction)} ms); ${acknowledged.length} acknowledged` +
        (inFlight ? `, ${inFlight.kind} ${inFlight.marker} in flight (${present.has(inFlight.marker) ? 'committed' : 'absent'})` : '')
      outcomes.push(what)
      expect(acknowledged.length, what).toBeGreaterThan(0)

      // every acknowledged write present, and nothing of any other
      expect([...present].sort(), what).toEqual(committed.map((w) => w.marker).sort())

      // the backlog: each item moved exactly by its committed writes, each with its one line of history
      for (const item of template.items) {
        const mine = committed.filter((w): w is Extract<Write, { code: string }> => (w.kind === 'status' || w.kind === 'edit') && w.code === item.code)
        const expected = { ...item, version: item.version + mine.length }
        for (const w of mine) {
          if (w.kind === 'status') expected.status = w.status
          else Object.assign(expected, { cost_yuan: String(w.cost), households_served: w.households })
        }
        expect(now.items.find((i) => i.code === item.code), `${what}: ${item.code}`).toEqual(expected)
        expect(
          now.changes.filter((c) => c.item_code === item.code),
          `${what}: history of ${item.code}`,
        ).toEqual(mine.map((w, n) => ({ item_code: item.code, version: item.version + n + 1, remark: w.marker })))
      }

      // the zones: one decision per settlement, the last of each zone standing, the earlier superseded
      const settled = committed.filter((w): w is Extract<Write, { kind: 'settle' }> => w.kind === 'settle')
      expect(now.decisions.length, what).toBe(template.decisions + settled.length)
      expect(
        now.decisions.filter((d) => d.remark?.startsWith('fault-')),
        what,
      ).toEqual(settled.map((w) => ({ zone_id: w.zone, owner_code: w.owner, remark: w.marker, superseded: settled.some((later) => later.zone === w.zone && settled.indexOf(later) > settled.indexOf(w)) })))

      // the proposals: one row each, as sent
      const proposed = committed.filter((w): w is Extract<Write, { kind: 'proposal' }> => w.kind === 'proposal')
      expect(now.proposals.length, what).toBe(template.proposals + proposed.length)
      expect(now.proposals.filter((p) => p.name.startsWith('fault-')), what).toEqual(proposed.map((w) => ({ name: w.marker, new_households: w.households })))

      // nothing else changed: the other tables, the other items, the history before the stream
      const after = await digests(db)
      for (const table of Object.keys(template.digests)) if (!written.includes(table)) expect(after[table], `${what}: table ${table}`).toBe(template.digests[table])
      const rows = await itemRows(db)
      for (const [code, digest] of Object.entries(template.itemRows)) if (!codes.includes(code)) expect(rows[code], `${what}: item ${code}`).toBe(digest)
      expect((await db.query<{ d: string }>(untouchedChanges)).rows[0].d, `${what}: earlier history`).toBe(template.changeDigest)
    } finally {
      await connection.close()
    }
  }
  console.log(outcomes.join('\n'))
}, 300_000)
