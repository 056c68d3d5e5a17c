// The embedded database's start-up and the RPC path the map fetches its units through.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { AtlasFeatureCollection, LayerStats } from '../src/data/types.ts'
import { connect } from '../src/db/connect.ts'
import { openDatabase } from '../src/db/database.ts'
import { readMeta } from '../src/db/embedded.ts'
import { migrate } from '../src/db/migrate.ts'
import { loadSample } from '../src/db/sample.ts'
import { createAtlasServer, listen } from '../src/server/app.ts'
import { Auth } from '../src/server/auth.ts'
import { userClaims } from '../src/db/session.ts'
import { compare, time, withThrowawayPostgres, type BenchResult } from './harness.ts'

const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-'))

async function barePGlite(): Promise<void> {
  const db = await PGlite.create()
  await db.query('select 1')
  await db.close()
}

/** Serves a database through the embedded server and times the city's communities and grids. */
async function fetchUnits(target: string, secret: string, n: number): Promise<number> {
  const db = await openDatabase(target)
  const auth = new Auth(secret)
  const server = await createAtlasServer({ db, auth })
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
  const token = await auth.sign(userClaims('leader'), 600)
  const stats = (await (await fetch(`${url}/rest/v1/rpc/layer_stats`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as LayerStats
  if (!stats.bbox) throw new Error('layer_stats: the database has no units, so no extent')
  const [west, south, east, north] = stats.bbox
  const fetchLayer = async (layer: string) => {
    const response = await fetch(`${url}/rest/v1/rpc/map_layer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ layer, west, south, east, north, zoom: 13 }),
    })
    const body = (await response.json()) as AtlasFeatureCollection
    if (!response.ok || body.features.length === 0) throw new Error(`${layer}: ${JSON.stringify(body).slice(0, 200)}`)
  }
  try {
    return await time(n, () => Promise.all([fetchLayer('community'), fetchLayer('grid')]), 2)
  } finally {
    server.closeAllConnections()
    server.close()
    await db.close()
  }
}

export async function runDatabaseBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const bare = await time(3, barePGlite, 1)

  const cold = await time(3, async () => {
    const connection = await connect(path.join(temp(), 'db'), 'bench')
    await connection.close()
  })
  results.push(compare('embedded_cold_start', cold, bare, 'bare PGlite.create() in memory', 3))

  // The sample city, loaded once through the importer, for the warm start and the fetches.
  const sample = path.join(temp(), 'db')
  const t0 = performance.now()
  const loading = await connect(sample, 'bench')
  await loadSample(loading.db)
  await loading.close()
  const loadMs = performance.now() - t0
  results.push(compare('embedded_first_start_with_sample_city', loadMs, bare, 'bare PGlite.create() in memory', 1))

  const warm = await time(5, async () => {
    const connection = await connect(sample, 'bench')
    await connection.close()
  })
  results.push(compare('embedded_warm_start', warm, bare, 'bare PGlite.create() in memory', 5))

  // The same RPC path over the Debian PostgreSQL holding the same city.
  await withThrowawayPostgres('atlas_bench', async (url) => {
    const server = await openDatabase(url)
    await migrate(server)
    await loadSample(server)
    await server.close()
    const secret = readMeta(sample).jwtSecret
    const embedded = await fetchUnits(sample, secret, 15)
    const postgres = await fetchUnits(url, secret, 15)
    results.push(compare('rpc_fetch_communities_and_grids', embedded, postgres, 'the same RPC on PostgreSQL 15 + PostGIS 3.3', 15))
  })
  return results
}
