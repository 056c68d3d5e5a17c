// The selected unit: its record for the inspector and its outline for the map, fetched again
// when the selection, the signed-in role or a retry asks for it.
import type { Feature } from 'geojson'
import { useEffect, useState } from 'react'
import { mapLayer, unitRecord } from '../data/api.ts'
import type { AtlasClient } from '../data/client.ts'
import { toAtlasError, type AtlasError } from '../data/errors.ts'
import type { UnitRecord } from '../data/types.ts'
import type { Selection } from './urlState.ts'

interface Found {
  record: UnitRecord | null
  error: AtlasError | null
  shape: Feature | null
}
const nothing: Found = { record: null, error: null, shape: null }

export function useSelection(client: AtlasClient, selection: Selection | null, generation: number) {
  const [attempt, setAttempt] = useState(0)
  const [found, setFound] = useState<Found>(nothing)
  const layer = selection?.layer
  const code = selection?.code
  // another selection, sign-in or retry shows nothing of the last one while its own answer comes
  const asked = JSON.stringify([layer, code, generation, attempt])
  const [foundFor, setFoundFor] = useState(asked)
  if (foundFor !== asked) {
    setFoundFor(asked)
    setFound(nothing)
  }
  useEffect(() => {
    if (!layer || !code) return
    let cancelled = false
    unitRecord(client, layer, code)
      .then(async (record) => {
        if (cancelled) return
        setFound({ record, error: null, shape: null })
        // the outline of the selection, even where its layer is not drawn at this zoom
        const [w, s, e, n] = record.bbox
        const pad = 1e-5
        const outline = await mapLayer(client, layer, [w - pad, s - pad, e + pad, n + pad], 17)
        const shape = (outline.features.find((f) => String(f.id) === code) as Feature | undefined) ?? null
        if (!cancelled) setFound({ record, error: null, shape })
      })
      // a failed outline leaves the record shown
      .catch((failure) => !cancelled && setFound((f) => ({ ...f, error: toAtlasError(failure) })))
    return () => {
      cancelled = true
    }
  }, [client, layer, code, generation, attempt])
  return { ...found, retry: () => setAttempt((a) => a + 1) }
}
