// `atlas gaps`: the 三不管 zones (gaps and overlaps) with their suggested owners, and nesting
// violations; `atlas gaps settle`: a planner's decision on one zone, applied to the boundaries
// on request. Both call the API functions the page calls.
import os from 'node:os'
import { callApi } from '../../db/api.ts'
import type { Database } from '../../db/database.ts'
import { formatArea } from '../../i18n/core.ts'
import { asCaller, userClaims } from '../../db/session.ts'
import type { CoManagement, SettleResult, Zone, ZonesResult } from '../../zones/types.ts'
import { CommandError, refusal, UsageError, withDatabase, type Command, type CommandValues } from './command.ts'
import { leader } from './walk.ts'

const usage = 'atlas gaps [--json] [--min-width <m>] [--min-area <m2>] | atlas gaps settle <zone-id> --owner <code> [--remark <text>] [--apply] | atlas gaps declare <area> --with <unit> --arrangement entrusted|joint|exclusive [--remark <text>] | atlas gaps declared | atlas gaps withdraw <id> [--remark <text>]'

export const gapsCommand: Command = {
  name: 'gaps',
  usage: [
    'gaps                    三不管 zones: land in no unit of a level, or claimed by two; each with its',
    '                        area, width, status (open, noise, settled) and suggested owner with the',
    '                        reason; and children that stick out of their parent',
    '    --min-width <m>     narrower than this is noise (default: the stored setting, 1 m)',
    '    --min-area <m2>     smaller than this is noise (default: the stored setting, 50 m²)',
    'gaps settle <zone-id> --owner <code> [--remark <text>] [--apply]',
    '                        record a planner\'s decision: the zone goes to the unit <code>; with',
    '                        --apply, a gap is merged into it, an overlap cut from the other claimants',
    'gaps declare <area> --with <unit> --arrangement entrusted|joint|exclusive [--remark <text>]',
    '                        a management area co-managed with a management area it lies in: 托管',
    '                        (entrusted to it), joint (联合管理) or exclusive (独管); their shared land is',
    '                        then declared, not a 三不管 overlap',
    'gaps declared           the declared co-managed areas, standing and withdrawn (the history)',
    'gaps withdraw <id> [--remark <text>]   withdraw a declaration; an overlap is a zone again',
  ],
  async run(context) {
    const [sub, ...rest] = context.args
    if (sub === 'settle') {
      if (rest.length !== 1) throw new UsageError(`gaps settle takes one zone id: ${usage}`)
      if (!context.values.owner) throw new UsageError(`gaps settle needs --owner <code>: ${usage}`)
      const zoneId = rest[0]
      const result = await withDatabase(context.target, (db) =>
        settleZone(db, zoneId, context.values.owner!, context.values.remark ?? null, context.values.apply),
      )
      context.print(describeSettlement(result), result)
      return
    }
    if (sub === 'declare') {
      if (rest.length !== 1) throw new UsageError(`gaps declare takes one management area's code: ${usage}`)
      const { with: partner, arrangement, remark } = context.values
      if (!partner || !arrangement) throw new UsageError(`gaps declare needs --with <unit> and --arrangement entrusted|joint|exclusive: ${usage}`)
      const declared = await withDatabase(context.target, (db) =>
        asCaller(db, userClaims('planner', settledBy()), (tx) => callApi(tx, 'declare_co_management', { area: rest[0], partner, arrangement, reason: remark ?? null }).catch(refusal)),
      )
      context.print(describeDeclarations([declared]), declared)
      return
    }
    if (sub === 'declared') {
      if (rest.length) throw new UsageError(`gaps declared takes no arguments: ${usage}`)
      const declared = await withDatabase(context.target, (db) => asCaller(db, leader, (tx) => callApi(tx, 'co_managed', { with_geometry: false }), true))
      context.print(describeDeclarations(declared), declared)
      return
    }
    if (sub === 'withdraw') {
      const id = Number(rest[0])
      if (rest.length !== 1 || !Number.isInteger(id) || id <= 0) throw new UsageError(`gaps withdraw takes a declaration's number: ${usage}`)
      const withdrawn = await withDatabase(context.target, (db) =>
        asCaller(db, userClaims('planner', settledBy()), (tx) => callApi(tx, 'withdraw_co_management', { id, reason: context.values.remark ?? null }).catch(refusal)),
      )
      context.print(describeDeclarations([withdrawn]), withdrawn)
      return
    }
    if (sub !== undefined) throw new UsageError(`gaps: unknown argument "${sub}": ${usage}`)
    const thresholds = zoneThresholds(context.values)
    const report = await withDatabase(context.target, (db) => detectZones(db, thresholds))
    context.print(describeZones(report), jsonReport(report))
  },
}

const arrangementWords: Record<CoManagement['arrangement'], string> = {
  entrusted: 'entrusted (托管) to',
  joint: 'managed jointly (联合管理) with',
  exclusive: 'managed by its own body alone (独管), beside',
}

export function describeDeclarations(declared: readonly CoManagement[]): string {
  if (declared.length === 0) return 'no co-managed area declared'
  return declared
    .map((d) => {
      const what = `#${d.id} ${d.area_name} (${d.area_code}) ${arrangementWords[d.arrangement]} ${d.partner_name} (${d.partner_code}): ${formatArea('en', d.shared_m2)} shared`
      const when = `    declared by ${d.declared_by} at ${d.declared_at}${d.reason ? `: ${d.reason}` : ''}`
      const gone = d.withdrawn_at ? `\n    withdrawn by ${d.withdrawn_by} at ${d.withdrawn_at}${d.withdraw_reason ? `: ${d.withdraw_reason}` : ''}` : ''
      return `${what}\n${when}${gone}`
    })
    .join('\n')
}

export function zoneThresholds(values: Pick<CommandValues, 'min-width' | 'min-area'>): { minWidth: number | null; minArea: number | null } {
  const read = (text: string | undefined, flag: string, max: number) => {
    if (text === undefined) return null
    const value = Number(text)
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > max) {
      throw new CommandError(`${flag} must be a number from 0 to ${max.toLocaleString('en')}, not "${text}"`)
    }
    return value
  }
  return { minWidth: read(values['min-width'], '--min-width', 1000), minArea: read(values['min-area'], '--min-area', 10_000_000) }
}

export async function detectZones(db: Database, thresholds: { minWidth: number | null; minArea: number | null }, withGeometry = false): Promise<ZonesResult> {
  return asCaller(
    db,
    leader,
    (tx) => callApi(tx, 'zones', { min_width_m: thresholds.minWidth, min_area_m2: thresholds.minArea, with_geometry: withGeometry }).catch(refusal),
    true,
  )
}

/** Who decided, as the history keeps it: the command line and the account that ran it. */
export const settledBy = () => `atlas-cli:${os.userInfo().username}`

export async function settleZone(db: Database, zoneId: string, owner: string, remark: string | null, apply: boolean): Promise<SettleResult> {
  return asCaller(db, userClaims('planner', settledBy()), (tx) => callApi(tx, 'settle_zone', { zone_id: zoneId, owner, remark, apply }).catch(refusal))
}

/** The issue's JSON: the zones with the fields scripts rely on first, then the rest. */
function jsonReport(report: ZonesResult) {
  return {
    zones: report.zones.map((z) => ({
      id: z.id,
      kind: z.kind,
      level: z.level,
      area_m2: z.area_m2,
      width_m: z.width_m,
      status: z.status,
      units: z.units,
      suggested_owner: z.suggested_owner,
      reason: z.reason,
      reason_zh: z.reason_zh,
      parent: z.parent,
      claimants: z.claimants,
      candidates: z.candidates,
      decision: z.decision,
      label: z.label,
    })),
    nesting: report.nesting,
    settings: report.settings,
    skipped: report.skipped,
    computed_at: report.computed_at,
  }
}

/** What `atlas gaps --json` prints. */
export type GapsJson = ReturnType<typeof jsonReport>

const area = (m2: number) => formatArea('en', m2)

export function describeZones(report: ZonesResult): string {
  const count = (status: Zone['status']) => report.zones.filter((z) => z.status === status).length
  const lines = [
    `${report.zones.length} zones: ${count('open')} open, ${count('settled')} settled, ${count('noise')} noise (narrower than ${report.settings.min_width_m} m or smaller than ${report.settings.min_area_m2} m²)`,
  ]
  for (const skip of report.skipped) lines.push(`not checked: ${skip.level}: ${skip.why}`)
  for (const status of ['open', 'settled', 'noise'] as const) {
    const zones = report.zones.filter((z) => z.status === status)
    if (!zones.length) continue
    lines.push('', `${status}:`)
    for (const z of zones) {
      lines.push(`  ${z.id}  ${z.kind.padEnd(7)} ${z.level.padEnd(10)} ${area(z.area_m2).padStart(11)}  width ${z.width_m.toFixed(1)} m  units ${z.units.join(', ')}`)
      if (z.decision) lines.push(`      settled: ${z.decision.owner_code} by ${z.decision.decided_by} at ${z.decision.decided_at}${z.decision.remark ? ` (${z.decision.remark})` : ''}`)
      else if (z.suggested_owner) lines.push(`      suggested owner ${z.suggested_owner}: ${z.reason}`)
    }
  }
  lines.push('', report.nesting.length ? 'nesting violations (the piece outside the parent):' : 'nesting: every child lies within its parent')
  for (const n of report.nesting) lines.push(`  ${n.layer} ${n.code} ${n.name}: ${area(n.outside_m2)} outside ${n.parent_layer} ${n.parent_code}`)
  return lines.join('\n')
}

function describeSettlement(s: SettleResult): string {
  const lines = [`zone ${s.zone} settled: owner ${s.owner} (${s.owner_layer}), decision ${s.decision}${s.suggested_owner && s.suggested_owner !== s.owner ? `; the suggestion was ${s.suggested_owner}` : ''}`]
  if (s.applied) lines.push(`applied: ${s.changed?.join(', ')} changed; the zone is gone from the next detection`)
  return lines.join('\n')
}
