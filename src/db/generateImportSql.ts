// Writes the import function's migration from the layer registry: npm run import-sql.
// tests/db/import-sql.test.ts fails while the committed file differs.
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from './embedded.ts'
import { importFunctionSql, importMigration } from './importSql.ts'

const file = path.join(projectRoot, importMigration)
const text = importFunctionSql()
if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) console.log(`${importMigration} is up to date`)
else {
  fs.writeFileSync(file, text)
  console.log(`wrote ${importMigration}`)
}
