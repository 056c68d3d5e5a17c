// `/atlas/admin/users/*`: the `atlas user` commands, run by the server that holds the folder.
import type { AdminRoute } from '../admin.ts'

export const userRoutes: Record<string, AdminRoute> = {}
