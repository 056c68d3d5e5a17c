// `/atlas/admin/backup`: `atlas backup`, run by the server that holds the folder.
import type { AdminRoute } from '../admin.ts'

export const backupRoutes: Record<string, AdminRoute> = {}
