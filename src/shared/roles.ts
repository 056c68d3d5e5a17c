// The app's roles, as the JWT's app_metadata.app_role carries them and RLS checks them.
export type AppRole = 'leader' | 'planner' | 'works'
export const appRoles: readonly AppRole[] = ['leader', 'planner', 'works']

export function isAppRole(value: unknown): value is AppRole {
  return typeof value === 'string' && (appRoles as readonly string[]).includes(value)
}
