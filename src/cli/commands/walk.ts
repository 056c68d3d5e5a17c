// The walk every circle command takes: --minutes and --speed, checked as the engine checks them.
import { checkWalkParams, type WalkParams } from '../../circles/engine/isochrone.ts'
import { defaultWalk } from '../../shared/defaults.ts'
import type { Queryable } from '../../db/database.ts'
import { userClaims } from '../../db/session.ts'
import { CommandError } from './command.ts'

export const walkOptions = [
  `    --minutes <n>       time budget, 1–60 (default: the city's standard, ${defaultWalk.minutes} as shipped)`,
  `    --speed <m/min>     walking speed on level ground (default: the city's standard, ${defaultWalk.speed} as shipped)`,
]

/** The walk a command was given: each of --minutes and --speed, or undefined for the city's standard. */
export type WalkChoice = Partial<WalkParams>

export function walkParams(values: { minutes?: string; speed?: string }): WalkChoice {
  const minutes = values.minutes === undefined ? undefined : Number(values.minutes)
  const speed = values.speed === undefined ? undefined : Number(values.speed)
  try {
    checkWalkParams({ minutes: minutes ?? defaultWalk.minutes, speed: speed ?? defaultWalk.speed })
  } catch (error) {
    throw new CommandError((error as Error).message)
  }
  return { minutes, speed }
}

/** The walk to measure by: what was given, else the city's standards (atlas.default_walk()). */
export async function cityWalk(db: Queryable, choice: WalkChoice): Promise<WalkParams> {
  if (choice.minutes !== undefined && choice.speed !== undefined) return { minutes: choice.minutes, speed: choice.speed }
  const { rows } = await db.query<WalkParams>('select minutes::float8 as minutes, speed::float8 as speed from atlas.default_walk()')
  return { minutes: choice.minutes ?? rows[0].minutes, speed: choice.speed ?? rows[0].speed }
}

/** The command line reads as a planner would (its writes go through RLS as the planner's). */
export const planner = userClaims('planner', 'atlas-cli')
export const leader = userClaims('leader', 'atlas-cli')
