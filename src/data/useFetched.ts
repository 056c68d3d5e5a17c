// One answer of the backend kept in React state, fetched again when its key changes: what each
// workspace's state hook builds on.
import { useEffect, useRef, useState } from 'react'
import { toAtlasError } from './errors.ts'

export interface Fetched<T> {
  data: T | null
  error: string | null
  loading: boolean
  retry: () => void
}

/** Fetches while `key` is not null and again when it changes; the last answer stays while the next loads. */
export function useFetched<T>(key: string | null, fetch: (signal: AbortSignal) => Promise<T>): Fetched<T> {
  const [state, setState] = useState<{ key: string | null; data: T | null; error: string | null }>({ key: null, data: null, error: null })
  const [attempt, setAttempt] = useState(0)
  const latest = useRef(fetch)
  latest.current = fetch
  useEffect(() => {
    if (key === null) return
    const controller = new AbortController()
    setState((s) => ({ ...s, error: null }))
    latest
      .current(controller.signal)
      .then((data) => !controller.signal.aborted && setState({ key, data, error: null }))
      .catch((failure) => !controller.signal.aborted && setState((s) => ({ ...s, key, error: toAtlasError(failure).message })))
    return () => controller.abort()
  }, [key, attempt])
  return { data: state.data, error: state.error, loading: key !== null && state.key !== key, retry: () => setAttempt((a) => a + 1) }
}
