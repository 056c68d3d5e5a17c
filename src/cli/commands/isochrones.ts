// `atlas isochrones`: every facility's circle and every residence's access time, stored.
import { computeAndStore, type ComputeOptions, type ComputeSummary } from '../../circles/store.ts'
import type { WalkParams } from '../../circles/engine/isochrone.ts'
import type { Database } from '../../db/database.ts'
import { defaultWalk } from '../../shared/defaults.ts'
import { noArguments, withDatabase, type Command } from './command.ts'
import { cityWalk, planner, walkOptions, walkParams } from './walk.ts'

export const isochronesCommand: Command = {
  name: 'isochrones',
  usage: [
    "isochrones              compute and store the service circles (and the 5/10/15-minute bands) and the",
    "                        residences' walking times to each facility type that are stale or missing",
    ...walkOptions,
    '    --all               recompute every circle and time, current or not',
  ],
  async run(context) {
    noArguments(context, `isochrones takes no arguments: atlas isochrones [--minutes ${defaultWalk.minutes}] [--speed ${defaultWalk.speed}] [--all]`)
    const params = walkParams(context.values)
    const progress = context.values.json || !process.stderr.isTTY ? undefined : (done: number, total: number) => process.stderr.write(`\r  circles ${done}/${total}`)
    const summary = await withDatabase(context.target, async (db) => isochrones(db, await cityWalk(db, params), { all: context.values.all, onProgress: progress }))
    if (progress) process.stderr.write('\n')
    context.print(describeIsochrones(summary), summary)
  },
}

export async function isochrones(db: Database, params: WalkParams, options: ComputeOptions = {}): Promise<ComputeSummary> {
  return computeAndStore(db, planner, params, options)
}

export function describeIsochrones(s: ComputeSummary): string {
  const lines = [
    `service circles (${s.params.minutes} min and the ${s.params.bands.join('/')}-minute bands at ${s.params.speed} m/min): ${s.circles} computed${s.all ? '' : ` (stale or missing), ${s.circles_kept} current and kept`}`,
    s.access_types.length
      ? `access times: ${s.access_times} (residence × facility type) computed for ${s.access_types.join(', ')}`
      : 'access times: all current',
    `network: ${s.edges} walkable edges, ${s.nodes} nodes` + excludedText(s.excluded_edges),
    `took ${s.seconds.model} s to load, ${s.seconds.circles} s for circles, ${s.seconds.access} s for access times, ${s.seconds.write} s to write`,
  ]
  if (s.facilities_off_network.length) lines.push(`facilities off the network (no circle): ${s.facilities_off_network.join(', ')}`)
  if (s.residences_off_network) lines.push(`residences more than 300 m from every walkable road (not covered): ${s.residences_off_network}`)
  return lines.join('\n')
}

function excludedText(excluded: Record<string, number>): string {
  const entries = Object.entries(excluded)
  return entries.length ? `; left out ${entries.map(([reason, n]) => `${n} (${reason})`).join(', ')}` : ''
}

