// npm run bench: every benchmark, one JSON object per line, also written to bench/results/latest.json.
import fs from 'node:fs'
import path from 'node:path'
import { runBrowserBenchmarks } from './browser.ts'
import { runDatabaseBenchmarks } from './database.ts'
import type { BenchResult } from './harness.ts'

const suites: Record<string, () => Promise<BenchResult[]>> = {
  database: runDatabaseBenchmarks,
  browser: runBrowserBenchmarks,
  circles: async () => (await import('./circles.ts')).runCircleBenchmarks(),
  zones: async () => (await import('./zones.ts')).runZoneBenchmarks(),
  backlog: async () => (await import('./backlog.ts')).runBacklogBenchmarks(),
  leader: async () => (await import('./leader.ts')).runLeaderBenchmarks(),
  backup: async () => (await import('./backup.ts')).runBackupBenchmarks(),
  server: async () => (await import('./server.ts')).runServerBenchmarks(),
  network: async () => (await import('./network.ts')).runNetworkBenchmarks(),
  formats: async () => (await import('./formats.ts')).runFormatBenchmarks(),
}

const only = process.argv.slice(2)
const results: BenchResult[] = []
for (const [name, run] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue
  for (const result of await run()) {
    console.log(JSON.stringify(result))
    results.push(result)
  }
}
const out = path.join(import.meta.dirname, 'results/latest.json')
fs.mkdirSync(path.dirname(out), { recursive: true })
fs.writeFileSync(out, results.map((r) => JSON.stringify(r)).join('\n') + '\n')
