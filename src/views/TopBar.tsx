// The header: the title with the city's name (or the product's levels, before it has one) and size, search, who is signed in (the role switch in the
// embedded server's demonstration; elsewhere the account, its role and a sign-out), the language
// and the settings.
import type { AtlasClient } from '../data/client.ts'
import { appRoles, type AppRole } from '../data/config.ts'
import type { LayerStats, SearchHit } from '../data/types.ts'
import { formatNumber } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { Search } from './Search.tsx'
import { useCity } from '../city/context.ts'

export interface TopBarProps {
  client: AtlasClient
  stats: LayerStats
  role: AppRole | null
  /** The demonstration: a role switch instead of an account. */
  demo: boolean
  email: string | null
  switchingRole: boolean
  onSearch: (hit: SearchHit) => void
  onRole: (role: AppRole) => void
  onSignOut: () => void
  onLanguage: () => void
  onSettings: () => void
}

export function TopBar({ client, stats, role, demo, email, switchingRole, onSearch, onRole, onSignOut, onLanguage, onSettings }: TopBarProps) {
  const { t, lang } = useI18n()
  const city = useCity()
  const community = stats.community as { count: number; resident_population: number } | undefined
  return (
    <header className="topbar">
      <div className="brand">
        <h1>{t('app.title')}</h1>
        <div className="subtitle">
          <span data-testid="city-name">{city.name || t('app.subtitle')}</span>
          {community?.count ? ` · ${t('child.community', { n: community.count })} · ${t('unit.people', { n: formatNumber(lang, community.resident_population) })}` : ''}
        </div>
      </div>
      <Search client={client} onPick={onSearch} />
      <div className="controls">
        {demo ? (
          <label className="role" title={t('role.rls')}>
            <span>{t('role.label')}</span>
            <select data-testid="role-switch" value={role ?? ''} disabled={switchingRole} onChange={(e) => onRole(e.target.value as AppRole)}>
              {appRoles.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <div className="account" data-testid="account" title={t('role.rls')}>
            <span className="account-email" data-testid="account-email">
              {email ?? t('account.unknown')}
            </span>
            {role && (
              <span className={`role-badge role-${role}`} data-testid="account-role" data-role={role}>
                {t(`role.${role}`)}
              </span>
            )}
            <button data-testid="sign-out" onClick={onSignOut}>
              {t('signin.signOut')}
            </button>
          </div>
        )}
        <button data-testid="lang-switch" title={t('lang.switchTitle')} onClick={onLanguage}>
          {t('lang.switch')}
        </button>
        <button data-testid="settings-open" onClick={onSettings}>
          {t('map.settings')}
        </button>
      </div>
    </header>
  )
}
