// The selected unit: its record for the inspector and its outline for the map, fetched again
// when the selection, the signed-in role or a retry asks for it.
import type { Feature } from 'geojson'
import { useEffect, useState } from 'react'
import { mapLayer, unitRecord } from '../data/api.ts'
import type { AtlasClient } from '../data/client.ts'
import { toAtlasError, type AtlasError } from '../data/errors.ts'
import type { UnitRecord } from '../data/types.ts'
import type { Selection } from './urlState.ts'

export function useSelection(client: AtlasClient, selection: Selection | null, generation: number) {
  const [record, setRecord] = useState<UnitRecord | null>(null)
  const [error, setError] = useState<AtlasError | null>(null)
  const [attempt, setAttempt] = useState(0)
  const [shape, setShape] = useState<Feature | null>(null)
  useEffect(() => {
    setRecord(null)
    setError(null)
    setShape(null)
    if (!selection) return
    let cancelled = false
    unitRecord(client, selection.layer, selection.code)
      .then(async (found) => {
        if (cancelled) return
        setRecord(found)
        // the outline of the selection, even where its layer is not drawn at this zoom
        const [w, s, e, n] = found.bbox
        const pad = 1e-5
        const outline = await mapLayer(client, selection.layer, [w - pad, s - pad, e + pad, n + pad], 17)
        if (!cancelled) setShape((outline.features.find((f) => String(f.id) === selection.code) as Feature | undefined) ?? null)
      })
      .catch((failure) => !cancelled && setError(toAtlasError(failure)))
    return () => {
      cancelled = true
    }
  }, [client, selection?.layer, selection?.code, attempt, generation]) // eslint-disable-line react-hooks/exhaustive-deps
  return { record, error, shape, retry: () => setAttempt((a) => a + 1) }
}
