// The zones' state: the zones found now (with their geometry), the figures per street office,
// the decisions so far, and the planner's writes. Every write is followed by a fresh read of all
// three: a decision, an application or new thresholds change what is open, settled or noise.
import { useCallback, useState } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { useFetched } from '../data/useFetched.ts'
import {
  applyZone,
  coManaged,
  declareCoManagement,
  withdrawCoManagement,
  setZoneSettings,
  settleZone,
  zoneDecisions,
  zoneSummary,
  zones as listZones,
} from './api.ts'
import type { Arrangement, CoManagement, DecisionRecord, SettleResult, ZoneApplication, ZoneSummary, ZonesResult } from './types.ts'

/** What the URL holds of the workspace. */
export interface ZonesUrl {
  /** The selected zone's id. */
  zone: string | null
  /** Whether zones under the thresholds (noise) are drawn and listed. */
  noise: boolean
}

export const defaultZonesUrl: ZonesUrl = { zone: null, noise: false }


/** `reloadUnits` fetches the map's units again: after a decision was applied to the boundaries. */
export function useZones(client: AtlasClient, open: boolean, generation: number, reloadUnits: () => void) {
  // grows after every write: what the database says now must be read again
  const [version, setVersion] = useState(0)
  const key = open ? `${generation}/${version}` : null
  const found = useFetched<ZonesResult>(key, (signal) => listZones(client, signal))
  const summary = useFetched<ZoneSummary>(key, (signal) => zoneSummary(client, signal))
  const decisions = useFetched<DecisionRecord[]>(key, (signal) => zoneDecisions(client, signal))
  const declared = useFetched<CoManagement[]>(key, (signal) => coManaged(client, signal))
  const reload = useCallback(() => setVersion((v) => v + 1), [])

  const settle = useCallback(
    async (zoneId: string, owner: string, remark: string, apply: boolean): Promise<SettleResult> => {
      try {
        return await settleZone(client, zoneId, owner, remark.trim() || null, apply)
      } finally {
        reload()
        if (apply) reloadUnits()
      }
    },
    [client, reload, reloadUnits],
  )
  const applyDecision = useCallback(
    async (zoneId: string): Promise<ZoneApplication> => {
      try {
        return await applyZone(client, zoneId)
      } finally {
        reload()
        reloadUnits()
      }
    },
    [client, reload, reloadUnits],
  )
  const saveSettings = useCallback(
    async (minWidthM: number, minAreaM2: number) => {
      await setZoneSettings(client, minWidthM, minAreaM2)
      reload()
    },
    [client, reload],
  )
  const declare = useCallback(
    async (area: string, partner: string, arrangement: Arrangement, reason: string): Promise<CoManagement> => {
      try {
        return await declareCoManagement(client, area, partner, arrangement, reason.trim() || null)
      } finally {
        reload()
      }
    },
    [client, reload],
  )
  const withdraw = useCallback(
    async (id: number, reason: string): Promise<CoManagement> => {
      try {
        return await withdrawCoManagement(client, id, reason.trim() || null)
      } finally {
        reload()
      }
    },
    [client, reload],
  )
  return { found, summary, decisions, declared, version, reload, settle, apply: applyDecision, saveSettings, declare, withdraw }
}

export type ZonesModel = ReturnType<typeof useZones>
