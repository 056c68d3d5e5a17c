// The leader's view's state from the database: the indicators (every figure and light, computed
// in SQL) and the city's community and street office polygons. Both are read when the workspace
// opens and again after a sign-in (RLS decides what a role reads); nothing while it is closed.
import { useMemo } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { useFetched } from '../data/useFetched.ts'
import { defaultWalk } from '../shared/defaults.ts'
import { standardsStamp, useStandards } from '../standards/context.ts'
import { walkOf } from '../standards/types.ts'
import { cityShapes, indicators, type CityShapes } from './api.ts'
import type { IndicatorInfo, IndicatorKey, Indicators, UnitIndicators } from './types.ts'

export function useIndicators(client: AtlasClient, open: boolean, generation: number) {
  // at the city's standard walk, and again whenever a standard changes
  const standards = useStandards()
  const walk = walkOf(standards, defaultWalk)
  const key = open ? `${generation}/${walk.minutes}/${walk.speed}/${standardsStamp(standards)}` : null
  const figures = useFetched<Indicators>(key, (signal) => indicators(client, walk.minutes, walk.speed, signal))
  const shapes = useFetched<CityShapes | null>(open ? String(generation) : null, (signal) => cityShapes(client, signal))
  const data = figures.data
  const derived = useMemo(() => {
    if (!data) return null
    const catalogue = new Map<IndicatorKey, IndicatorInfo>(data.catalogue.map((info) => [info.key, info]))
    const communities = new Map<string, UnitIndicators>(data.communities.map((unit) => [unit.code, unit]))
    const streetNames = new Map<string, string>(data.streets.map((unit) => [unit.code, unit.name]))
    return { catalogue, communities, streetNames }
  }, [data])
  return { figures, shapes, data, ...derived }
}

export type IndicatorsModel = ReturnType<typeof useIndicators>
