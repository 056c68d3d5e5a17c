// The signed-in role and what row level security lets it write (my_access, asked after every
// sign-in). In the embedded server's demonstration the role switch signs in as that role's
// account through the real data path, so RLS decides what each role sees and may edit; outside
// it the role is the signed-in account's, which only the administrator changes.
import { useEffect, useState } from 'react'
import { myAccess } from '../data/api.ts'
import { signInAsRole, type AtlasClient } from '../data/client.ts'
import type { AppRole } from '../data/config.ts'
import { toAtlasError } from '../data/errors.ts'
import type { Access } from '../data/types.ts'

export function useRole(client: AtlasClient, initialRole: AppRole | null, onSignedIn: (role: AppRole) => void, onError: (message: string) => void) {
  const [role, setRole] = useState<AppRole | null>(initialRole)
  const [generation, setGeneration] = useState(0)
  const [switching, setSwitching] = useState(false)
  const [access, setAccess] = useState<Access | null>(null)
  useEffect(() => {
    let cancelled = false
    myAccess(client)
      .then((found) => !cancelled && setAccess(found))
      .catch(() => !cancelled && setAccess(null))
    return () => {
      cancelled = true
    }
  }, [client, generation])

  const switchRole = async (next: AppRole) => {
    setSwitching(true)
    try {
      setRole(await signInAsRole(client, next))
      onSignedIn(next)
      setGeneration((g) => g + 1)
    } catch (error) {
      onError(toAtlasError(error).message)
    } finally {
      setSwitching(false)
    }
  }
  return { role, access, generation, switching, switchRole }
}
