// Loading and failures in words: a progress bar while tiles are in flight, and for a failure
// what went wrong and a retry — never a silently empty map.
import type { LayerFailure } from '../data/layerStore.ts'
import { formatList, formatNumber } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'

export interface StatusBarProps {
  /** What is loading, in words. */
  loading: string[]
  pending: number
  failures: LayerFailure[]
  zoom: number
  onRetry: () => void
}

export function StatusBar({ loading, pending, failures, zoom, onRetry }: StatusBarProps) {
  const { t, lang } = useI18n()
  const network = failures.find((f) => f.error.kind === 'network')
  return (
    <>
      {(pending > 0 || loading.length > 0) && (
        <div className="progress" data-testid="progress" role="progressbar" aria-label={t('status.loading', { layers: formatList(lang, loading) })}>
          <div className="progress-bar" />
          <span className="progress-text">{t('status.loading', { layers: formatList(lang, loading) })}</span>
        </div>
      )}
      {failures.length > 0 && (
        <div className="error-banner" data-testid="error" role="alert">
          <div>
            {network
              ? t('status.backendDown', { message: network.error.message })
              : failures.map((f) => (
                  <div key={f.layer}>
                    {t('status.loadFailed', {
                      layer: t(`layer.${f.layer}`),
                      message: f.error.status ? `${t('error.http', { status: f.error.status })} ${f.error.message}` : f.error.message,
                    })}
                  </div>
                ))}
          </div>
          <button data-testid="retry" onClick={onRetry}>
            {t('app.retry')}
          </button>
        </div>
      )}
      <div className="zoom-readout">{t('status.zoom', { z: formatNumber(lang, zoom, 1) })}</div>
    </>
  )
}
