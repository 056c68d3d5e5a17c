// `atlas coverage`: households and residents inside and outside the circles.
import type { WalkParams } from '../../circles/engine/isochrone.ts'
import type { Coverage } from '../../circles/types.ts'
import { callApi } from '../../db/api.ts'
import type { Database } from '../../db/database.ts'
import { asCaller } from '../../db/session.ts'
import { defaultWalk } from '../../shared/defaults.ts'
import { noArguments, withDatabase, type Command } from './command.ts'
import { cityWalk, leader, walkParams } from './walk.ts'

export const coverageCommand: Command = {
  name: 'coverage',
  usage: [
    'coverage                households and residents inside and outside the circles, per community',
    '                        and facility type, and city totals (--minutes, --speed)',
  ],
  async run(context) {
    noArguments(context, `coverage takes no arguments: atlas coverage [--minutes ${defaultWalk.minutes}] [--speed ${defaultWalk.speed}]`)
    const params = walkParams(context.values)
    const report = await withDatabase(context.target, async (db) => coverage(db, await cityWalk(db, params)))
    context.print(describeCoverage(report), report)
  },
}

export async function coverage(db: Database, params: WalkParams): Promise<Coverage> {
  return asCaller(db, leader, (tx) => callApi(tx, 'coverage', params), true)
}

const pct = (a: number, b: number) => (a + b ? `${((100 * a) / (a + b)).toFixed(1)}%` : '—')

export function describeCoverage(report: Coverage): string {
  const types = Object.keys(report.city).sort((a, b) => (a === 'basic' ? -1 : b === 'basic' ? 1 : a.localeCompare(b)))
  const lines = [`coverage within ${report.params.minutes} min at ${report.params.speed_m_per_min} m/min ('basic' = inside the circle of every basic type: ${report.basic_types.join(', ')})`]
  if (report.status.stale) lines.push('note: stored circles or access times are stale or missing; run atlas isochrones')
  lines.push('', 'city                  households covered / not covered   residents covered / not covered')
  for (const type of types) {
    const f = report.city[type]
    lines.push(`  ${type.padEnd(20)} ${String(f.households_covered).padStart(8)} / ${String(f.households_not_covered).padEnd(8)} ${pct(f.households_covered, f.households_not_covered).padStart(6)}   ${String(f.residents_covered).padStart(8)} / ${String(f.residents_not_covered).padEnd(8)} ${pct(f.residents_covered, f.residents_not_covered).padStart(6)}`)
  }
  lines.push('', 'community (basic types)      households covered / not   residents covered / not')
  for (const c of report.communities) {
    const f = c.coverage.basic
    if (!f) continue
    lines.push(`  ${c.code ?? '—'} ${(c.name ?? '—').padEnd(8, '　')} ${String(f.households_covered).padStart(7)} / ${String(f.households_not_covered).padEnd(7)} ${pct(f.households_covered, f.households_not_covered).padStart(6)}   ${String(f.residents_covered).padStart(7)} / ${String(f.residents_not_covered).padEnd(7)}`)
  }
  return lines.join('\n')
}
