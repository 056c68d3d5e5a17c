// The walk every circle command takes: --minutes and --speed, checked as the engine checks them.
import { checkWalkParams, type WalkParams } from '../../circles/engine/isochrone.ts'
import { defaultWalk } from '../../shared/defaults.ts'
import { userClaims } from '../../db/session.ts'
import { CommandError } from './command.ts'

export const walkOptions = [
  `    --minutes <n>       time budget, 1–60 (default ${defaultWalk.minutes})`,
  `    --speed <m/min>     walking speed on level ground (default ${defaultWalk.speed}, i.e. 4 km/h)`,
]

export function walkParams(values: { minutes?: string; speed?: string }): WalkParams {
  const minutes = values.minutes === undefined ? defaultWalk.minutes : Number(values.minutes)
  const speed = values.speed === undefined ? defaultWalk.speed : Number(values.speed)
  try {
    checkWalkParams({ minutes, speed })
  } catch (error) {
    throw new CommandError((error as Error).message)
  }
  return { minutes, speed }
}

/** The command line reads as a planner would (its writes go through RLS as the planner's). */
export const planner = userClaims('planner', 'atlas-cli')
export const leader = userClaims('leader', 'atlas-cli')
