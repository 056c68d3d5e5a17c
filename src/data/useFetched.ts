// One answer of the backend kept in React state, fetched again when its key changes: what each
// workspace's state hook builds on.
import { useEffect, useEffectEvent, useState } from 'react'
import { toAtlasError } from './errors.ts'

export interface Fetched<T> {
  data: T | null
  error: string | null
  loading: boolean
  retry: () => void
}

interface Answer<T> {
  /** The key the data (or the failure) answers. */
  key: string | null
  data: T | null
  /** The request that failed, and why: its message shows until another request starts. */
  failed: { request: string; message: string } | null
}

/** Fetches while `key` is not null and again when it changes; the last answer stays while the next loads. */
export function useFetched<T>(key: string | null, fetch: (signal: AbortSignal) => Promise<T>): Fetched<T> {
  const [answer, setAnswer] = useState<Answer<T>>({ key: null, data: null, failed: null })
  const [attempt, setAttempt] = useState(0)
  // the fetch of the latest render, without refetching when only the function's identity changes
  const load = useEffectEvent((signal: AbortSignal) => fetch(signal))
  const request = `${attempt}:${key}`
  useEffect(() => {
    if (key === null) return
    const controller = new AbortController()
    load(controller.signal)
      .then((data) => !controller.signal.aborted && setAnswer({ key, data, failed: null }))
      .catch((failure) => !controller.signal.aborted && setAnswer((a) => ({ ...a, key, failed: { request: `${attempt}:${key}`, message: toAtlasError(failure).message } })))
    return () => controller.abort()
  }, [key, attempt])
  return {
    data: answer.data,
    error: answer.failed?.request === request ? answer.failed.message : null,
    loading: key !== null && answer.key !== key,
    retry: () => setAttempt((a) => a + 1),
  }
}
