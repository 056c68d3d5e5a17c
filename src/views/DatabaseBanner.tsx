// A server that has lost its database (its folder removed, its disk full) still answers, with
// 503 PGRST000 and the reason: the page says so across its top, once, instead of a failure per
// layer. The map keeps what it shows; only a restored backup and a restarted server bring it back.
import type { AtlasError } from '../data/errors.ts'
import { useI18n } from '../i18n/index.tsx'

export function DatabaseBanner({ error }: { error: AtlasError }) {
  const { t } = useI18n()
  return (
    <div className="database-banner" data-testid="database-lost" role="alert">
      <div>
        <strong>{t('database.lost')}</strong>
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
