// What the signed-in role may do, and what row level security lets it write, in words.
import type { AppRole } from '../data/config.ts'
import type { Access } from '../data/types.ts'
import { useI18n, type MessageKey } from '../i18n/index.tsx'

export function RoleNote({ role, access }: { role: AppRole | null; access: Access | null }) {
  const { t, lang } = useI18n()
  if (!role) return null
  const writes = access ? Object.entries(access.write).filter(([, ok]) => ok).map(([layer]) => t(`layer.${layer}` as MessageKey)) : []
  return (
    <p className="role-note muted" data-testid="role-note">
      {t(`role.${role}.can` as MessageKey)}
      {access && (
        <>
          {' · '}
          {t('role.writes')}
          {writes.join(lang === 'zh' ? '、' : ', ') || t('role.writesNothing')}
        </>
      )}
    </p>
  )
}
