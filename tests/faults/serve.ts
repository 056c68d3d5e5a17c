// Run as a child process by the fault tests: the embedded server as `npm start` runs it (the
// folder's lock, the guard, the API and sign-in) without building the app, on a free port, which
// it prints as `ready: <url>` and writes in the folder's lock for the command line. SIGTERM stops it
// as Ctrl-C stops npm start: the server closed, then the database, the folder freed.
//
//   node --import tsx tests/faults/serve.ts <folder>
import { connect } from '../../src/db/connect.ts'
import { readMeta, updateLockUrl } from '../../src/db/embedded.ts'
import { guardDatabase } from '../../src/db/guard.ts'
import { createAtlasServer, listen } from '../../src/server/app.ts'
import { Auth } from '../../src/server/auth.ts'

const dir = process.argv[2]
const connection = await connect(dir, 'npm start')
const db = guardDatabase(connection.db, dir)
const server = await createAtlasServer({ db, auth: new Auth(readMeta(dir).jwtSecret), log: () => {} })
const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`
updateLockUrl(dir, url)
process.once('SIGTERM', () => {
  server.closeAllConnections()
  server.close()
  void connection.close().then(() => process.exit(0))
})
console.log(`ready: ${url}`)
