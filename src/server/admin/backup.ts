// `/atlas/admin/backup`: `atlas backup`, run by the server that holds the folder. The command line
// cannot open a folder the server holds, so the server makes the copy (between two requests: see
// Database.snapshot) and sends the file's bytes; the command line writes them.
import { BackupError, createBackup } from '../../db/backup.ts'
import type { AdminRoute } from '../admin.ts'

export const backupRoutes: Record<string, AdminRoute> = {
  backup: async ({ db, res, send }) => {
    let backup
    try {
      backup = await createBackup(db)
    } catch (error) {
      if (error instanceof BackupError) return send(400, { code: 'backup_refused', message: error.message })
      throw error
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(backup.bytes),
      'cache-control': 'no-store',
    })
    for (const part of backup.parts) res.write(part)
    res.end()
  },
}
