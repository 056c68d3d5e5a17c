// Writes src/shared/api.generated.ts from the functions of a migrated database:
//   npx tsx src/db/generateApi.ts [--db <folder | postgres://url>]
// Without --db it migrates a new embedded database in a temporary folder (a minute, cold) and
// removes it after. tests/api/functions.test.ts fails while the committed file differs.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { connect } from './connect.ts'
import { generatedApiFile, readApiSignatures, renderApiModule } from './apiTypes.ts'

const { values } = parseArgs({ options: { db: { type: 'string' } } })
const temporary = values.db ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-api-'))
const connection = await connect(values.db ?? path.join(temporary ?? '', 'db'), 'generate-api')
try {
  const signatures = await readApiSignatures(connection.db)
  const text = renderApiModule(signatures)
  const before = fs.existsSync(generatedApiFile) ? fs.readFileSync(generatedApiFile, 'utf8') : null
  if (text === before) console.log(`${path.relative(process.cwd(), generatedApiFile)} is up to date (${signatures.length} functions)`)
  else {
    fs.writeFileSync(generatedApiFile, text)
    console.log(`wrote ${path.relative(process.cwd(), generatedApiFile)} (${signatures.length} functions)`)
  }
} finally {
  await connection.close()
  if (temporary) fs.rmSync(temporary, { recursive: true, force: true })
}
