// A server that has lost its database (its folder removed, its disk full) still answers, with
// 503 PGRST000 and the reason: the page says so across its top, once, instead of a failure per
// layer. The map keeps what it shows; only a restored backup and a restarted server bring it back.
import type { AtlasError } from '../data/errors.ts'
import { useI18n } from '../i18n/react.tsx'

/** The server's reasons (src/db/guard.ts), said in the page's language; its own words follow. */
const reasons = ['folder_missing', 'disk_full', 'storage_error'] as const

export function DatabaseBanner({ error }: { error: AtlasError }) {
  const { t } = useI18n()
  const reason = reasons.find((r) => r === error.details)
  return (
    <div className="database-banner" data-testid="database-lost" role="alert">
      <div>
        <strong>{t('database.lost')}</strong>
        {reason && <span className="database-reason">{t(`database.reason.${reason}`)}</span>}
        <span className="database-message">{error.message}</span>
        <div className="database-hint">
          {t('database.restoreHint')} {t('database.mapKept')}
        </div>
      </div>
      <button data-testid="database-reload" onClick={() => window.location.reload()}>
        {t('database.reload')}
      </button>
    </div>
  )
}
