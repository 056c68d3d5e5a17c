// What the signed-in role may do, and what row level security lets it write, in words.
import type { AppRole } from '../data/config.ts'
import type { Access } from '../data/types.ts'
import { formatList } from '../i18n/core.ts'
import { translateValue } from '../i18n/index.ts'
import { useI18n } from '../i18n/react.tsx'

export function RoleNote({ role, access }: { role: AppRole | null; access: Access | null }) {
  const { t, lang } = useI18n()
  if (!role) return null
  const writes = access ? Object.entries(access.write).filter(([, ok]) => ok).map(([layer]) => translateValue(t, 'layer', layer)) : []
  return (
    <p className="role-note muted" data-testid="role-note">
      {t(`role.${role}.can`)}
      {access && (
        <>
          {' · '}
          {t('role.writes')}
          {formatList(lang, writes) || t('role.writesNothing')}
        </>
      )}
    </p>
  )
}
