// `atlas stats`: feature counts and totals per layer, as a leader sees them; through the running
// server when it holds the embedded folder.
import type { LayerStats } from '../../data/types.ts'
import { callApi } from '../../db/api.ts'
import { asCaller, userClaims } from '../../db/session.ts'
import type { RpcError } from '../../server/rpc.ts'
import { runningServer } from '../server.ts'
import { layerNames } from '../../shared/layers.ts'
import { noArguments, withDatabase, type Command } from './command.ts'

export const statsCommand: Command = {
  name: 'stats',
  usage: ['stats                   feature counts and totals per layer'],
  async run(context) {
    noArguments(context, 'stats takes no arguments')
    const stats = await readStats(context.target)
    context.print(formatStats(stats), stats)
  },
}

async function readStats(target: string): Promise<LayerStats> {
  const server = runningServer(target)
  if (server) {
    const token = await server.roleToken(userClaims('leader', 'atlas-cli'))
    const response = await fetch(`${server.url}/rest/v1/rpc/layer_stats`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    })
    if (!response.ok) throw new Error(`the running server answered ${response.status}: ${((await response.json()) as RpcError).message}`)
    return (await response.json()) as LayerStats
  }
  return withDatabase(target, (db) => asCaller(db, userClaims('leader', 'atlas-cli'), (tx) => callApi(tx, 'layer_stats', {}), true))
}

const number = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value))

function formatStats(stats: LayerStats): string {
  const lines = ['layer             count  totals']
  // the layers in the order of the hierarchy and of loading, then anything newer the API reports
  const order = (layer: string) => (layerNames as readonly string[]).indexOf(layer) >>> 0
  const entries = Object.entries(stats).sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
  for (const [layer, value] of entries) {
    if (layer === 'bbox' || value === null || typeof value !== 'object') continue
    const { count, ...totals } = value as Record<string, unknown>
    const rest = Object.entries(totals).map(([k, v]) => `${k} ${number(v)}`).join(', ')
    lines.push(`${layer.padEnd(16)} ${number(count).padStart(6)}  ${rest}`)
  }
  if (Array.isArray(stats.bbox)) lines.push(`extent: ${stats.bbox.join(', ')} (west, south, east, north)`)
  return lines.join('\n')
}
