// `atlas isochrones`: every facility's circle and every residence's access time, stored.
import { computeAndStore, type ComputeSummary } from '../../circles/store.ts'
import type { WalkParams } from '../../circles/engine/isochrone.ts'
import type { Database } from '../../db/database.ts'
import { noArguments, withDatabase, type Command } from './command.ts'
import { planner, walkOptions, walkParams } from './walk.ts'

export const isochronesCommand: Command = {
  name: 'isochrones',
  usage: [
    "isochrones              compute and store every facility's service circle (and the 5/10/15-minute",
    "                        bands) and every residence's walking time to each facility type",
    ...walkOptions,
  ],
  async run(context) {
    noArguments(context, 'isochrones takes no arguments: atlas isochrones [--minutes 8] [--speed 66.7]')
    const params = walkParams(context.values)
    const progress = context.values.json || !process.stderr.isTTY ? undefined : (done: number, total: number) => process.stderr.write(`\r  circles ${done}/${total}`)
    const summary = await withDatabase(context.target, (db) => isochrones(db, params, progress))
    if (progress) process.stderr.write('\n')
    context.print(describeIsochrones(summary), summary)
  },
}

export async function isochrones(db: Database, params: WalkParams, progress?: (done: number, total: number) => void): Promise<ComputeSummary> {
  return computeAndStore(db, planner, params, progress)
}

export function describeIsochrones(s: ComputeSummary): string {
  const lines = [
    `service circles: ${s.circles} stored for ${s.facilities - s.facilities_off_network.length} facilities (${s.params.minutes} min and the ${s.params.bands.join('/')}-minute bands at ${s.params.speed} m/min)`,
    `access times: ${s.access_times} (residence × facility type) for ${s.residences - s.residences_off_network} residences`,
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

